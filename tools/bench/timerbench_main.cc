// cms_timerbench: durable-timer firing (T8.2) through real cms_server
// replicas, for the PROBE kind (one counter-row upsert + one audit row per
// timer, the timer marked fired, all in the sweep transaction):
//
//   burst   N timers due at one instant, 1 and 2 replicas: firing throughput
//           (timers / span from the first to the last committed firing).
//   steady  timers due at --rate per second for --seconds (a steady offered
//           load), 1 and 2 replicas: firing lag p50/p99/max, and p99 beyond
//           the sweep interval, with the rate the replicas kept up.
//   raw     the same statements through cms_store on 1, 2 and
//           --sweep_threads threads with no server in between (the ceiling).
//
// "Fired" is when a client can see the firing, i.e. after its commit: this
// process polls the timers table (autocommit reads) and takes the instant
// the poll that first shows a timer FIRED returned. So the lag is due
// instant -> committed firing, over-stated by at most one poll period (a few
// ms, printed). The `fired_us` the sweeper stamps (its clock reading when
// the batch began, before the actions and the commit) is printed too, as
// "stamped": it under-states the lag by the batch's duration.
//
//   tools/cms timerbench [--timers=20000] [--rate=3000] [--seconds=10]
//                        [--sweep_threads=2] [--only=burst,steady,raw]
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
#include <unordered_map>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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
ABSL_FLAG(int, sweep_threads, 2, "--timer_sweep_threads of the replicas");
ABSL_FLAG(std::string, only, "burst,steady,raw", "scenarios to run (comma-separated)");
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
        {"--db_uri=" + s.uri, "--tokens_file=" + tokens, "--trusted_clients=timerbench",
         "--register_probe_timer", absl::StrCat("--timer_sweep_ms=", absl::GetFlag(FLAGS_sweep_ms)),
         absl::StrCat("--timer_batch_size=", absl::GetFlag(FLAGS_batch_size)),
         absl::StrCat("--timer_sweep_threads=", absl::GetFlag(FLAGS_sweep_threads)),
         "--pool_size=4"});
    Check(p.status(), "start cms_server");
    out.push_back(*std::move(p));
  }
  return out;
}

// Timers are written this far ahead, then shifted to start kLead after the
// replicas are up.
constexpr absl::Duration kAhead = absl::Hours(1);
constexpr absl::Duration kLead = absl::Seconds(1);

// How often the firing is polled for: often enough that the poll period is
// small next to the lags measured, rarely enough not to load the database.
constexpr absl::Duration kPoll = absl::Milliseconds(5);

void Burst(int replicas, const std::string& tokens) {
  Scenario s(absl::StrCat("burst", replicas));
  const int n = absl::GetFlag(FLAGS_timers);
  const absl::Time first = absl::Now() + kAhead;
  s.Schedule(n, first, absl::ZeroDuration());
  auto servers = StartReplicas(s, replicas, tokens);
  const absl::Time due = absl::Now() + kLead;
  s.ShiftDue(due - first);
  // Each poll reads one index entry: the first FIRED row, then (once one
  // was seen) the first PENDING one.
  std::optional<absl::Time> first_seen;
  int64_t fired_at_first = 0;
  const absl::Time limit = absl::Now() + absl::Seconds(300);
  for (;;) {
    if (absl::Now() > limit) Die("timers still pending at the time limit");
    if (!first_seen.has_value()) {
      if (s.Scalar("SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE state = 'FIRED' LIMIT 1) f") >
          0) {
        first_seen = absl::Now();
        fired_at_first = s.Scalar("SELECT COUNT(*) FROM timers WHERE state = 'FIRED'");
      }
    } else if (s.Scalar("SELECT COUNT(*) FROM (SELECT 1 FROM timers WHERE state = 'PENDING' "
                        "LIMIT 1) p") == 0) {
      break;
    }
    absl::SleepFor(kPoll);
  }
  const absl::Time last_seen = absl::Now();
  const double span_s = absl::ToDoubleSeconds(last_seen - *first_seen);
  const double stamped_s = (s.Scalar("SELECT MAX(fired_us) - MIN(fired_us) FROM timers")) / 1e6;
  std::printf(
      "burst   %d replica(s): %d timers; first commit seen %.0f ms after due, the other %lld in "
      "%.2f s = %.0f timers/s (all fired %.2f s after due; stamped span %.2f s)\n",
      replicas, n, absl::ToDoubleMilliseconds(*first_seen - due),
      static_cast<long long>(n - fired_at_first), span_s,
      span_s > 0 ? (n - fired_at_first) / span_s : 0.0, absl::ToDoubleSeconds(last_seen - due),
      stamped_s);
  std::fflush(stdout);
}

