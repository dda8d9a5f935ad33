// cms_soak: a long run at a steady share of measured saturation (issue 17),
// through the real cms_server binary on a fresh database (not in CI).
//
//   tools/cms soak [--minutes=30] [--load=0.7] [--saturation_seconds=20]
//
// The mix is what a caseworker's day looks like at its simplest: a new
// application (CreateApplication: two parents, a case, a casegroup routed
// and audited), then reads of a recent case and casegroup (GetCase,
// GetCasegroup), one write to two reads. First the saturation: 16
// closed-loop callers for --saturation_seconds. Then the soak: calls sent
// open-loop at --load x that rate for --minutes, each timed from when it
// was due to be sent (so a stall shows as latency for every call it held
// up, not as fewer calls), with the server's resident memory read every
// minute. It passes when
//   - no call failed;
//   - memory is flat: the last minute's RSS is within 10% (and 16 MiB) of
//     the RSS after the first fifth of the run, once caches are warm;
//   - p99 is steady: the median of the last third's per-minute p99s is at
//     most 1.5x that of the first third (a trend, not one noisy minute on a
//     shared machine).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/application_request.h"
#include "tools/bench/load.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(int, minutes, 30, "length of the soak");
ABSL_FLAG(double, load, 0.7, "share of the measured saturation to offer");
ABSL_FLAG(int, saturation_seconds, 20, "length of the saturation measurement");
ABSL_FLAG(int, senders, 64, "threads sending the open-loop calls");
ABSL_FLAG(int, pool_size, 16, "server database connections");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

constexpr char kToken[] = "soak-token-0123456789";
constexpr char kUser[] = "cw.gb.new_case.a1";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_soak: %s\n", what.c_str());
  std::exit(1);
}

// The mix, one call at a time: call k is a write when k % 3 == 0, else a
// read of one of the last applications made.
class Mix {
 public:
  explicit Mix(int port) {
    for (int i = 0; i < 8; ++i) {
      grpc::ChannelArguments args;
      args.SetInt("cms_channel_index", i);  // distinct args => distinct connections
      stubs_.push_back(cms::v1::CasegroupService::NewStub(grpc::CreateCustomChannel(
          absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials(), args)));
    }
  }

  // "" on success, else the error.
  std::string Call(int64_t k) {
    auto& stub = *stubs_[k % stubs_.size()];
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
    ctx.AddMetadata("x-cms-user", kUser);
    grpc::Status s;
    std::pair<int64_t, int64_t> recent = Recent(k);
    if (k % 3 == 0 || recent.first == 0) {
      const int64_t n = next_.fetch_add(1);
      cms::v1::Application out;
      s = stub.CreateApplication(
          &ctx, cms::bench::ApplicationRequest(n, absl::StrCat("soak-", getpid(), "-", n)), &out);
      if (s.ok()) Remember(out.case_().id(), out.casegroup().id());
    } else if (k % 3 == 1) {
      cms::v1::GetCaseRequest req;
      req.set_id(recent.first);
      cms::v1::Case out;
      s = stub.GetCase(&ctx, req, &out);
    } else {
      cms::v1::GetCasegroupRequest req;
      req.set_id(recent.second);
      cms::v1::Casegroup out;
      s = stub.GetCasegroup(&ctx, req, &out);
    }
    return s.ok() ? std::string() : absl::StrCat(s.error_code(), ": ", s.error_message());
  }

 private:
  static constexpr size_t kRecent = 1024;

  std::pair<int64_t, int64_t> Recent(int64_t k) {
    std::lock_guard<std::mutex> l(mu_);
    if (recent_.empty()) return {0, 0};
    return recent_[k % recent_.size()];
  }
  void Remember(int64_t case_id, int64_t casegroup_id) {
    std::lock_guard<std::mutex> l(mu_);
    if (recent_.size() < kRecent) {
      recent_.emplace_back(case_id, casegroup_id);
    } else {
      recent_[next_recent_++ % kRecent] = {case_id, casegroup_id};
    }
  }

  std::vector<std::unique_ptr<cms::v1::CasegroupService::Stub>> stubs_;
  std::atomic<int64_t> next_{0};
  std::mutex mu_;
  std::vector<std::pair<int64_t, int64_t>> recent_;
  size_t next_recent_ = 0;
};

