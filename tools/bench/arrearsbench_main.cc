// cms_arrearsbench: ArrearsService.GetArrearsRecommendation (AR10.3) through
// the real cms_server binary on a database cms_datagen --money filled,
// against its raw SQL ceiling (issue 15, "Speed": p99 <= 15 ms at 16 callers
// on the 1,000,000-casegroup data set).
//
//   cms_arrearsbench --db_name=gen_money_1000000 [--callers=16] [--seconds=30]
//                    [--runs=2] [--with_action_percent=80]
//
// Each run is a closed loop: --callers callers, each calling back to back
// for --seconds (after --warmup_seconds unmeasured), every call for a random
// case: --with_action_percent of them a case with an arrears action (at
// every stage cms_datagen draws: the letter, the notice's wait, HMRC, the
// final negotiations, disclosure, the LO, closed, monitor disabled), the rest
// a case with money and no action. The two paths:
//   server  GetArrearsRecommendation on cms_server (as deployed: production
//           clock, --pool_size 16, its timer sweeper on; --migrate, for a
//           book kept from an older schema), called as one of
//           the generated caseworkers of the casegroup's owning segment (a
//           trusted client naming the user in x-cms-user, as the other
//           benches call; the owner's staff need no access query);
//   raw     the same statements (raw_arrears.h) on one SOCI session a
//           caller, as a pooled server connection is set up.
// Runs alternate server, raw, server, raw (--runs each) on the same database
// and machine, each with its own draw of cases; every line gives p50, p95,
// p99, calls/s and the CPU steal of its seconds (on this shared VM the tails
// follow steal) and the CPU a call cost in cms_server, in MariaDB (when it
// runs on this machine) and in this process: each process's CPU over the
// run (warm-up included) divided by the calls at the measured rate; and the
// share of the machine's CPU other processes took meanwhile (a build on a
// shared machine slows the run as steal does, and steal does not show it). The
// summary gives the median of each path's runs, the server/raw ratios, and
// the steps the server recommended (each ArrearsStep and its share of the
// server's calls).
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "cms/v1/arrears.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/base/enum_names.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/load.h"
#include "tools/bench/raw_arrears.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(std::string, db_name, "gen_money_1000000", "database filled by cms_datagen --money");
ABSL_FLAG(int, callers, 16, "concurrent closed-loop callers");
ABSL_FLAG(int, seconds, 30, "measured seconds per run");
ABSL_FLAG(int, warmup_seconds, 5, "unmeasured seconds before each run");
ABSL_FLAG(int, runs, 2, "runs of each path (server, raw, server, raw, ...)");
ABSL_FLAG(int, with_action_percent, 80,
          "calls for a case with an arrears action; the rest for a case with money and none");
ABSL_FLAG(int, pool_size, 16, "server database connections (its default)");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

constexpr char kToken[] = "arrearsbench-token-0123456789";
constexpr char kClient[] = "arrearsbench";
constexpr int kTargetCallers = 16;
constexpr double kTargetP99Ms = 15;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_arrearsbench: %s\n", what.c_str());
  std::exit(1);
}

// A case to ask about and the segment that owns its casegroup.
struct Target {
  long long case_id = 0;
  long long segment_id = 0;
};

std::vector<Target> Targets(soci::session& sql, const std::string& query) {
  std::vector<Target> out;
  soci::rowset<soci::row> rows = (sql.prepare << query);
  for (const soci::row& r : rows) out.push_back({r.get<long long>(0), r.get<long long>(1)});
  return out;
}

// What the calls draw from: the cases, and each segment's generated
// caseworkers (cms_datagen's gen.cw.<segment>.<n>).
struct Book {
  std::vector<Target> with_action, without_action;
  std::map<long long, std::vector<std::string>> caseworkers;
};

Book LoadBook(const std::string& uri) {
  Book b;
  try {
    soci::session sql(soci::mysql, uri);
    b.with_action = Targets(sql,
                            "SELECT a.case_id, g.segment_id FROM arrears_actions a JOIN "
                            "casegroups g ON g.id = a.casegroup_id ORDER BY a.case_id");
    b.without_action = Targets(sql,
                               "SELECT c.id, g.segment_id FROM cases c JOIN casegroups g ON g.id "
                               "= c.casegroup_id JOIN mopf_methods m ON m.casegroup_id = g.id "
                               "LEFT JOIN arrears_actions a ON a.case_id = c.id WHERE a.id IS "
                               "NULL ORDER BY c.id");
    soci::rowset<soci::row> staff =
        (sql.prepare << "SELECT staff_id, segment_id FROM staff WHERE staff_id LIKE 'gen.cw.%' "
                        "ORDER BY staff_id");
    for (const soci::row& r : staff) {
      b.caseworkers[r.get<long long>(1)].push_back(r.get<std::string>(0));
    }
  } catch (const std::exception& e) {
    Die(e.what());
  }
  if (b.with_action.empty() || b.without_action.empty()) {
    Die("no cases with money and arrears actions: fill the database with cms_datagen --money");
  }
  for (const auto& list : {b.with_action, b.without_action}) {
    for (const Target& t : list) {
      if (!b.caseworkers.contains(t.segment_id)) {
        Die(absl::StrCat("segment ", t.segment_id, " has no generated caseworker"));
      }
    }
  }
  return b;
}