void Steady(int replicas, const std::string& tokens) {
  Scenario s(absl::StrCat("steady", replicas));
  const int rate = absl::GetFlag(FLAGS_rate);
  const int n = rate * absl::GetFlag(FLAGS_seconds);
  const absl::Time first = absl::Now() + kAhead;
  s.Schedule(n, first, absl::Seconds(1) / rate);
  auto servers = StartReplicas(s, replicas, tokens);
  s.ShiftDue(absl::Now() + kLead - first);

  // Every timer in due order, and the instant it was first seen FIRED.
  struct Timer {
    int64_t id;
    int64_t due_us;
    int64_t seen_us = 0;
  };
  std::vector<Timer> timers;
  Check(s.db->RunReadOnly([&](cms::store::Tx& tx) {
    soci::rowset<soci::row> rows =
        (tx.session().prepare << "SELECT id, due_us FROM timers ORDER BY due_us, id");
    for (const soci::row& r : rows) {
      timers.push_back(
          {static_cast<int64_t>(r.get<long long>(0)), static_cast<int64_t>(r.get<long long>(1))});
    }
    return absl::OkStatus();
  }),
        "timers");
  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < timers.size(); ++i) index[timers[i].id] = i;

  // Each poll reads the FIRED rows due at or after the earliest one not yet
  // seen (an index range of ix_timers_sweep): timers fire nearly in due
  // order, so that is about the ones fired since the last poll.
  size_t unseen = 0;  // timers[0, unseen) have all been seen
  int polls = 0;
  const absl::Time start = absl::Now();
  const absl::Time limit = start + absl::Seconds(absl::GetFlag(FLAGS_seconds)) + absl::Seconds(120);
  while (unseen < timers.size()) {
    if (absl::Now() > limit) Die("timers still pending at the time limit");
    std::vector<long long> ids;
    long long lo = timers[unseen].due_us;
    Check(s.db->RunLatest([&](cms::store::Tx& tx) {
      soci::rowset<long long> rows =
          (tx.session().prepare << "SELECT id FROM timers WHERE state = 'FIRED' AND due_us >= :lo",
           soci::use(lo));
      for (long long id : rows) ids.push_back(id);
      return absl::OkStatus();
    }),
          "poll");
    // Committed before the poll returned: a conservative fired instant.
    const int64_t now_us = absl::ToUnixMicros(absl::Now());
    ++polls;
    for (long long id : ids) {
      auto it = index.find(id);
      if (it != index.end() && timers[it->second].seen_us == 0) timers[it->second].seen_us = now_us;
    }
    while (unseen < timers.size() && timers[unseen].seen_us != 0) ++unseen;
    if (unseen < timers.size()) absl::SleepFor(kPoll);
  }
  const double poll_ms = absl::ToDoubleMilliseconds(absl::Now() - start) / std::max(1, polls);

  std::vector<double> lags;
  int64_t last_seen_us = 0;
  for (const Timer& t : timers) {
    lags.push_back((t.seen_us - t.due_us) / 1000.0);
    last_seen_us = std::max(last_seen_us, t.seen_us);
  }
  std::sort(lags.begin(), lags.end());
  const std::vector<double> stamped = s.Lags();
  const double sweep = absl::GetFlag(FLAGS_sweep_ms);
  // Timers over the span from the first coming due to the last firing.
  const double kept_up = n / ((last_seen_us - timers.front().due_us) / 1e6);
  std::printf(
      "steady  %d replica(s): %d timers due at %d/s, fired at %.0f/s; lag p50 %.0f ms, p99 %.0f "
      "ms, max %.0f ms; p99 beyond the %.0f ms sweep interval: %.0f ms (due -> commit seen, "
      "polled every %.1f ms; stamped p50 %.0f, p99 %.0f ms)\n",
      replicas, n, rate, kept_up, Pct(lags, 0.5), Pct(lags, 0.99), lags.back(), sweep,
      std::max(0.0, Pct(lags, 0.99) - sweep), poll_ms, Pct(stamped, 0.5), Pct(stamped, 0.99));
  std::fflush(stdout);
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
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (std::getenv("CMS_TEST_DB_URI") == nullptr) {
    Die("CMS_TEST_DB_URI is not set; run through `tools/cms timerbench`");
  }
  const std::vector<std::string> only = absl::StrSplit(absl::GetFlag(FLAGS_only), ',');
  auto wanted = [&](const char* name) {
    return std::find(only.begin(), only.end(), name) != only.end();
  };
  const std::string tokens = absl::StrCat("/tmp/cms_timerbench_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, "timerbench");
  std::printf("replicas run --timer_sweep_threads=%d --timer_batch_size=%d --timer_sweep_ms=%d\n",
              absl::GetFlag(FLAGS_sweep_threads), absl::GetFlag(FLAGS_batch_size),
              absl::GetFlag(FLAGS_sweep_ms));
  std::fflush(stdout);
  if (wanted("burst")) {
    for (int replicas : {1, 2}) Burst(replicas, tokens);
  }
  if (wanted("steady")) {
    for (int replicas : {1, 2}) Steady(replicas, tokens);
  }
  if (wanted("raw")) {
    std::vector<int> threads = {1, 2};
    if (absl::GetFlag(FLAGS_sweep_threads) > 2) {
      threads.push_back(absl::GetFlag(FLAGS_sweep_threads));
    }
    for (int t : threads) Raw(t);
  }
  std::remove(tokens.c_str());
  return 0;
}
