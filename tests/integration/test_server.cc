#include "tests/integration/test_server.h"

#include <cstdlib>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/demo_bom.h"
#include "server/auth/authenticator.h"
#include "server/store/migrations.h"
#include "soci/mysql/soci-mysql.h"
#include "soci/soci.h"

namespace cms::testing {
namespace {

std::mt19937_64& Rng() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  return rng;
}

void Check(const absl::Status& s, const char* what) {
  if (!s.ok()) {
    ADD_FAILURE() << what << ": " << s;
    std::abort();
  }
}

}  // namespace

std::string CreateTestDatabase(const std::string& prefix) {
  const char* base = std::getenv("CMS_TEST_DB_URI");
  if (base == nullptr || *base == '\0') {
    ADD_FAILURE() << "CMS_TEST_DB_URI is not set: run the integration tests through "
                     "`tools/cms test`, which starts the private MariaDB";
    std::abort();
  }
  std::string uri = absl::StrCat(base, " db=", prefix, "_", getpid(), "_", Rng()() % 1000000000ULL);
  Check(store::CreateDatabaseIfMissing(uri), "create test database");
  return uri;
}

std::unique_ptr<TestServer> TestServer::Start(TestServerOptions options) {
  std::unique_ptr<TestServer> t(new TestServer());
  const bool restart = !options.reuse_db_uri.empty();
  t->uri_ = restart ? options.reuse_db_uri : CreateTestDatabase("it");
  t->owns_db_ = !restart;
  // As main.cc: the sweeper's workers get connections of their own.
  auto db = store::Db::Open({.uri = t->uri_,
                             .pool_size = options.pool_size + jobs::SweeperOptions{}.threads,
                             .faults = options.db_faults});
  Check(db.status(), "open test database");
  t->db_ = *std::move(db);
  if (!restart) Check(store::MigrateUp(*t->db_, store::EmbeddedMigrations()).status(), "migrate");
  if (options.seed_demo_bom && !restart) {
    auto clock = app::BusinessClock::Create(options.test_clock);
    Check(clock.status(), "business clock");
    app::Commands commands(*t->db_, *clock);
    app::BomApp bom(commands);
    Check(app::LoadDemoBom(commands, bom).status(), "demo BOM");
  }
  api::ServerConfig config;
  config.listen = "127.0.0.1:0";
  config.test_clock = options.test_clock;
  config.work_load_limit = options.work_load_limit;
  config.queue_stats_max_age = options.queue_stats_max_age;
  config.max_call = options.max_call;
  config.admission = options.admission;
  config.bulk_move_batch = options.bulk_move_batch;
  config.sweeper.interval = options.sweep_interval;
  config.sweeper.max_attempts = options.timer_max_attempts;
  config.refusal_limits = options.refusal_limits;
  config.payments = options.payments;
  config.tls_cert_file = options.tls_cert_file;
  config.tls_key_file = options.tls_key_file;
  config.tls_client_ca_file = options.tls_client_ca_file;
  auth::AuthOptions auth_options;
  auth_options.trusted_clients.insert(options.trusted_clients.begin(),
                                      options.trusted_clients.end());
  auth_options.identity_verifier = options.identity_verifier;
  std::unique_ptr<auth::Authenticator> authenticator;
  if (options.tokens_file.empty()) {
    authenticator = auth::Authenticator::FromTokens({{kToken, kClient}}, auth_options);
  } else {
    auto from_file = auth::Authenticator::FromFile(options.tokens_file, auth_options);
    Check(from_file.status(), "read the tokens file");
    authenticator = *std::move(from_file);
  }
  auto server = api::CmsServer::Start(config, *t->db_, std::move(authenticator));
  Check(server.status(), "start server");
  t->server_ = *std::move(server);
  t->channel_ =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", t->server_->port()),
                          options.channel_credentials ? options.channel_credentials
                                                      : grpc::InsecureChannelCredentials());
  t->bom_ = cms::v1::BomService::NewStub(t->channel_);
  t->casegroups_ = cms::v1::CasegroupService::NewStub(t->channel_);
  t->admin_ = cms::v1::AdminService::NewStub(t->channel_);
  t->service_requests_ = cms::v1::ServiceRequestService::NewStub(t->channel_);
  t->work_ = cms::v1::WorkService::NewStub(t->channel_);
  t->letters_ = cms::v1::LetterService::NewStub(t->channel_);
  t->approvals_ = cms::v1::ApprovalService::NewStub(t->channel_);
  t->payments_ = cms::v1::PaymentService::NewStub(t->channel_);
  t->compliance_ = cms::v1::ComplianceService::NewStub(t->channel_);
  t->arrears_ = cms::v1::ArrearsService::NewStub(t->channel_);
  t->foi_ = cms::v1::FoiService::NewStub(t->channel_);
  t->mp_ = cms::v1::MpService::NewStub(t->channel_);
  t->guidance_ = cms::v1::GuidanceService::NewStub(t->channel_);
  t->assurance_ = cms::v1::AssuranceService::NewStub(t->channel_);
  return t;
}

