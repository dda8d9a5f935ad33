// cms_drill: the operator's fault drills of issue 17, against real cms_server
// replicas and the private MariaDB (not in CI; figures go in the notes).
//
//   tools/cms drill [--scenarios=timers,writes,connections,restart]
//                   [--seconds=30] [--fault_every_ms=2000] [--timers=20000]
//
//   timers       --timers PROBE timers coming due over --seconds, fired by 3
//                replicas; every --fault_every_ms one replica is killed with
//                SIGKILL and a fresh one started. Every timer must fire
//                exactly once (the probe counts each firing).
//   writes       --writers callers send CreateApplication (each with its own
//                request id, retried with the same id on another replica
//                until acknowledged, as a real client does) to 2 replicas,
//                one of which is killed with SIGKILL and restarted every
//                --fault_every_ms.
//   connections  the same load; every --fault_every_ms MariaDB KILLs every
//                connection of the drill's database.
//   restart      the same load; MariaDB itself is killed with SIGKILL (a
//                crash, so InnoDB recovers) and started again, 3 times.
//
// Each load scenario reports the writes acknowledged against the rows in
// the database (each acknowledged application present exactly once, its
// parents and casegroup whole; none twice), the calls that failed and were
// retried, and the time from each fault to the first acknowledged write
// sent after it (recovery). The process exits 1 when any check fails.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/store/db.h"
#include "server/store/migrations.h"
#include "server/store/timer_repo.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"
#include "tools/bench/application_request.h"
#include "tools/bench/load.h"
#include "tools/bench/server_process.h"

ABSL_FLAG(std::string, scenarios, "timers,writes,connections,restart", "drills to run");
ABSL_FLAG(int, seconds, 30, "length of each drill's load");
ABSL_FLAG(int, fault_every_ms, 2000, "time between faults");
ABSL_FLAG(int, timers, 20000, "PROBE timers in the timer drill");
ABSL_FLAG(int, writers, 8, "concurrent writers in the load drills");
ABSL_FLAG(std::string, db_dir, "", "the private MariaDB's state folder (restart drill)");
ABSL_FLAG(std::string, mariadb, "", "tools/mariadb (restart drill)");
ABSL_FLAG(std::string, server_bin, "", "cms_server binary (default: next to the build tree)");

namespace {

using cms::bench::ServerProcess;
using cms::store::Db;

constexpr char kToken[] = "drill-token-0123456789";
constexpr char kClient[] = "drill";
constexpr char kWriter[] = "cw.gb.new_case.a1";
// How long a writer keeps retrying one application before it gives up and
// counts its outcome as unknown.
constexpr absl::Duration kGiveUp = absl::Seconds(60);

bool failed = false;

void Fail(const std::string& what) {
  std::printf("  FAILED: %s\n", what.c_str());
  failed = true;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "cms_drill: %s\n", what.c_str());
  std::exit(1);
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) Die(absl::StrCat(what, ": ", s.ToString()));
}

std::string BaseUri() {
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr) Die("CMS_TEST_DB_URI is not set; run through `tools/cms drill`");
  return base;
}

std::string ServerBin() {
  std::string bin = absl::GetFlag(FLAGS_server_bin);
  return bin.empty() ? cms::bench::ServerBinaryBesideMe() : bin;
}

// A fresh database per drill, dropped at the end.
struct Database {
  explicit Database(const std::string& name)
      : uri(absl::StrCat(BaseUri(), " db=drill_", name, "_", getpid())) {
    Check(cms::store::DropDatabase(uri), "drop");
    Check(cms::store::CreateDatabaseIfMissing(uri), "create");
  }
  ~Database() { (void)cms::store::DropDatabase(uri); }
  std::string Name() const { return uri.substr(uri.rfind("db=") + 3); }

  // One value of a query, on a connection of its own (the drills break the
  // server's, and this one must outlive them).
  int64_t Scalar(const std::string& sql) const {
    soci::session s(soci::mysql, uri);
    long long v = 0;
    soci::indicator ind = soci::i_ok;
    s << sql, soci::into(v, ind);
    return ind == soci::i_ok ? v : 0;
  }

