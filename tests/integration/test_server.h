// An in-process CMS server over a private database for integration tests.
// Each TestServer creates its own uniquely named database on the MariaDB
// named by CMS_TEST_DB_URI (started by tools/cms test), migrates it, loads
// the demo BOM and serves on a free loopback port (port 0). Not thread-safe
// to construct; the stubs and Context() are safe from any thread.
#pragma once

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "cms/v1/admin.grpc.pb.h"
#include "cms/v1/approval.grpc.pb.h"
#include "cms/v1/arrears.grpc.pb.h"
#include "cms/v1/assurance.grpc.pb.h"
#include "cms/v1/bom.grpc.pb.h"
#include "cms/v1/casegroup.grpc.pb.h"
#include "cms/v1/compliance.grpc.pb.h"
#include "cms/v1/foi.grpc.pb.h"
#include "cms/v1/guidance.grpc.pb.h"
#include "cms/v1/letter.grpc.pb.h"
#include "cms/v1/mp.grpc.pb.h"
#include "cms/v1/payment.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "cms/v1/work.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/api/server.h"
#include "server/auth/identity_verifier.h"
#include "server/auth/refusals.h"
#include "server/store/db.h"

namespace cms::testing {

inline constexpr char kToken[] = "integration-test-token";
inline constexpr char kClient[] = "integration-tests";

struct TestServerOptions {
  bool test_clock = true;
  bool seed_demo_bom = true;
  int pool_size = 8;
  int work_load_limit = 50;
  // Zero, unlike the server's default: tests see their own changes counted.
  absl::Duration queue_stats_max_age = absl::ZeroDuration();
  int bulk_move_batch = 500;
  // The timer sweeper's pass interval; a test that must see a timer stay
  // due (an operation left mid-way) sets it far beyond the test's length.
  absl::Duration sweep_interval = jobs::SweeperOptions{}.interval;
  // Failed firings of one timer before the sweeper gives up on it.
  int timer_max_attempts = jobs::SweeperOptions{}.max_attempts;
  // Serve an existing database (another TestServer's db_uri(), after that
  // one has shut down) instead of creating one: a restart. It is neither
  // migrated again, nor seeded, nor dropped at the end.
  std::string reuse_db_uri;

  // Identity (X13.1). The harness's client asserts users with x-cms-user,
  // so it is trusted by default.
  std::vector<std::string> trusted_clients = {kClient};
  std::shared_ptr<const auth::IdentityVerifier> identity_verifier;
  // When set, the client tokens come from this file (reloadable); else the
  // one token kToken names kClient.
  std::string tokens_file;
  // Suites make many refused calls from 127.0.0.1 on purpose; the limiter's
  // own test sets small thresholds.
  auth::RefusalLimits refusal_limits = {.burst = 1000000, .window = absl::Seconds(1)};

  // Transport (see api::ServerConfig); the harness's own channel uses
  // `channel_credentials` (default plain text).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::shared_ptr<grpc::ChannelCredentials> channel_credentials;

  // Workers and queue of the call admission (api/admission.h).
  api::AdmissionOptions admission;
  // The server's limit on a call whose client set no deadline.
  absl::Duration max_call = api::ServerConfig{}.max_call;
  // Faults injected into the server's database layer (store::DbFaults).
  std::shared_ptr<store::DbFaults> db_faults;

  // The money and arrears rules the server's flags set (e.g.
  // --arrears_rp_contact_wait_days, AR10.11).
  app::PaymentRules payments;
};

class TestServer {
 public:
  static std::unique_ptr<TestServer> Start(TestServerOptions options = {});
  ~TestServer();

  // A context acting as `staff_id` through the test client token.
  std::unique_ptr<grpc::ClientContext> Context(const std::string& staff_id,
                                               const std::string& token = kToken) const;

  cms::v1::BomService::Stub& bom() { return *bom_; }
  cms::v1::CasegroupService::Stub& casegroups() { return *casegroups_; }
  cms::v1::AdminService::Stub& admin() { return *admin_; }
  cms::v1::ServiceRequestService::Stub& service_requests() { return *service_requests_; }
  cms::v1::WorkService::Stub& work() { return *work_; }
  cms::v1::LetterService::Stub& letters() { return *letters_; }
  cms::v1::ApprovalService::Stub& approvals() { return *approvals_; }
  cms::v1::PaymentService::Stub& payments() { return *payments_; }
  cms::v1::ComplianceService::Stub& compliance() { return *compliance_; }
  cms::v1::ArrearsService::Stub& arrears() { return *arrears_; }
  cms::v1::FoiService::Stub& foi() { return *foi_; }
  cms::v1::MpService::Stub& mp() { return *mp_; }
  cms::v1::GuidanceService::Stub& guidance() { return *guidance_; }
  cms::v1::AssuranceService::Stub& assurance() { return *assurance_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  api::CmsServer& server() { return *server_; }
  store::Db& db() { return *db_; }
  const std::string& db_uri() const { return uri_; }
  int port() const { return server_->port(); }
  // Shuts the server down (its sweeper first) but keeps the database, as a
  // stopped replica would; the stubs then fail.
  void StopServing();

 private:
  TestServer() = default;
  std::string uri_;
  bool owns_db_ = true;
  std::unique_ptr<store::Db> db_;
  std::unique_ptr<api::CmsServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<cms::v1::BomService::Stub> bom_;
  std::unique_ptr<cms::v1::CasegroupService::Stub> casegroups_;
  std::unique_ptr<cms::v1::AdminService::Stub> admin_;
  std::unique_ptr<cms::v1::ServiceRequestService::Stub> service_requests_;
  std::unique_ptr<cms::v1::WorkService::Stub> work_;
  std::unique_ptr<cms::v1::LetterService::Stub> letters_;
  std::unique_ptr<cms::v1::ApprovalService::Stub> approvals_;
  std::unique_ptr<cms::v1::PaymentService::Stub> payments_;
  std::unique_ptr<cms::v1::ComplianceService::Stub> compliance_;
  std::unique_ptr<cms::v1::ArrearsService::Stub> arrears_;
  std::unique_ptr<cms::v1::FoiService::Stub> foi_;
  std::unique_ptr<cms::v1::MpService::Stub> mp_;
  std::unique_ptr<cms::v1::GuidanceService::Stub> guidance_;
  std::unique_ptr<cms::v1::AssuranceService::Stub> assurance_;
};

// A fresh, empty database on the test MariaDB; returns its connect string.
std::string CreateTestDatabase(const std::string& prefix);
// Kills every connection to the database `uri` names, from outside, as a
// MariaDB restart or an operator's KILL would; returns how many.
int KillConnectionsTo(const std::string& uri);

// The cms.v1.ErrorInfo detail of a failed call (empty when absent).
cms::v1::ErrorInfo ErrorInfoOf(const grpc::Status& status);
// The field paths named by a failed call's ErrorInfo.
std::vector<std::string> BadFields(const grpc::Status& status);

// A random valid NINO ("JK123456C" shape) and request id, for test data.
std::string RandomNino();
std::string RandomRequestId();

}  // namespace cms::testing