// Each caller's draws of (case, caseworker of its owner), seeded per run so
// no run asks for the rows the one before it just read.
class Draws {
 public:
  Draws(const Book& book, int callers, int with_action_percent)
      : book_(book), rngs_(callers), with_action_percent_(with_action_percent) {}

  void Reseed(int run) {
    for (size_t c = 0; c < rngs_.size(); ++c) rngs_[c].seed(run * 1000 + c + 1);
  }

  // A case and who asks; only caller `c` calls this with `c`.
  std::pair<long long, const std::string*> Next(int c) {
    std::mt19937_64& rng = rngs_[c];
    const std::vector<Target>& from = static_cast<int>(rng() % 100) < with_action_percent_
                                          ? book_.with_action
                                          : book_.without_action;
    const Target& t = from[rng() % from.size()];
    const std::vector<std::string>& staff = book_.caseworkers.at(t.segment_id);
    return {t.case_id, &staff[rng() % staff.size()]};
  }

 private:
  const Book& book_;
  std::vector<std::mt19937_64> rngs_;
  int with_action_percent_;
};

// The MariaDB server's pid when it runs on this machine (its pid file is
// readable), else 0.
int DatabasePid(const std::string& uri) {
  try {
    soci::session sql(soci::mysql, uri);
    std::string file;
    sql << "SELECT @@pid_file", soci::into(file);
    std::ifstream in(file);
    int pid = 0;
    return in >> pid ? pid : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

std::string ErrorOf(const grpc::Status& s) {
  return s.ok() ? std::string() : absl::StrCat(s.error_code(), ": ", s.error_message());
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set; run through `tools/cms arrearsbench`");
  const int callers = absl::GetFlag(FLAGS_callers);
  const int runs = absl::GetFlag(FLAGS_runs);
  const int with_action = absl::GetFlag(FLAGS_with_action_percent);
  if (callers < 1 || runs < 1) Die("--callers and --runs must be positive");
  if (with_action < 0 || with_action > 100) Die("--with_action_percent must be 0..100");
  const absl::Duration warmup = absl::Seconds(absl::GetFlag(FLAGS_warmup_seconds));
  const absl::Duration measure = absl::Seconds(absl::GetFlag(FLAGS_seconds));
  const std::string uri = absl::StrCat(base, " db=", absl::GetFlag(FLAGS_db_name));
  std::string server_bin = absl::GetFlag(FLAGS_server_bin);
  if (server_bin.empty()) server_bin = cms::bench::ServerBinaryBesideMe();

  const Book book = LoadBook(uri);
  std::printf(
      "%s: %zu cases with an arrears action, %zu with money and none; %d%% of calls for "
      "the first\n",
      absl::GetFlag(FLAGS_db_name).c_str(), book.with_action.size(), book.without_action.size(),
      with_action);
  std::fflush(stdout);

  const std::string tokens = absl::StrCat("/tmp/cms_arrearsbench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, kClient);
  auto server = cms::bench::ServerProcess::Start(
      server_bin,
      {"--db_uri=" + uri, "--tokens_file=" + tokens, absl::StrCat("--trusted_clients=", kClient),
       absl::StrCat("--pool_size=", absl::GetFlag(FLAGS_pool_size)), "--migrate"});
  if (!server.ok()) Die(server.status().ToString());
  // A few channels, so one HTTP/2 connection is not the bottleneck.
  std::vector<std::unique_ptr<cms::v1::ArrearsService::Stub>> stubs;
  for (int i = 0; i < (callers + 3) / 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("cms_channel_index", i);  // distinct args => distinct connections
    stubs.push_back(cms::v1::ArrearsService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server->port()), grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<std::unique_ptr<soci::session>> raw;
  try {
    for (int i = 0; i < callers; ++i) {
      raw.push_back(std::make_unique<soci::session>(soci::mysql, uri));
      cms::bench::ConfigureAsServer(*raw.back());
    }
  } catch (const std::exception& e) {
    Die(e.what());
  }

  Draws draws(book, callers, with_action);
  std::array<std::atomic<int64_t>, cms::v1::ArrearsStep_ARRAYSIZE> steps{};
  const cms::bench::Load server_load{
      "ArrearsService.GetArrearsRecommendation", [&](int c) {
        const auto [case_id, staff] = draws.Next(c);
        cms::v1::GetArrearsRecommendationRequest req;
        req.set_case_id(case_id);
        cms::v1::ArrearsRecommendation out;
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
        ctx.AddMetadata("x-cms-user", *staff);
        grpc::Status s = stubs[c % stubs.size()]->GetArrearsRecommendation(&ctx, req, &out);
        if (s.ok()) ++steps[out.step()];
        return ErrorOf(s);
      }};
  const cms::bench::Load raw_load{"  raw SQL, same statements", [&](int c) {
                                    const auto [case_id, staff] = draws.Next(c);
                                    return cms::bench::RawArrearsRecommendation(*raw[c], *staff,
                                                                                case_id);
                                  }};

  const std::vector<std::pair<std::string, int>> processes = {
      {"cms_server", server->pid()}, {"mariadbd", DatabasePid(uri)}, {"bench", getpid()}};
  std::vector<cms::bench::LoadResult> server_runs, raw_runs;
  bool errors = false;
  for (int run = 0; run < runs; ++run) {
    for (const cms::bench::Load* load : {&server_load, &raw_load}) {
      draws.Reseed(2 * run + (load == &raw_load ? 1 : 0));
      std::vector<double> cpu_before;
      for (const auto& [name, pid] : processes) cpu_before.push_back(cms::bench::CpuSeconds(pid));
      const auto [busy_before, all_before] = cms::bench::MachineSeconds();
      cms::bench::LoadResult r =
          cms::bench::RunClosedLoop(load->name, callers, warmup, measure, load->call);
      const auto [busy_after, all_after] = cms::bench::MachineSeconds();
      std::string cpu;
      double others = busy_after - busy_before;
      const double calls = r.per_second * absl::ToDoubleSeconds(warmup + measure);
      for (size_t i = 0; i < processes.size(); ++i) {
        if (processes[i].second == 0) continue;
        const double used = cms::bench::CpuSeconds(processes[i].second) - cpu_before[i];
        others -= used;
        if (calls > 0)
          absl::StrAppendFormat(&cpu, " %s %.2f", processes[i].first, 1000 * used / calls);
      }
      std::printf("run %d %s\n      CPU ms a call:%s; other processes %.0f%% of the machine\n",
                  run + 1, cms::bench::FormatResult(r).c_str(), cpu.c_str(),
                  std::max(0.0, 100 * others / (all_after - all_before)));
      std::fflush(stdout);
      errors |= r.errors != 0;
      (load == &server_load ? server_runs : raw_runs).push_back(std::move(r));
    }
  }

  const cms::bench::LoadResult s = cms::bench::MedianOf(server_runs),
                               r = cms::bench::MedianOf(raw_runs);
  std::printf("\nmedian of %d runs each, %d callers, %.0f s a run:\n", runs, callers,
              absl::ToDoubleSeconds(measure));
  for (const auto* m : {&s, &r}) {
    std::printf("  %-40s %8.1f calls/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  steal %4.1f%%\n",
                m->name.c_str(), m->per_second, m->p50_ms, m->p95_ms, m->p99_ms, m->steal_percent);
  }
  std::printf("  server/raw: calls/s %.0f%%, p50 %.2fx, p99 %.2fx\n",
              100 * s.per_second / r.per_second, s.p50_ms / r.p50_ms, s.p99_ms / r.p99_ms);
  if (callers == kTargetCallers) {
    std::printf("  server p99 %.2f ms at %d callers: target <= %.0f ms %s\n", s.p99_ms, callers,
                kTargetP99Ms, s.p99_ms <= kTargetP99Ms ? "met" : "NOT met");
  }
  int64_t answered = 0;
  for (const auto& n : steps) answered += n;
  std::printf("steps the server recommended (all server calls, warm-up included):\n");
  for (int step = 0; step < cms::v1::ArrearsStep_ARRAYSIZE; ++step) {
    if (steps[step] == 0) continue;
    std::printf("  %-24s %5.1f%%\n",
                cms::ShortName(static_cast<cms::v1::ArrearsStep>(step)).c_str(),
                100.0 * steps[step] / std::max<int64_t>(answered, 1));
  }
  std::printf("cms_server RSS after load: %.1f MiB\n", server->RssMiB());
  std::remove(tokens.c_str());
  return errors ? 1 : 0;
}