  std::string uri;
};

// The replicas: started with the same flags, each killable and
// restartable (on a new port), their ports read by the callers.
class Replicas {
 public:
  Replicas(std::vector<std::string> args, int n) : args_(std::move(args)) {
    for (int i = 0; i < n; ++i) servers_.push_back(StartOne());
  }

  void KillAndRestart(int i) {
    servers_[i]->Kill();
    {
      std::lock_guard<std::mutex> l(mu_);
      ports_.erase(servers_[i]->port());
    }
    servers_[i] = StartOne();
  }

  int size() const { return static_cast<int>(servers_.size()); }
  std::vector<int> Ports() const {
    std::lock_guard<std::mutex> l(mu_);
    return {ports_.begin(), ports_.end()};
  }

 private:
  std::unique_ptr<ServerProcess> StartOne() {
    auto p = ServerProcess::Start(ServerBin(), args_);
    Check(p.status(), "start cms_server");
    auto out = std::make_unique<ServerProcess>(*std::move(p));
    std::lock_guard<std::mutex> l(mu_);
    ports_.insert(out->port());
    return out;
  }

  std::vector<std::string> args_;
  std::vector<std::unique_ptr<ServerProcess>> servers_;
  mutable std::mutex mu_;
  std::set<int> ports_;
};

// ---------------------------------------------------------------- timers

