// cms_server: flags and wiring only. Every flag may also be given as an
// environment variable CMS_<FLAG IN UPPER CASE> (the command line wins).
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/api/server.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/demo_bom.h"
#include "server/store/migrations.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "address to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, db_uri, "db=cms user=root host=127.0.0.1 port=3306",
          "SOCI MySQL connect string");
ABSL_FLAG(int, pool_size, 16, "database connections");
ABSL_FLAG(int, max_threads, 64, "most handler threads; beyond it calls get RESOURCE_EXHAUSTED");
ABSL_FLAG(bool, test_clock, false, "let AdminService set and advance the business clock (T8.1)");
ABSL_FLAG(int, work_load_limit, 50, "most open SRs one person may hold (W4.4)");
ABSL_FLAG(int, missed_payment_tolerance_days, 0,
          "days after its due date before an unpaid scheduled payment counts as missed (AR10.1)");
ABSL_FLAG(std::string, tokens_file, "", "client tokens, one \"<token> <client-name>\" per line");
ABSL_FLAG(bool, create_database, false, "create the database in --db_uri when missing");
ABSL_FLAG(bool, migrate, false, "apply pending migrations, then serve");
ABSL_FLAG(bool, migrate_only, false, "apply pending migrations and exit");
ABSL_FLAG(bool, migrate_down_one, false, "revert the latest migration and exit");
ABSL_FLAG(bool, seed_demo_bom, false, "load the demo BOM when the BOM is empty");
ABSL_FLAG(std::string, port_file, "", "write the bound port here once serving");
ABSL_FLAG(int, timer_sweep_ms, 200, "how often the timer sweeper looks for due timers (T8.2)");
ABSL_FLAG(int, timer_batch_size, 100, "timers claimed and fired per sweep transaction");
ABSL_FLAG(int, timer_sweep_threads, 2,
          "sweeper worker threads of this replica, each with its own database connection on "
          "top of --pool_size (T8.2)");
ABSL_FLAG(int, timer_max_attempts, 5, "failed firings of one timer before it is FAILED");
ABSL_FLAG(bool, register_probe_timer, false,
          "tests and benchmarks only: add the PROBE timer kind and its timer_probe table");
ABSL_FLAG(int, shutdown_grace_seconds, 10, "how long in-flight calls may finish on SIGTERM");