void TestServer::StopServing() {
  if (server_) server_->Shutdown(absl::Seconds(5));
  server_.reset();
}

TestServer::~TestServer() {
  if (server_) server_->Shutdown(absl::Seconds(5));
  server_.reset();
  db_.reset();
  if (!uri_.empty() && owns_db_) (void)store::DropDatabase(uri_);
}

std::unique_ptr<grpc::ClientContext> TestServer::Context(const std::string& staff_id,
                                                         const std::string& token) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ctx->AddMetadata("x-cms-user", staff_id);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

cms::v1::ErrorInfo ErrorInfoOf(const grpc::Status& status) {
  cms::v1::ErrorInfo info;
  google::rpc::Status detail;
  if (!detail.ParseFromString(status.error_details())) return info;
  // Found by type, not position: google.rpc details ride beside it (AIP-193).
  for (const google::protobuf::Any& any : detail.details()) {
    if (any.Is<cms::v1::ErrorInfo>() && any.UnpackTo(&info)) break;
  }
  return info;
}

std::vector<std::string> BadFields(const grpc::Status& status) {
  std::vector<std::string> out;
  const cms::v1::ErrorInfo info = ErrorInfoOf(status);
  for (const auto& v : info.field_violations()) out.push_back(v.field());
  return out;
}

std::string RandomNino() {
  static constexpr char kFirst[] = "ABCEGHJKLMNPRSTWXY";
  static constexpr char kSecond[] = "ABCEGHJKLMNPRSTWXY";
  auto& rng = Rng();
  std::string nino;
  do {
    nino = absl::StrFormat("%c%c%06d%c", kFirst[rng() % 18], kSecond[rng() % 18],
                           static_cast<int>(rng() % 1000000), "ABCD"[rng() % 4]);
  } while (nino.rfind("GB", 0) == 0 || nino.rfind("BG", 0) == 0 || nino.rfind("NT", 0) == 0 ||
           nino.rfind("TN", 0) == 0 || nino.rfind("KN", 0) == 0 || nino.rfind("NK", 0) == 0);
  return nino;
}

int KillConnectionsTo(const std::string& uri) {
  std::string name;
  std::vector<std::string> rest;
  for (absl::string_view part : absl::StrSplit(uri, ' ', absl::SkipEmpty())) {
    if (absl::ConsumePrefix(&part, "db=")) {
      name = std::string(part);
    } else {
      rest.emplace_back(part);
    }
  }
  soci::session sql(soci::mysql, absl::StrJoin(rest, " "));
  std::vector<long long> ids(10000);
  sql << "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = :db AND ID <> CONNECTION_ID()",
      soci::use(name), soci::into(ids);
  for (long long id : ids) {
    try {
      sql << "KILL CONNECTION " << id;
    } catch (const soci::soci_error&) {
      // Gone already.
    }
  }
  return static_cast<int>(ids.size());
}

std::string RandomRequestId() { return absl::StrFormat("req-%016x", Rng()()); }

}  // namespace cms::testing
