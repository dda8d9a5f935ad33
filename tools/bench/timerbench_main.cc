// cms_timerbench: durable-timer firing (T8.2) through real cms_server
// replicas, for the PROBE kind (one counter-row upsert + one audit row per
// timer, the timer marked fired, all in the sweep transaction):
//
//   burst   N timers due at one instant, 1 and 2 replicas: firing throughput
//           (timers / span from first to last fired).
//   steady  timers due at --rate per second for --seconds, 1 and 2
//           replicas: firing lag (fired - due) p50/p99/max, and p99 beyond
//           the sweep interval.
//   raw     the same statements through cms_store on 1 and 2 threads with
//           no server in between (the ceiling).
//
//   tools/cms timerbench [--timers=20000] [--rate=3000] [--seconds=10]
//
// The database is the private MariaDB named by CMS_TEST_DB_URI; each
// scenario uses a fresh database.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cms/v1/admin.pb.h"
#include "server/store/audit_repo.h"
#include "server/store/migrations.h"
#include "server/store/timer_repo.h"
#include "soci/soci.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(int, timers, 20000, "timers in the burst");
ABSL_FLAG(int, rate, 3000, "timers coming due per second in the steady run");
ABSL_FLAG(int, seconds, 10, "length of the steady run");
ABSL_FLAG(int, sweep_ms, 200, "--timer_sweep_ms of the replicas");
ABSL_FLAG(int, batch_size, 100, "--timer_batch_size of the replicas");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

using cms::bench::ServerProcess;
using cms::store::Db;

constexpr char kToken[] = "timerbench-token";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_timerbench: %s\n", what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) Die(absl::StrCat(what, ": ", s.ToString()));
}

// A fresh, migrated database with the probe table.
struct Scenario {
  explicit Scenario(const std::string& name) {
    uri = absl::StrCat(std::getenv("CMS_TEST_DB_URI"), " db=tb_", name, "_", getpid());
    Check(cms::store::DropDatabase(uri), "drop");
    Check(cms::store::CreateDatabaseIfMissing(uri), "create");
    auto opened = Db::Open({uri, 4});
    Check(opened.status(), "open");
    db = *std::move(opened);
    Check(cms::store::MigrateUp(*db, cms::store::EmbeddedMigrations()).status(), "migrate");
    Check(cms::store::EnsureTimerProbeTable(*db), "probe table");
  }
  ~Scenario() {
    db.reset();
    (void)cms::store::DropDatabase(uri);
  }

  // Timer i is due at first + i * step.
  void Schedule(int n, absl::Time first, absl::Duration step) {
    for (int from = 0; from < n; from += 1000) {
      Check(db->RunInTransaction([&](cms::store::Tx& tx) -> absl::Status {
        for (int i = from; i < std::min(n, from + 1000); ++i) {
          cms::store::TimerSpec spec{"PROBE", i + 1, first + step * i, "",
                                     absl::StrCat("PROBE/", i + 1)};
          auto r = cms::store::ScheduleTimer(tx, spec, absl::ToUnixMicros(absl::Now()));
          if (!r.ok()) return r.status();
        }
        return absl::OkStatus();
      }),
            "schedule");
    }
  }

  // Moves every due instant by `by` in one statement: timers are written
  // far ahead, the replicas started, then the schedule is brought to a
  // moment just ahead, so neither insert nor start-up time counts as lag.
  void ShiftDue(absl::Duration by) {
    long long us = absl::ToInt64Microseconds(by);
    Check(db->RunInTransaction([&](cms::store::Tx& tx) {
            tx.session() << "UPDATE timers SET due_us = due_us + :by", soci::use(us);
            return absl::OkStatus();
          }),
          "shift");
  }

  int64_t Scalar(const std::string& sql) {
    long long v = 0;
    soci::indicator ind = soci::i_ok;
    Check(db->RunReadOnly([&](cms::store::Tx& tx) {
      tx.session() << sql, soci::into(v, ind);
      return absl::OkStatus();
    }),
          "query");
    return ind == soci::i_ok ? v : 0;
  }

  void WaitAllFired(absl::Duration limit) {
    for (absl::Time end = absl::Now() + limit; absl::Now() < end;) {
      if (Scalar("SELECT COUNT(*) FROM timers WHERE state = 'PENDING'") == 0) return;
      absl::SleepFor(absl::Milliseconds(20));
    }
    Die("timers still pending at the time limit");
  }

  // fired_us - due_us of every timer, sorted, in ms.
  std::vector<double> Lags() {
    std::vector<double> out;
    Check(db->RunReadOnly([&](cms::store::Tx& tx) {
      soci::rowset<long long> rows =
          (tx.session().prepare << "SELECT fired_us - due_us FROM timers");
      for (long long v : rows) out.push_back(v / 1000.0);
      return absl::OkStatus();
    }),
          "lags");
    std::sort(out.begin(), out.end());
    return out;
  }

  std::string uri;
  std::unique_ptr<Db> db;
};

