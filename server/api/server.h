// Builds and runs the gRPC server: every service, health checking and
// reflection, over one database. Used by main.cc and by integration tests
// (which listen on port 0). Thread-safe: Shutdown may be called from any
// thread while another waits.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/grpcpp.h"
#include "server/api/admission.h"
#include "server/app/payments.h"
#include "server/auth/authenticator.h"
#include "server/auth/refusals.h"
#include "server/jobs/sweeper.h"

// The database handle main.cc opens; the server only hands it to the use
// cases (app::Commands) and the probe timer, so api/ needs no store header.
namespace cms::store {
class Db;
}  // namespace cms::store

namespace cms::api {

struct ServerConfig {
  std::string listen = "127.0.0.1:50051";
  bool test_clock = false;
  // Calls run at once, and calls that may wait for a worker beyond them
  // (api/admission.h; DESIGN: threading). One more is refused at once,
  // RESOURCE_EXHAUSTED with a retry hint.
  AdmissionOptions admission;
  // The longest one call may keep the database busy when its client set no
  // deadline (or a later one); past it the call's transaction rolls back
  // and it answers DEADLINE_EXCEEDED (base/call_scope.h).
  absl::Duration max_call = absl::Seconds(60);
  // The most open SRs one person may hold (W4.4).
  int work_load_limit = 50;
  // How long GetQueueStats answers with counts already made for the same
  // scope (W4.3): they read every queued SR's index entry, and dashboards
  // ask on every view. Zero counts on every call.
  absl::Duration queue_stats_max_age = absl::Seconds(5);
  // Casegroups moved per transaction when a segment retires (W4.6).
  int bulk_move_batch = 500;
  // Money rules (AR10.1 missed-payment tolerance, AR10.11 the wait for the RP).
  app::PaymentRules payments;
  // The durable-timer sweeper of this replica (T8.2).
  jobs::SweeperOptions sweeper;
  // Adds the PROBE timer kind (and its table) for exactly-once tests and
  // cms_timerbench; never on in production.
  bool probe_timer = false;

  // Transport (X13.1). TLS when both PEM files are given (neither: plain
  // text); with a client CA, every client must present a certificate it
  // signed, and the certificate's subject common name names the client.
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  // Plain text on a non-loopback address is refused unless this is set.
  bool allow_insecure_listen = false;
  // Explicit limits, so no input's size is left to library defaults: a
  // request message, and a call's metadata (a 10 KB x-cms-user must reach
  // the authenticator and be refused, not break the connection).
  int max_receive_message_bytes = 4 * 1024 * 1024;
  int max_metadata_bytes = 16 * 1024;
  // Refused calls per peer address before it is limited (auth/refusals.h).
  auth::RefusalLimits refusal_limits;
};

class CmsServer {
 public:
  // Fails (without serving) on a bad catalog, unreadable TLS files, a
  // plaintext non-loopback listen address without allow_insecure_listen, or
  // an address it cannot bind: SO_REUSEPORT is off, so a port another
  // process serves on is busy, never shared.
  static absl::StatusOr<std::unique_ptr<CmsServer>> Start(
      const ServerConfig& config, store::Db& db,
      std::unique_ptr<auth::Authenticator> authenticator);
  ~CmsServer();

  int port() const { return port_; }
  // Calls waiting for a worker now (api/admission.h).
  size_t queued_calls() const;
  // For SIGHUP's token reload (main.cc) and tests.
  auth::Authenticator& authenticator();
  const auth::RefusalTracker& refusals() const;
  // Stops the timer sweeper (after its batch in flight), stops accepting
  // calls, lets in-flight calls finish within `grace`, then cancels what
  // remains.
  void Shutdown(absl::Duration grace);
  void Wait();

 private:
  CmsServer();
  struct Parts;
  std::unique_ptr<Parts> parts_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace cms::api