namespace {

// CMS_<NAME> environment variables supply defaults for every flag above.
void ApplyEnvironment() {
  for (const char* name : {"listen",
                           "db_uri",
                           "pool_size",
                           "max_threads",
                           "work_load_limit",
                           "missed_payment_tolerance_days",
                           "test_clock",
                           "tokens_file",
                           "create_database",
                           "migrate",
                           "migrate_only",
                           "migrate_down_one",
                           "seed_demo_bom",
                           "port_file",
                           "shutdown_grace_seconds",
                           "timer_sweep_ms",
                           "timer_batch_size",
                           "timer_sweep_threads",
                           "timer_max_attempts",
                           "register_probe_timer"}) {
    const char* value = std::getenv(absl::StrCat("CMS_", absl::AsciiStrToUpper(name)).c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!absl::FindCommandLineFlag(name)->ParseFrom(value, &error)) {
      std::fprintf(stderr, "bad CMS_%s: %s\n", absl::AsciiStrToUpper(name).c_str(), error.c_str());
      std::exit(2);
    }
  }
}

int Fail(absl::string_view what, const absl::Status& s) {
  std::fprintf(stderr, "cms_server: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               s.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  ApplyEnvironment();
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with deadlock detection on: it tracks every
  // lock held by every thread (gRPC's included), a cost on each call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // SIGTERM/SIGINT are taken by a waiting thread, never by a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string uri = absl::GetFlag(FLAGS_db_uri);
  if (absl::GetFlag(FLAGS_create_database)) {
    if (auto s = cms::store::CreateDatabaseIfMissing(uri); !s.ok())
      return Fail("create database", s);
  }
  // Each sweeper worker holds one connection while it sweeps: they come on
  // top of the RPCs' --pool_size, so a timer backlog never starves calls.
  const int sweep_threads = absl::GetFlag(FLAGS_timer_sweep_threads);
  if (sweep_threads < 1 || absl::GetFlag(FLAGS_pool_size) < 1) {
    return Fail("flags", absl::InvalidArgumentError(
                             "--pool_size and --timer_sweep_threads must be positive"));
  }
  auto db = cms::store::Db::Open({uri, absl::GetFlag(FLAGS_pool_size) + sweep_threads});
  if (!db.ok()) return Fail("database", db.status());

  const auto& migrations = cms::store::EmbeddedMigrations();
  if (absl::GetFlag(FLAGS_migrate_down_one)) {
    if (auto s = cms::store::MigrateDownOne(**db, migrations); !s.ok()) return Fail("migrate", s);
    std::fprintf(stderr, "cms_server: reverted the latest migration\n");
    return 0;
  }
  if (absl::GetFlag(FLAGS_migrate) || absl::GetFlag(FLAGS_migrate_only)) {
    auto ran = cms::store::MigrateUp(**db, migrations);
    if (!ran.ok()) return Fail("migrate", ran.status());
    std::fprintf(stderr, "cms_server: applied %d migration(s)\n", *ran);
    if (absl::GetFlag(FLAGS_migrate_only)) return 0;
  }
  if (auto s = cms::store::CheckSchemaCurrent(**db, migrations); !s.ok()) return Fail("schema", s);

  if (absl::GetFlag(FLAGS_seed_demo_bom)) {
    auto clock = cms::app::BusinessClock::Create(absl::GetFlag(FLAGS_test_clock));
    if (!clock.ok()) return Fail("business clock", clock.status());
    cms::app::Commands commands(**db, *clock);
    cms::app::BomApp bom(commands);
    auto loaded = cms::app::LoadDemoBom(commands, bom);
    if (!loaded.ok()) return Fail("demo BOM", loaded.status());
    std::fprintf(stderr, "cms_server: demo BOM %s\n", *loaded ? "loaded" : "already present");
  }

  auto authenticator = absl::GetFlag(FLAGS_tokens_file).empty()
                           ? absl::StatusOr<cms::auth::Authenticator>(
                                 absl::InvalidArgumentError("--tokens_file is required"))
                           : cms::auth::Authenticator::FromFile(absl::GetFlag(FLAGS_tokens_file));
  if (!authenticator.ok()) return Fail("tokens", authenticator.status());

  cms::api::ServerConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.test_clock = absl::GetFlag(FLAGS_test_clock);
  config.max_threads = absl::GetFlag(FLAGS_max_threads);
  config.work_load_limit = absl::GetFlag(FLAGS_work_load_limit);
  config.payments.missed_payment_tolerance_days =
      absl::GetFlag(FLAGS_missed_payment_tolerance_days);
  config.sweeper.interval = absl::Milliseconds(absl::GetFlag(FLAGS_timer_sweep_ms));
  config.sweeper.batch_size = absl::GetFlag(FLAGS_timer_batch_size);
  config.sweeper.max_attempts = absl::GetFlag(FLAGS_timer_max_attempts);
  config.sweeper.threads = sweep_threads;
  config.probe_timer = absl::GetFlag(FLAGS_register_probe_timer);
  if (config.payments.missed_payment_tolerance_days < 0) {
    return Fail("flags",
                absl::InvalidArgumentError("--missed_payment_tolerance_days must be 0 or more"));
  }
  if (config.sweeper.batch_size < 1 || config.sweeper.max_attempts < 1 ||
      config.sweeper.interval <= absl::ZeroDuration()) {
    return Fail("flags", absl::InvalidArgumentError(
                             "--timer_sweep_ms, --timer_batch_size and --timer_max_attempts must "
                             "be positive"));
  }
  auto server = cms::api::CmsServer::Start(config, **db, *std::move(authenticator));
  if (!server.ok()) return Fail("listen", server.status());

  std::fprintf(stderr, "cms_server: serving on port %d%s\n", (*server)->port(),
               config.test_clock ? " (test clock)" : "");
  if (const std::string path = absl::GetFlag(FLAGS_port_file); !path.empty()) {
    std::ofstream(path + ".tmp") << (*server)->port() << "\n";
    std::rename((path + ".tmp").c_str(), path.c_str());
  }

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::fprintf(stderr, "cms_server: signal %d, draining in-flight calls\n", sig);
    (*server)->Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
  });
  (*server)->Wait();
  stopper.join();
  std::fprintf(stderr, "cms_server: stopped\n");
  return 0;
}