void TimerDrill(const std::string& tokens) {
  std::printf("\n== timers: %d PROBE timers over %d s, 3 replicas, one killed every %d ms\n",
              absl::GetFlag(FLAGS_timers), absl::GetFlag(FLAGS_seconds),
              absl::GetFlag(FLAGS_fault_every_ms));
  Database db("timers");
  {
    auto opened = Db::Open({db.uri, 2});
    Check(opened.status(), "open");
    Check(cms::store::MigrateUp(**opened, cms::store::EmbeddedMigrations()).status(), "migrate");
    Check(cms::store::EnsureTimerProbeTable(**opened), "probe table");
    // Written an hour ahead, then moved to start just after the replicas
    // are up, so start-up time does not eat into the storm.
    const int n = absl::GetFlag(FLAGS_timers);
    const absl::Time first = absl::Now() + absl::Hours(1);
    const absl::Duration step = absl::Seconds(absl::GetFlag(FLAGS_seconds)) / n;
    for (int from = 0; from < n; from += 1000) {
      Check((*opened)->RunInTransaction([&](cms::store::Tx& tx) -> absl::Status {
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
    Replicas replicas({"--db_uri=" + db.uri, "--tokens_file=" + tokens,
                       absl::StrCat("--trusted_clients=", kClient), "--register_probe_timer",
                       "--timer_sweep_ms=100", "--pool_size=4"},
                      3);
    const long long shift = absl::ToInt64Microseconds(absl::Now() + absl::Seconds(1) - first);
    Check((*opened)->RunInTransaction([&](cms::store::Tx& tx) {
      tx.session() << "UPDATE timers SET due_us = due_us + :by", soci::use(shift);
      return absl::OkStatus();
    }),
          "shift");
    const absl::Time start = absl::Now();
    const absl::Time limit = start + absl::Seconds(absl::GetFlag(FLAGS_seconds) + 120);
    std::mt19937 rng(42);
    int kills = 0;
    while (db.Scalar("SELECT COUNT(*) FROM timers WHERE state <> 'FIRED'") > 0) {
      if (absl::Now() > limit) {
        Fail("timers still pending two minutes after the last came due");
        break;
      }
      absl::SleepFor(absl::Milliseconds(absl::GetFlag(FLAGS_fault_every_ms)));
      replicas.KillAndRestart(static_cast<int>(rng() % replicas.size()));
      ++kills;
    }
    const double span = absl::ToDoubleSeconds(absl::Now() - start);
    const int64_t fired = db.Scalar("SELECT COUNT(*) FROM timers WHERE state = 'FIRED'");
    const int64_t probes = db.Scalar("SELECT COUNT(*) FROM timer_probe");
    const int64_t twice = db.Scalar("SELECT COUNT(*) FROM timer_probe WHERE fired > 1");
    const int64_t actions = db.Scalar("SELECT COALESCE(SUM(fired), 0) FROM timer_probe");
    std::printf(
        "  %d kill -9s in %.1f s; timers FIRED %lld of %d; actions run %lld for %lld "
        "timers; fired more than once: %lld\n",
        kills, span, static_cast<long long>(fired), n, static_cast<long long>(actions),
        static_cast<long long>(probes), static_cast<long long>(twice));
    if (fired != n || probes != n) Fail("a timer did not fire");
    if (twice != 0 || actions != n) Fail("a timer fired more than once");
  }
}

// ---------------------------------------------------------------- writes

// What the writers did: each application's outcome, the failed attempts,
// and when each write was acknowledged (to time the recovery from a fault).
struct WriteLog {
  std::mutex mu;
  std::vector<int64_t> acked;    // application numbers
  std::vector<int64_t> unknown;  // given up on: may or may not be in
  std::map<std::string, int> errors;
  std::vector<std::pair<absl::Time, absl::Time>> ack_times;  // sent, acknowledged
  int64_t retries = 0;
};

class Writers {
 public:
  Writers(const Replicas& replicas, WriteLog& log) : replicas_(replicas), log_(log) {}

  void Start(int n) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { Run(i); });
  }
  void Stop() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }

 private:
  cms::v1::CasegroupService::Stub& StubFor(int port) {
    std::lock_guard<std::mutex> l(mu_);
    auto& stub = stubs_[port];
    if (!stub) {
      stub = cms::v1::CasegroupService::NewStub(grpc::CreateChannel(
          absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
    }
    return *stub;
  }

  void Run(int writer) {
    std::mt19937 rng(writer);
    while (!stop_) {
      const int64_t n = next_.fetch_add(1);
      const auto req = cms::bench::ApplicationRequest(n, absl::StrCat("drill-", getpid(), "-", n));
      const absl::Time began = absl::Now();
      bool done = false;
      while (!done && absl::Now() - began < kGiveUp) {
        const std::vector<int> ports = replicas_.Ports();
        if (ports.empty()) {
          absl::SleepFor(absl::Milliseconds(50));
          continue;
        }
        const absl::Time sent = absl::Now();
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        ctx.AddMetadata("authorization", absl::StrCat("Bearer ", kToken));
        ctx.AddMetadata("x-cms-user", kWriter);
        cms::v1::Application out;
        const grpc::Status s =
            StubFor(ports[rng() % ports.size()]).CreateApplication(&ctx, req, &out);
        std::lock_guard<std::mutex> l(log_.mu);
        if (s.ok()) {
          log_.acked.push_back(n);
          log_.ack_times.emplace_back(sent, absl::Now());
          done = true;
        } else {
          ++log_.retries;
          ++log_.errors[absl::StrCat(s.error_code(), " ", s.error_message().substr(0, 60))];
        }
        if (!done) absl::SleepFor(absl::Milliseconds(20));
      }
      if (!done) {
        std::lock_guard<std::mutex> l(log_.mu);
        log_.unknown.push_back(n);
      }
    }
  }

  const Replicas& replicas_;
  WriteLog& log_;
  std::atomic<bool> stop_{false};
  std::atomic<int64_t> next_{0};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::map<int, std::unique_ptr<cms::v1::CasegroupService::Stub>> stubs_;
};

// Every acknowledged application is in, whole, once; none is in twice.
void VerifyWrites(const Database& db, const WriteLog& log) {
  soci::session s(soci::mysql, db.uri);
  std::map<std::string, int> persons;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT nino, COUNT(*) FROM persons WHERE nino LIKE 'CE%' GROUP BY nino");
  for (const soci::row& r : rows)
    persons[r.get<std::string>(0)] = static_cast<int>(r.get<long long>(1));
  int64_t missing = 0, twice = 0, unknown_in = 0;
  for (int64_t n : log.acked) {
    for (char parent : {'A', 'B'}) {
      auto it = persons.find(cms::bench::ApplicationNino(n, parent));
      if (it == persons.end()) ++missing;
    }
  }
  for (const auto& [nino, count] : persons) twice += count > 1 ? 1 : 0;
  for (int64_t n : log.unknown) unknown_in += persons.count(cms::bench::ApplicationNino(n, 'A'));
  const int64_t casegroups = db.Scalar(
      "SELECT COUNT(*) FROM casegroups g JOIN persons p ON p.id = g.pp_person_id WHERE p.nino "
      "LIKE 'CE%'");
  const int64_t pps = db.Scalar("SELECT COUNT(*) FROM persons WHERE nino LIKE 'CE%A'");
  std::printf(
      "  acknowledged %zu, in the database %lld casegroups of %lld paying parents; "
      "acknowledged but missing %lld parents; persons twice %lld; given up %zu (%lld of "
      "them in)\n",
      log.acked.size(), static_cast<long long>(casegroups), static_cast<long long>(pps),
      static_cast<long long>(missing), static_cast<long long>(twice), log.unknown.size(),
      static_cast<long long>(unknown_in));
  if (missing != 0) Fail("an acknowledged write is missing");
  if (twice != 0) Fail("a write went in twice");
  if (casegroups != pps) Fail("an application is half-written (a parent without its casegroup)");
  if (static_cast<int64_t>(log.acked.size()) + unknown_in != pps) {
    Fail("rows in the database that no writer sent");
  }
}

// The first acknowledged write sent at or after `t`, ms after `t`.
std::optional<double> FirstAckAfter(const WriteLog& log, absl::Time t) {
  std::optional<absl::Time> first;
  for (const auto& [sent, acked] : log.ack_times) {
    if (sent >= t && (!first || acked < *first)) first = acked;
  }
  if (!first) return std::nullopt;
  return absl::ToDoubleMilliseconds(*first - t);
}

// The time from each fault to the first acknowledged write sent after it,
// and from the end of the fault (the database answering again, for a
// restart) to that write: the server's own share of the outage.
void ReportFaults(const WriteLog& log, const std::vector<std::pair<absl::Time, absl::Time>>& faults,
                  double seconds) {
  std::vector<double> recoveries, after_fault;
  for (const auto& [began, ended] : faults) {
    if (auto ms = FirstAckAfter(log, began)) recoveries.push_back(*ms);
    if (auto ms = FirstAckAfter(log, ended)) after_fault.push_back(*ms);
  }
  std::sort(recoveries.begin(), recoveries.end());
  std::sort(after_fault.begin(), after_fault.end());
  std::printf(
      "  %zu faults; %zu writes acknowledged in %.0f s (%.0f/s); %lld failed attempts, "
      "all retried:\n",
      faults.size(), log.acked.size(), seconds, log.acked.size() / seconds,
      static_cast<long long>(log.retries));
  for (const auto& [what, count] : log.errors) std::printf("    %6d x %s\n", count, what.c_str());
  if (!recoveries.empty()) {
    std::printf(
        "  recovery (fault -> first acknowledged write sent after it): median %.0f ms, "
        "max %.0f ms\n",
        recoveries[recoveries.size() / 2], recoveries.back());
  }
  if (!after_fault.empty()) {
    std::printf(
        "  from the fault's end (the replica or database back) to the first acknowledged "
        "write sent after it: median %.0f ms, max %.0f ms\n",
        after_fault[after_fault.size() / 2], after_fault.back());
  }
  if (recoveries.size() != faults.size()) Fail("no write was acknowledged after a fault");
}

// The load drills: 2 replicas, the writers, and `fault` every
// --fault_every_ms (at most `max_faults` times).
void LoadDrill(const std::string& name, const std::string& tokens, int max_faults,
               const std::function<void(Database&, Replicas&, int)>& fault) {
  Database db(name);
  const std::vector<std::string> args = {"--db_uri=" + db.uri, "--tokens_file=" + tokens,
                                         absl::StrCat("--trusted_clients=", kClient),
                                         "--pool_size=8"};
  {
    // One server migrates and seeds the demo BOM, then the two replicas
    // start on what it made, as a deployment does.
    std::vector<std::string> setup = args;
    setup.insert(setup.end(), {"--migrate", "--seed_demo_bom"});
    Check(ServerProcess::Start(ServerBin(), setup).status(), "migrate and seed");
  }
  Replicas both(args, 2);
  WriteLog log;
  Writers writers(both, log);
  const absl::Time start = absl::Now();
  writers.Start(absl::GetFlag(FLAGS_writers));
  std::vector<std::pair<absl::Time, absl::Time>> faults;  // began, ended
  const absl::Time end = start + absl::Seconds(absl::GetFlag(FLAGS_seconds));
  absl::SleepFor(absl::Seconds(2));
  for (int i = 0; absl::Now() < end && i < max_faults; ++i) {
    const absl::Time began = absl::Now();
    fault(db, both, i);
    faults.emplace_back(began, absl::Now());
    absl::SleepFor(absl::Milliseconds(absl::GetFlag(FLAGS_fault_every_ms)));
  }
  if (absl::Now() < end) absl::SleepFor(end - absl::Now());
  writers.Stop();
  ReportFaults(log, faults, absl::ToDoubleSeconds(absl::Now() - start));
  VerifyWrites(db, log);
}

int Drills() {
  const std::string tokens = absl::StrCat("/tmp/cms_drill_tokens_", getpid());
  cms::bench::WriteTokensFile(tokens, kToken, kClient);
  const std::set<std::string> want = absl::StrSplit(absl::GetFlag(FLAGS_scenarios), ',');
  const int writers = absl::GetFlag(FLAGS_writers);
  if (want.count("timers")) TimerDrill(tokens);
  if (want.count("writes")) {
    std::printf(
        "\n== writes: %d writers, 2 replicas, one killed with SIGKILL and restarted "
        "every %d ms\n",
        writers, absl::GetFlag(FLAGS_fault_every_ms));
    LoadDrill("writes", tokens, 1000,
              [](Database&, Replicas& r, int i) { r.KillAndRestart(i % r.size()); });
  }
  if (want.count("connections")) {
    std::printf(
        "\n== connections: %d writers, 2 replicas; MariaDB KILLs every connection of the "
        "database every %d ms\n",
        writers, absl::GetFlag(FLAGS_fault_every_ms));
    LoadDrill("connections", tokens, 1000, [](Database& db, Replicas&, int) {
      soci::session s(soci::mysql, db.uri);
      std::vector<long long> ids(1000);
      s << "SELECT id FROM information_schema.PROCESSLIST WHERE db = '" << db.Name()
        << "' AND id <> CONNECTION_ID()",
          soci::into(ids);
      for (long long id : ids) {
        try {
          s << "KILL " << id;
        } catch (const std::exception&) {
          // Gone already.
        }
      }
    });
  }
  if (want.count("restart")) {
    const std::string dir = absl::GetFlag(FLAGS_db_dir), mariadb = absl::GetFlag(FLAGS_mariadb);
    if (dir.empty() || mariadb.empty()) Die("the restart drill needs --db_dir and --mariadb");
    std::printf(
        "\n== restart: %d writers, 2 replicas; MariaDB killed with SIGKILL and started "
        "again, 3 times\n",
        writers);
    LoadDrill("restart", tokens, 3, [&](Database&, Replicas&, int) {
      // A process with gigabytes mapped takes a moment to die after
      // SIGKILL: start again only once it has, or `start` finds it running.
      const std::string kill = absl::StrCat(
          "pid=$(cat '", dir, "/mysqld.pid') && kill -9 $pid && while kill -0 $pid 2>/dev/null; ",
          "do sleep 0.05; done; '", mariadb, "' start '", dir, "' >/dev/null");
      if (std::system(kill.c_str()) != 0) Die("could not restart MariaDB");
    });
  }
  std::remove(tokens.c_str());
  std::printf("\n%s\n", failed ? "cms_drill: FAILED" : "cms_drill: every check passed");
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each figure as it comes, even into a pipe
  try {
    return Drills();
  } catch (const std::exception& e) {
    Die(e.what());
  }
}
