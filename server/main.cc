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
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/api/server.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/demo_bom.h"
#include "server/auth/identity_verifier.h"
#include "server/auth/transport.h"
#include "server/base/log.h"
#include "server/domain/de_minimis.h"
#include "server/store/db_addresses.h"
#include "server/store/migrations.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "address to serve on; port 0 picks a free port");
ABSL_FLAG(std::string, db_uri, "db=cms user=root host=127.0.0.1 port=3306",
          "SOCI MySQL connect string");
ABSL_FLAG(std::string, db_hosts, "",
          "the database's addresses when it is a primary and replicas, \"host:port\" separated "
          "by ','; each replaces the host and port of --db_uri, and the server uses whichever "
          "is writable (@@read_only = 0), looking again after a lost connection");
ABSL_FLAG(int, pool_size, 16, "database connections");
ABSL_FLAG(int, workers, 0, "calls run at once (0: as many as --pool_size, one connection each)");
ABSL_FLAG(int, queue_limit, 1000,
          "calls that may wait for a worker; beyond it RESOURCE_EXHAUSTED with a retry hint");
ABSL_FLAG(int, max_call_seconds, 60,
          "the longest a call may run when its client set no deadline (or a later one)");
ABSL_FLAG(bool, test_clock, false, "let AdminService set and advance the business clock (T8.1)");
ABSL_FLAG(int, work_load_limit, 50, "most open SRs one person may hold (W4.4)");
ABSL_FLAG(int, queue_stats_max_age_ms, 5000,
          "how long this replica answers GetQueueStats with counts it already made for the same "
          "scope (W4.3; 0: count on every call)");
ABSL_FLAG(int, missed_payment_tolerance_days, 0,
          "days after its due date before an unpaid scheduled payment counts as missed (AR10.1)");
ABSL_FLAG(int, arrears_rp_contact_wait_days, 7,
          "AR10.11: days to wait for the RP after CMSL5511 before referring to DOT or for an LO");
ABSL_FLAG(int64_t, charging_order_threshold_pence, 50000,
          "AR10.8: a charging order's de minimis in a court not listed in "
          "--charging_order_court_thresholds (50000 to 75000)");
ABSL_FLAG(std::string, charging_order_court_thresholds, "",
          "AR10.8: per-court charging order de minimis, \"Court name=pence\" entries separated "
          "by ';' (each 50000 to 75000)");
ABSL_FLAG(std::string, tokens_file, "",
          "client tokens, one \"<token> <client-name>\" per line; mode 0600 or stricter; "
          "re-read on SIGHUP");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain to serve TLS with (with --tls_key_file)");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "mTLS: PEM CA that must have signed every client's certificate; the certificate's "
          "subject common name names the client");
ABSL_FLAG(bool, allow_insecure_listen, false,
          "serve plain text on a non-loopback --listen address (else refused)");
ABSL_FLAG(std::string, jwt_keys_file, "",
          "PEM public keys (RSA or EC) of the identity provider; any may verify an "
          "x-cms-identity token");
ABSL_FLAG(std::string, jwt_issuer, "", "required iss of identity tokens");
ABSL_FLAG(std::string, jwt_audience, "", "audience (aud) identity tokens must name");
ABSL_FLAG(std::string, jwt_staff_claim, "sub", "identity token claim holding the staff id");
ABSL_FLAG(int, jwt_leeway_seconds, 30, "clock skew allowed on exp, nbf and iat");
ABSL_FLAG(std::string, trusted_clients, "",
          "comma-separated client names (tokens file or certificate CN) whose x-cms-user "
          "header is believed without an identity token");
ABSL_FLAG(int, refusal_burst, 20,
          "identity refusals one peer address may get in a burst before its calls are answered "
          "RESOURCE_EXHAUSTED");