double Pct(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

std::vector<ServerProcess> StartReplicas(const Scenario& s, int n, const std::string& tokens) {
  std::string bin = absl::GetFlag(FLAGS_server_bin);
  if (bin.empty()) bin = cms::bench::ServerBinaryBesideMe();
  std::vector<ServerProcess> out;
  for (int i = 0; i < n; ++i) {
    auto p = ServerProcess::Start(
        bin,
        {"--db_uri=" + s.uri, "--tokens_file=" + tokens, "--register_probe_timer",
         absl::StrCat("--timer_sweep_ms=", absl::GetFlag(FLAGS_sweep_ms)),
         absl::StrCat("--timer_batch_size=", absl::GetFlag(FLAGS_batch_size)), "--pool_size=4"});
    Check(p.status(), "start cms_server");
    out.push_back(*std::move(p));
  }
  return out;
}

// Timers are written this far ahead, then shifted to start kLead after the
// replicas are up.
constexpr absl::Duration kAhead = absl::Hours(1);
constexpr absl::Duration kLead = absl::Seconds(1);

void Burst(int replicas, const std::string& tokens) {
  Scenario s(absl::StrCat("burst", replicas));
  const int n = absl::GetFlag(FLAGS_timers);
  const absl::Time first = absl::Now() + kAhead;
  s.Schedule(n, first, absl::ZeroDuration());
  auto servers = StartReplicas(s, replicas, tokens);
  s.ShiftDue(absl::Now() + kLead - first);
  s.WaitAllFired(absl::Seconds(300));
  const double span_s = (s.Scalar("SELECT MAX(fired_us) - MIN(fired_us) FROM timers")) / 1e6;
  std::printf("burst   %d replica(s): %d timers fired in %.2f s = %.0f timers/s\n", replicas, n,
              span_s, span_s > 0 ? n / span_s : 0.0);
}

void Steady(int replicas, const std::string& tokens) {
  Scenario s(absl::StrCat("steady", replicas));
  const int rate = absl::GetFlag(FLAGS_rate);
  const int n = rate * absl::GetFlag(FLAGS_seconds);
  const absl::Time first = absl::Now() + kAhead;
  s.Schedule(n, first, absl::Seconds(1) / rate);
  auto servers = StartReplicas(s, replicas, tokens);
  s.ShiftDue(absl::Now() + kLead - first);
  s.WaitAllFired(absl::Seconds(absl::GetFlag(FLAGS_seconds)) + absl::Seconds(120));
  const std::vector<double> lags = s.Lags();
  const double sweep = absl::GetFlag(FLAGS_sweep_ms);
  std::printf(
      "steady  %d replica(s): %d timers due at %d/s; lag p50 %.0f ms, p99 %.0f ms, max %.0f "
      "ms; p99 beyond the %.0f ms sweep interval: %.0f ms\n",
      replicas, n, rate, Pct(lags, 0.5), Pct(lags, 0.99), lags.empty() ? 0 : lags.back(), sweep,
      std::max(0.0, Pct(lags, 0.99) - sweep));
}

// The sweeper's statements with no server: claim, upsert, audit, mark fired.
void Raw(int threads) {
  Scenario s(absl::StrCat("raw", threads));
  const int n = absl::GetFlag(FLAGS_timers);
  s.Schedule(n, absl::Now(), absl::ZeroDuration());
  const int batch = absl::GetFlag(FLAGS_batch_size);
  const absl::Time start = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      for (;;) {
        size_t claimed = 0;
        Check(s.db->RunInTransaction([&](cms::store::Tx& tx) -> absl::Status {
          const int64_t now = absl::ToUnixMicros(absl::Now());
          auto due = cms::store::ClaimDueTimers(tx, {"PROBE"}, now, batch);
          if (!due.ok()) return due.status();
          claimed = due->size();
          std::vector<int64_t> ids;
          std::vector<cms::v1::AuditEvent> audit;
          for (const auto& t : *due) {
            absl::Status st = cms::store::IncrementTimerProbe(tx, t.subject);
            if (!st.ok()) return st;
            ids.push_back(t.id);
            auto& e = audit.emplace_back();
            e.set_actor("system");
            e.set_rpc("FireTimers");
            e.set_entity_type("timer_probe");
            e.set_entity_id(absl::StrCat(t.subject));
            e.set_after_json("{}");
          }
          absl::Status st = cms::store::MarkTimersFired(tx, ids, now);
          if (!st.ok()) return st;
          return cms::store::InsertAuditEvents(tx, audit, now);
        }),
              "raw sweep");
        if (claimed == 0) return;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double secs = absl::ToDoubleSeconds(absl::Now() - start);
  std::printf(
      "raw     %d thread(s):  %d timers fired in %.2f s = %.0f timers/s (same statements "
      "via cms_store, no server)\n",
      threads, n, secs, n / secs);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (std::getenv("CMS_TEST_DB_URI") == nullptr) {
    Die("CMS_TEST_DB_URI is not set; run through `tools/cms timerbench`");
  }
  const std::string tokens = absl::StrCat("/tmp/cms_timerbench_tokens_", getpid());
  std::ofstream(tokens) << kToken << " timerbench\n";
  for (int replicas : {1, 2}) Burst(replicas, tokens);
  for (int replicas : {1, 2}) Steady(replicas, tokens);
  for (int threads : {1, 2}) Raw(threads);
  std::remove(tokens.c_str());
  return 0;
}
