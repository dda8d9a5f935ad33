// cms_bench: throughput and latency of the application RPC (CreateApplication:
// a new PP and RP, their case and casegroup) through the real cms_server
// binary, against the same SQL issued directly through SOCI in the same run
// on the same database (the ceiling), plus the server's resident memory.
//
//   tools/cms bench [--callers=16] [--seconds=10]
//
// The database is the private MariaDB named by CMS_TEST_DB_URI (tools/cms
// bench starts it); each run uses a fresh database.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/application_request.h"
#include "tools/bench/load.h"
#include "tools/bench/raw_application.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(int, callers, 16, "concurrent closed-loop callers");
ABSL_FLAG(int, seconds, 10, "measured seconds per run");
ABSL_FLAG(int, warmup_seconds, 2, "unmeasured warm-up seconds per run");
ABSL_FLAG(int, pool_size, 16, "server database connections");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

constexpr char kToken[] = "bench-token-0123456789";

int Die(const std::string& what) {
  std::fprintf(stderr, "cms_bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) return Die("CMS_TEST_DB_URI is not set; run through `tools/cms bench`");
  std::string server_bin = absl::GetFlag(FLAGS_server_bin);
  if (server_bin.empty()) server_bin = cms::bench::ServerBinaryBesideMe();
  const int callers = absl::GetFlag(FLAGS_callers);
  const absl::Duration warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  const absl::Duration measure = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const std::string uri = absl::StrCat(base, " db=bench_", getpid());

  const std::string tokens = absl::StrCat("/tmp/cms_bench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, "bench");
  auto server = cms::bench::ServerProcess::Start(
      server_bin, {"--db_uri=" + uri, "--create_database", "--migrate", "--seed_demo_bom",
                   "--tokens_file=" + tokens, "--trusted_clients=bench",
                   absl::StrCat("--pool_size=", absl::GetFlag(FLAGS_pool_size))});
  if (!server.ok()) return Die(server.status().ToString());
  absl::SleepFor(absl::Seconds(2));
  const double idle_rss = server->RssMiB();

  // A few channels so one HTTP/2 connection is not the bottleneck.
  std::vector<std::unique_ptr<cms::v1::CasegroupService::Stub>> stubs;
  for (int i = 0; i < (callers + 3) / 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("cms_channel_index", i);  // distinct args => distinct connections
    stubs.push_back(cms::v1::CasegroupService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server->port()), grpc::InsecureChannelCredentials(), args)));
  }
  std::atomic<int64_t> seq{0};
  auto rpc = cms::bench::RunClosedLoop(
      "CreateApplication via cms_server", callers, warmup, measure, [&](int caller) {
        const int64_t n = seq.fetch_add(1);
        const cms::v1::CreateApplicationRequest req =
            cms::bench::ApplicationRequest(n, absl::StrCat("bench-", getpid(), "-", n));
        cms::v1::Application out;
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
        ctx.AddMetadata("x-cms-user", "cw.gb.new_case.a1");
        grpc::Status s = stubs[caller % stubs.size()]->CreateApplication(&ctx, req, &out);
        return s.ok() ? std::string() : absl::StrCat(s.error_code(), ": ", s.error_message());
      });
  const double loaded_rss = server->RssMiB();

  // The ceiling: the same statements on the same database, one SOCI session
  // per caller, while the server sits idle.
  std::vector<std::unique_ptr<soci::session>> sessions;
  long long segment = 0, arrears = 0;
  try {
    for (int i = 0; i < callers; ++i) {
      sessions.push_back(std::make_unique<soci::session>(soci::mysql, uri));
      *sessions.back() << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED";
    }
    *sessions[0] << "SELECT id FROM segments WHERE system_name = 'FS_GB_NWCSE_NC_CORE'",
        soci::into(segment);
    *sessions[0] << "SELECT id FROM segments WHERE system_name = 'FS_GB_ARRS_A_CORE'",
        soci::into(arrears);
  } catch (const std::exception& e) {
    return Die(e.what());
  }
  std::atomic<int64_t> raw_seq{0};
  auto raw = cms::bench::RunClosedLoop(
      "same SQL via SOCI (ceiling)", callers, warmup, measure, [&](int caller) {
        return cms::bench::RawApplication(*sessions[caller], raw_seq.fetch_add(1), segment,
                                          arrears);
      });

  std::printf("%s\n%s\n", cms::bench::FormatResult(rpc).c_str(),
              cms::bench::FormatResult(raw).c_str());
  std::printf("server/ceiling throughput: %.0f%%\n",
              raw.per_second > 0 ? 100.0 * rpc.per_second / raw.per_second : 0.0);
  std::printf("cms_server RSS: idle %.1f MiB, after load %.1f MiB\n", idle_rss, loaded_rss);
  sessions.clear();
  std::remove(tokens.c_str());
  try {
    soci::session admin(soci::mysql, base);
    admin << absl::StrCat("DROP DATABASE IF EXISTS bench_", getpid());
  } catch (const std::exception&) {
  }
  return rpc.errors == 0 && raw.errors == 0 ? 0 : 1;
}