ABSL_FLAG(int, refusal_window_seconds, 10, "time over which a full refusal burst grows back");
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
                           "db_hosts",
                           "pool_size",
                           "workers",
                           "queue_limit",
                           "max_call_seconds",
                           "work_load_limit",
                           "queue_stats_max_age_ms",
                           "missed_payment_tolerance_days",
                           "arrears_rp_contact_wait_days",
                           "charging_order_threshold_pence",
                           "charging_order_court_thresholds",
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
                           "register_probe_timer",
                           "tls_cert_file",
                           "tls_key_file",
                           "tls_client_ca_file",
                           "allow_insecure_listen",
                           "jwt_keys_file",
                           "jwt_issuer",
                           "jwt_audience",
                           "jwt_staff_claim",
                           "jwt_leeway_seconds",
                           "trusted_clients",
                           "refusal_burst",
                           "refusal_window_seconds"}) {
    const char* value = std::getenv(absl::StrCat("CMS_", absl::AsciiStrToUpper(name)).c_str());
    if (value == nullptr) continue;
    std::string error;
    if (!absl::FindCommandLineFlag(name)->ParseFrom(value, &error)) {
      cms::LogLine()
          .Str("event", "bad environment")
          .Str("variable", absl::StrCat("CMS_", absl::AsciiStrToUpper(name)))
          .Str("error", error)
          .Write();
      std::exit(2);
    }
  }
}

int Fail(absl::string_view what, const absl::Status& s) {
  cms::LogLine().Str("event", "cannot start").Str("what", what).Str("error", s.ToString()).Write();
  return 1;
}

void Note(absl::string_view event) { cms::LogLine().Str("event", event).Write(); }

