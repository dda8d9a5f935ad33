// Transport security (X13.1): TLS, mTLS with the certificate naming the
// client, and the refusal to serve plain text off loopback. The CA and the
// certificates are made at test time with the openssl CLI.
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/cpp/client_channel.h"
#include "grpcpp/security/credentials.h"
#include "tests/integration/crypto_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kSvc[] = "svc.manager";
constexpr char kCertClient[] = "mtls-app";

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new CryptoDir();
    dir_->MakeCa("ca", "CMS Test CA");
    dir_->MakeCert("ca", "server", "localhost", /*server=*/true);
    dir_->MakeCert("ca", "client", kCertClient, /*server=*/false);
    // Same common name, another CA: must not pass for the client.
    dir_->MakeCa("other_ca", "Another CA");
    dir_->MakeCert("other_ca", "stranger", kCertClient, /*server=*/false);
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::shared_ptr<grpc::ChannelCredentials> Tls(const std::string& client = "") {
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = dir_->Read("ca.pem");
    if (!client.empty()) {
      options.pem_private_key = dir_->Read(client + ".key");
      options.pem_cert_chain = dir_->Read(client + ".pem");
    }
    return grpc::SslCredentials(options);
  }

  static TestServerOptions TlsOptions(bool mtls) {
    TestServerOptions options;
    options.tls_cert_file = dir_->File("server.pem");
    options.tls_key_file = dir_->File("server.key");
    if (mtls) {
      options.tls_client_ca_file = dir_->File("ca.pem");
      options.trusted_clients = {kClient, kCertClient};
      options.channel_credentials = Tls("client");
    } else {
      options.channel_credentials = Tls();
    }
    return options;
  }

  static grpc::Status GetClock(TestServer& t, std::shared_ptr<grpc::ChannelCredentials> creds,
                               std::unique_ptr<grpc::ClientContext> ctx) {
    auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", t.port()), creds);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    cms::v1::Clock clock;
    return cms::v1::AdminService::NewStub(channel)->GetClock(ctx.get(), {}, &clock);
  }

  static std::unique_ptr<grpc::ClientContext> UserOnly(const std::string& user) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-cms-user", user);
    return ctx;
  }

  static CryptoDir* dir_;
};

CryptoDir* TlsTest::dir_ = nullptr;