struct Minute {
  std::vector<double> latencies_ms;
  int64_t errors = 0;
  std::string first_error;
  double rss_mib = 0;
  double Pct(double p) {
    if (latencies_ms.empty()) return 0;
    std::sort(latencies_ms.begin(), latencies_ms.end());
    return latencies_ms[std::min(latencies_ms.size() - 1,
                                 static_cast<size_t>(p * latencies_ms.size()))];
  }
};

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each minute as it comes, even into a pipe
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set; run through `tools/cms soak`");
  std::string server_bin = absl::GetFlag(FLAGS_server_bin);
  if (server_bin.empty()) server_bin = cms::bench::ServerBinaryBesideMe();
  const int minutes = absl::GetFlag(FLAGS_minutes);
  if (minutes < 3) Die("--minutes must be at least 3");
  const std::string uri = absl::StrCat(base, " db=soak_", getpid());
  const std::string tokens = absl::StrCat("/tmp/cms_soak_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, "soak");
  auto server = cms::bench::ServerProcess::Start(
      server_bin, {"--db_uri=" + uri, "--create_database", "--migrate", "--seed_demo_bom",
                   "--tokens_file=" + tokens, "--trusted_clients=soak",
                   absl::StrCat("--pool_size=", absl::GetFlag(FLAGS_pool_size))});
  if (!server.ok()) Die(server.status().ToString());
  Mix mix(server->port());

  std::atomic<int64_t> k{0};
  const cms::bench::LoadResult saturation =
      cms::bench::RunClosedLoop("saturation (16 closed-loop callers)", 16, absl::Seconds(3),
                                absl::Seconds(absl::GetFlag(FLAGS_saturation_seconds)),
                                [&](int) { return mix.Call(k.fetch_add(1)); });
  std::printf("%s\n", cms::bench::FormatResult(saturation).c_str());
  if (saturation.errors != 0) Die("calls failed while measuring saturation");
  const double rate = saturation.per_second * absl::GetFlag(FLAGS_load);
  std::printf("soak: %.0f calls/s (%.0f%% of %.0f) for %d minutes, %d senders\n", rate,
              100 * absl::GetFlag(FLAGS_load), saturation.per_second, minutes,
              absl::GetFlag(FLAGS_senders));

  // Call i is due at start + i / rate; a sender takes the next due call,
  // waits for its moment, and times it from then.
  std::vector<Minute> by_minute(minutes);
  std::mutex mu;
  std::atomic<int64_t> next_call{0};
  const absl::Time start = absl::Now() + absl::Milliseconds(100);
  const absl::Time end = start + absl::Minutes(minutes);
  std::vector<std::thread> senders;
  for (int t = 0; t < absl::GetFlag(FLAGS_senders); ++t) {
    senders.emplace_back([&] {
      for (;;) {
        const int64_t i = next_call.fetch_add(1);
        const absl::Time due = start + absl::Seconds(i / rate);
        if (due >= end) return;
        if (due > absl::Now()) absl::SleepFor(due - absl::Now());
        const std::string error = mix.Call(k.fetch_add(1));
        const double ms = absl::ToDoubleMilliseconds(absl::Now() - due);
        const int minute = static_cast<int>((due - start) / absl::Minutes(1));
        std::lock_guard<std::mutex> l(mu);
        Minute& m = by_minute[minute];
        m.latencies_ms.push_back(ms);
        if (!error.empty() && m.errors++ == 0) m.first_error = error;
      }
    });
  }
  for (int m = 0; m < minutes; ++m) {
    absl::SleepFor(start + absl::Minutes(m + 1) - absl::Now());
    by_minute[m].rss_mib = server->RssMiB();
  }
  for (auto& t : senders) t.join();

  std::printf("%6s %8s %8s %8s %8s %8s %9s\n", "minute", "calls/s", "p50 ms", "p99 ms", "max ms",
              "errors", "RSS MiB");
  int64_t errors = 0;
  std::vector<double> p99s;
  for (int m = 0; m < minutes; ++m) {
    Minute& x = by_minute[m];
    const double p99 = x.Pct(0.99);
    p99s.push_back(p99);
    errors += x.errors;
    std::printf("%6d %8.1f %8.2f %8.2f %8.2f %8lld %9.1f%s%s\n", m + 1,
                x.latencies_ms.size() / 60.0, x.Pct(0.5), p99, x.Pct(1.0),
                static_cast<long long>(x.errors), x.rss_mib, x.first_error.empty() ? "" : "  ",
                x.first_error.c_str());
  }
  const int third = minutes / 3;
  const double early = cms::bench::Median({p99s.begin(), p99s.begin() + third});
  const double late = cms::bench::Median({p99s.end() - third, p99s.end()});
  const double warm_rss = by_minute[std::max(0, minutes / 5 - 1)].rss_mib;
  const double last_rss = by_minute.back().rss_mib;
  const bool flat = last_rss <= std::max(warm_rss * 1.10, warm_rss + 16);
  const bool steady = late <= 1.5 * early;
  std::printf(
      "errors %lld; RSS %.1f MiB warm -> %.1f MiB at the end (%s); p99 median first "
      "third %.2f ms, last third %.2f ms (%s)\n",
      static_cast<long long>(errors), warm_rss, last_rss, flat ? "flat" : "GROWING", early, late,
      steady ? "steady" : "RISING");
  server = absl::UnknownError("stopped");  // SIGTERM the server before the drop
  std::remove(tokens.c_str());
  try {
    soci::session admin(soci::mysql, base);
    admin << absl::StrCat("DROP DATABASE IF EXISTS soak_", getpid());
  } catch (const std::exception&) {
  }
  const bool pass = errors == 0 && flat && steady;
  std::printf("cms_soak: %s\n", pass ? "passed" : "FAILED");
  return pass ? 0 : 1;
}