// The staff identity options from the flags: the trusted clients, and a JWT
// verifier when --jwt_keys_file is given (then issuer and audience are
// required too).
absl::StatusOr<cms::auth::AuthOptions> AuthOptionsFromFlags() {
  cms::auth::AuthOptions options;
  for (absl::string_view name :
       absl::StrSplit(absl::GetFlag(FLAGS_trusted_clients), ',', absl::SkipWhitespace())) {
    options.trusted_clients.insert(std::string(absl::StripAsciiWhitespace(name)));
  }
  const std::string keys_file = absl::GetFlag(FLAGS_jwt_keys_file);
  if (keys_file.empty()) {
    if (!absl::GetFlag(FLAGS_jwt_issuer).empty() || !absl::GetFlag(FLAGS_jwt_audience).empty()) {
      return absl::InvalidArgumentError("--jwt_issuer and --jwt_audience need --jwt_keys_file");
    }
    return options;
  }
  cms::auth::JwtOptions jwt;
  auto keys = cms::auth::ReadPemPublicKeys(keys_file);
  if (!keys.ok()) return keys.status();
  jwt.public_keys_pem = *std::move(keys);
  jwt.issuer = absl::GetFlag(FLAGS_jwt_issuer);
  jwt.audience = absl::GetFlag(FLAGS_jwt_audience);
  jwt.staff_claim = absl::GetFlag(FLAGS_jwt_staff_claim);
  jwt.leeway = absl::Seconds(absl::GetFlag(FLAGS_jwt_leeway_seconds));
  if (jwt.issuer.empty() || jwt.audience.empty()) {
    return absl::InvalidArgumentError("--jwt_keys_file needs --jwt_issuer and --jwt_audience");
  }
  auto verifier = cms::auth::JwtVerifier::Create(std::move(jwt));
  if (!verifier.ok()) return verifier.status();
  options.identity_verifier = *std::move(verifier);
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  ApplyEnvironment();
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with deadlock detection on: it tracks every
  // lock held by every thread (gRPC's included), a cost on each call.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  // SIGTERM/SIGINT (stop) and SIGHUP (re-read the tokens file) are taken by
  // a waiting thread, never by a handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Transport first: a server that would serve plain text to the network
  // stops before it touches the database.
  const bool tls =
      !absl::GetFlag(FLAGS_tls_cert_file).empty() || !absl::GetFlag(FLAGS_tls_key_file).empty();
  if (absl::GetFlag(FLAGS_tls_cert_file).empty() != absl::GetFlag(FLAGS_tls_key_file).empty()) {
    return Fail("flags", absl::InvalidArgumentError(
                             "give both --tls_cert_file and --tls_key_file, or neither"));
  }
  if (auto s = cms::auth::CheckListenSecurity(absl::GetFlag(FLAGS_listen), tls,
                                              absl::GetFlag(FLAGS_allow_insecure_listen));
      !s.ok()) {
    return Fail("listen", s);
  }

  // Who may call: a bad tokens file (or one others may read) or identity
  // configuration stops a server before it touches the database too. The
  // migrate-and-exit modes serve nobody and need neither.
  const bool serves = !absl::GetFlag(FLAGS_migrate_only) && !absl::GetFlag(FLAGS_migrate_down_one);
  absl::StatusOr<std::unique_ptr<cms::auth::Authenticator>> authenticator =
      absl::FailedPreconditionError("no authenticator");
  if (serves) {
    auto auth_options = AuthOptionsFromFlags();
    if (!auth_options.ok()) return Fail("identity", auth_options.status());
    if (absl::GetFlag(FLAGS_tokens_file).empty()) {
      return Fail("tokens", absl::InvalidArgumentError("--tokens_file is required"));
    }
    authenticator = cms::auth::Authenticator::FromFile(absl::GetFlag(FLAGS_tokens_file),
                                                       *std::move(auth_options));
    if (!authenticator.ok()) return Fail("tokens", authenticator.status());
  }

  const std::string uri = absl::GetFlag(FLAGS_db_uri);
  auto db_hosts = cms::store::ParseDbHosts(absl::GetFlag(FLAGS_db_hosts));
  if (!db_hosts.ok()) return Fail("flags", db_hosts.status());
  if (absl::GetFlag(FLAGS_create_database)) {
    if (auto s = cms::store::CreateDatabaseIfMissing(uri, *db_hosts); !s.ok())
      return Fail("create database", s);
  }
  // Each sweeper worker holds one connection while it sweeps: they come on
  // top of the RPCs' --pool_size, so a timer backlog never starves calls.
  const int sweep_threads = absl::GetFlag(FLAGS_timer_sweep_threads);
  if (sweep_threads < 1 || absl::GetFlag(FLAGS_pool_size) < 1) {
    return Fail("flags", absl::InvalidArgumentError(
                             "--pool_size and --timer_sweep_threads must be positive"));
  }
  auto db = cms::store::Db::Open({.uri = uri,
                                  .pool_size = absl::GetFlag(FLAGS_pool_size) + sweep_threads,
                                  .hosts = *db_hosts});
  if (!db.ok()) return Fail("database", db.status());

  const auto& migrations = cms::store::EmbeddedMigrations();
  if (absl::GetFlag(FLAGS_migrate_down_one)) {
    if (auto s = cms::store::MigrateDownOne(**db, migrations); !s.ok()) return Fail("migrate", s);
    Note("reverted the latest migration");
    return 0;
  }
  if (absl::GetFlag(FLAGS_migrate) || absl::GetFlag(FLAGS_migrate_only)) {
    auto ran = cms::store::MigrateUp(**db, migrations);
    if (!ran.ok()) return Fail("migrate", ran.status());
    cms::LogLine().Str("event", "migrated").Int("applied", *ran).Write();
    if (absl::GetFlag(FLAGS_migrate_only)) return 0;
  }
  if (auto s = cms::store::CheckSchemaCurrent(**db, migrations); !s.ok()) return Fail("schema", s);
  // The exactly-once rows of connections of server starts a week gone.
  if (auto s = (*db)->PruneCommitMarkers(absl::Hours(24 * 7)); !s.ok()) {
    return Fail("prune commit markers", s);
  }

  if (absl::GetFlag(FLAGS_seed_demo_bom)) {
    auto clock = cms::app::BusinessClock::Create(absl::GetFlag(FLAGS_test_clock));
    if (!clock.ok()) return Fail("business clock", clock.status());
    cms::app::Commands commands(**db, *clock);
    cms::app::BomApp bom(commands);
    auto loaded = cms::app::LoadDemoBom(commands, bom);
    if (!loaded.ok()) return Fail("demo BOM", loaded.status());
    Note(*loaded ? "demo BOM loaded" : "demo BOM already present");
  }

  cms::api::ServerConfig config;
  config.listen = absl::GetFlag(FLAGS_listen);
  config.test_clock = absl::GetFlag(FLAGS_test_clock);
  config.admission.workers = absl::GetFlag(FLAGS_workers) > 0 ? absl::GetFlag(FLAGS_workers)
                                                              : absl::GetFlag(FLAGS_pool_size);
  config.admission.queue_limit = absl::GetFlag(FLAGS_queue_limit);
  if (config.admission.queue_limit < 0) {
    return Fail("flags", absl::InvalidArgumentError("--queue_limit must not be negative"));
  }
  config.max_call = absl::Seconds(absl::GetFlag(FLAGS_max_call_seconds));
  if (config.max_call <= absl::ZeroDuration()) {
    return Fail("flags", absl::InvalidArgumentError("--max_call_seconds must be positive"));
  }
  config.work_load_limit = absl::GetFlag(FLAGS_work_load_limit);
  config.queue_stats_max_age = absl::Milliseconds(absl::GetFlag(FLAGS_queue_stats_max_age_ms));
  config.payments.missed_payment_tolerance_days =
      absl::GetFlag(FLAGS_missed_payment_tolerance_days);
  config.payments.arrears_rp_contact_wait_days = absl::GetFlag(FLAGS_arrears_rp_contact_wait_days);
  config.payments.de_minimis.charging_order = absl::GetFlag(FLAGS_charging_order_threshold_pence);
  if (auto courts =
          cms::domain::ParseCourtThresholds(absl::GetFlag(FLAGS_charging_order_court_thresholds));
      courts.ok()) {
    config.payments.de_minimis.charging_order_by_court = *std::move(courts);
  } else {
    return Fail("flags", courts.status());
  }
  if (absl::Status s = cms::domain::ValidateDeMinimisThresholds(config.payments.de_minimis);
      !s.ok()) {
    return Fail("flags", s);
  }
  config.sweeper.interval = absl::Milliseconds(absl::GetFlag(FLAGS_timer_sweep_ms));
  config.sweeper.batch_size = absl::GetFlag(FLAGS_timer_batch_size);
  config.sweeper.max_attempts = absl::GetFlag(FLAGS_timer_max_attempts);
  config.sweeper.threads = sweep_threads;
  config.probe_timer = absl::GetFlag(FLAGS_register_probe_timer);
  config.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  config.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  config.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  config.allow_insecure_listen = absl::GetFlag(FLAGS_allow_insecure_listen);
  config.refusal_limits.burst = absl::GetFlag(FLAGS_refusal_burst);
  config.refusal_limits.window = absl::Seconds(absl::GetFlag(FLAGS_refusal_window_seconds));
  if (config.refusal_limits.burst < 1 || config.refusal_limits.window <= absl::ZeroDuration()) {
    return Fail("flags", absl::InvalidArgumentError(
                             "--refusal_burst and --refusal_window_seconds must be positive"));
  }
  if (config.payments.missed_payment_tolerance_days < 0) {
    return Fail("flags",
                absl::InvalidArgumentError("--missed_payment_tolerance_days must be 0 or more"));
  }
  if (config.payments.arrears_rp_contact_wait_days < 0 ||
      config.payments.arrears_rp_contact_wait_days > 365) {
    return Fail("flags",
                absl::InvalidArgumentError("--arrears_rp_contact_wait_days must be 0 to 365"));
  }
  if (config.sweeper.batch_size < 1 || config.sweeper.max_attempts < 1 ||
      config.sweeper.interval <= absl::ZeroDuration()) {
    return Fail("flags", absl::InvalidArgumentError(
                             "--timer_sweep_ms, --timer_batch_size and --timer_max_attempts must "
                             "be positive"));
  }
  auto server = cms::api::CmsServer::Start(config, **db, *std::move(authenticator));
  if (!server.ok()) return Fail("listen", server.status());

  cms::LogLine()
      .Str("event", "serving")
      .Int("port", (*server)->port())
      .Bool("tls", tls)
      .Bool("mtls", !config.tls_client_ca_file.empty())
      .Bool("test_clock", config.test_clock)
      .Write();
  if (const std::string path = absl::GetFlag(FLAGS_port_file); !path.empty()) {
    std::ofstream(path + ".tmp") << (*server)->port() << "\n";
    std::rename((path + ".tmp").c_str(), path.c_str());
  }

  std::thread stopper([&] {
    for (;;) {
      int sig = 0;
      sigwait(&signals, &sig);
      if (sig == SIGHUP) {
        // Token rotation without downtime; a bad file keeps the old table.
        absl::Status reloaded = (*server)->authenticator().ReloadTokens();
        cms::LogLine line;
        line.Str("event", reloaded.ok() ? "tokens reloaded" : "tokens reload failed")
            .Str("file", (*server)->authenticator().tokens_file());
        if (!reloaded.ok()) line.Str("error", reloaded.ToString());
        line.Write();
        continue;
      }
      cms::LogLine().Str("event", "draining in-flight calls").Int("signal", sig).Write();
      (*server)->Shutdown(absl::Seconds(absl::GetFlag(FLAGS_shutdown_grace_seconds)));
      return;
    }
  });
  (*server)->Wait();
  stopper.join();
  Note("stopped");
  return 0;
}