TEST_F(TlsTest, TlsServerServesTlsClientsOnly) {
  // X13.1: with the CA as root a TLS call works; a plaintext client fails.
  auto t = TestServer::Start(TlsOptions(/*mtls=*/false));
  cms::v1::Clock clock;
  EXPECT_RPC_OK(t->admin().GetClock(t->Context(kSvc).get(), {}, &clock));
  EXPECT_RPC_OK(GetClock(*t, Tls(), t->Context(kSvc)));
  grpc::Status plain = GetClock(*t, grpc::InsecureChannelCredentials(), t->Context(kSvc));
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(plain);
  // Without a certificate the server asks for none: the bearer token names
  // the client as before, and is still required.
  grpc::Status no_token = GetClock(*t, Tls(), UserOnly(kSvc));
  EXPECT_TRUE(Refused(no_token, grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
}

TEST_F(TlsTest, MutualTlsTheCertificateNamesTheClient) {
  // X13.1: client certificates are required and verified against the CA.
  auto t = TestServer::Start(TlsOptions(/*mtls=*/true));
  // No certificate, or one from another CA (even with the right common
  // name): the handshake fails.
  grpc::Status no_cert = GetClock(*t, Tls(), t->Context(kSvc));
  EXPECT_EQ(no_cert.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(no_cert);
  grpc::Status stranger = GetClock(*t, Tls("stranger"), t->Context(kSvc));
  EXPECT_EQ(stranger.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(stranger);

  // A good certificate, no bearer token: the certificate's CN is the client,
  // recorded in the audit row of what it does.
  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id(absl::StrCat("qa.tls.", RandomRequestId().substr(4, 8)));
  add.set_name("Certified Auditor");
  add.set_role(cms::v1::ROLE_AUDITOR);
  cms::v1::StaffMember m;
  auto ctx = UserOnly(kSvc);
  ASSERT_RPC_OK(t->bom().AddStaffMember(ctx.get(), add, &m));
  cms::v1::ListAuditEventsRequest audit;
  audit.set_entity_type("staff");
  audit.set_entity_id(m.staff_id());
  cms::v1::ListAuditEventsResponse events;
  ASSERT_RPC_OK(t->admin().ListAuditEvents(UserOnly(kSvc).get(), audit, &events));
  ASSERT_GE(events.events_size(), 1) << events.ShortDebugString();
  EXPECT_EQ(events.events(0).client(), kCertClient);
  EXPECT_EQ(events.events(0).actor(), kSvc);

  // A bearer token may come too, but must name the same client.
  grpc::Status disagree = GetClock(*t, Tls("client"), t->Context(kSvc));
  EXPECT_TRUE(Refused(disagree, grpc::StatusCode::UNAUTHENTICATED, "X13.1", "UNAUTHENTICATED"));
  EXPECT_TRUE(absl::StrContains(disagree.error_message(), kCertClient)) << disagree.error_message();
}

TEST_F(TlsTest, TheCppClientSpeaksTlsAndMutualTls) {
  // X13.1: cmsctl's client library, configured as an operator would
  // (CMS_TLS_CA_FILE, CMS_TLS_CERT_FILE, CMS_TLS_KEY_FILE).
  auto t = TestServer::Start(TlsOptions(/*mtls=*/true));
  client::Settings settings;
  settings.server = absl::StrCat("127.0.0.1:", t->port());
  settings.user = kSvc;
  settings.tls_ca_file = dir_->File("ca.pem");
  settings.tls_cert_file = dir_->File("client.pem");
  settings.tls_key_file = dir_->File("client.key");
  cms::v1::Clock clock;
  EXPECT_RPC_OK(cms::v1::AdminService::NewStub(client::MakeChannel(settings))
                    ->GetClock(client::NewContext(settings).get(), {}, &clock));
  settings.tls_cert_file.clear();
  settings.tls_key_file.clear();
  settings.timeout = absl::Seconds(5);
  grpc::Status no_cert = cms::v1::AdminService::NewStub(client::MakeChannel(settings))
                             ->GetClock(client::NewContext(settings).get(), {}, &clock);
  EXPECT_EQ(no_cert.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(no_cert);
}

TEST_F(TlsTest, StartRefusesBadTransportConfiguration) {
  // X13.1: CmsServer::Start (the flags' path) refuses plain text on a
  // non-loopback address, half a TLS configuration, and mTLS without TLS,
  // before binding anything.
  auto t = TestServer::Start();
  const auto start = [&](api::ServerConfig config) {
    return api::CmsServer::Start(config, t->db(), auth::Authenticator::FromTokens({}));
  };
  api::ServerConfig wildcard;
  wildcard.listen = "0.0.0.0:0";
  absl::Status s = start(wildcard).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "--allow_insecure_listen")) << s;

  api::ServerConfig half;
  half.listen = "127.0.0.1:0";
  half.tls_cert_file = dir_->File("server.pem");
  EXPECT_EQ(start(half).status().code(), absl::StatusCode::kInvalidArgument);

  api::ServerConfig ca_only;
  ca_only.listen = "127.0.0.1:0";
  ca_only.tls_client_ca_file = dir_->File("ca.pem");
  EXPECT_EQ(start(ca_only).status().code(), absl::StatusCode::kInvalidArgument);

  api::ServerConfig missing;
  missing.listen = "127.0.0.1:0";
  missing.tls_cert_file = dir_->File("nope.pem");
  missing.tls_key_file = dir_->File("server.key");
  EXPECT_EQ(start(missing).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cms::testing
