// Who the staff member is (X13.1): signed identity tokens (JWTs) from the
// identity provider, verified with keys made at test time by the openssl CLI
// and tokens signed by libjwt, against a real server; and the rule that only
// trusted clients may name their user with plain x-cms-user.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/auth/identity_verifier.h"
#include "tests/integration/crypto_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kIssuer[] = "https://idp.example.test";
constexpr char kAudience[] = "cms";
constexpr char kSvc[] = "svc.manager";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";
// A caseworkers' application: it may call, but not vouch for its users.
constexpr char kAppToken[] = "caseworker-app-token";
constexpr char kApp[] = "caseworker-app";

class IdentityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new CryptoDir();
    dir_->MakeKeyPair("rsa", "rsa");
    dir_->MakeKeyPair("ec", "ec");
    dir_->MakeKeyPair("other", "rsa");  // never configured
    // Two keys in one file: the IdP may sign with either (rotation).
    const std::string keys = dir_->Write("idp.pub", dir_->Read("rsa.pub") + dir_->Read("ec.pub"));
    auto pems = auth::ReadPemPublicKeys(keys);
    ASSERT_TRUE(pems.ok()) << pems.status();
    ASSERT_EQ(pems->size(), 2u);
    auto verifier = auth::JwtVerifier::Create(
        {.public_keys_pem = *pems, .issuer = kIssuer, .audience = kAudience});
    ASSERT_TRUE(verifier.ok()) << verifier.status();
    TestServerOptions options;
    options.identity_verifier = std::shared_ptr<const auth::IdentityVerifier>(*std::move(verifier));
    options.tokens_file =
        dir_->Write("tokens", absl::StrCat(kToken, " ", kClient, "\n", kAppToken, " ", kApp, "\n"));
    t_ = TestServer::Start(options).release();
  }
  static void TearDownTestSuite() {
    delete t_;
    delete dir_;
  }

  // A context for client `token` with the given identity metadata.
  static std::unique_ptr<grpc::ClientContext> Call(const std::string& token,
                                                   const std::string& identity,
                                                   const std::string& user = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("authorization", absl::StrCat("Bearer ", token));
    if (!identity.empty()) ctx->AddMetadata("x-cms-identity", identity);
    if (!user.empty()) ctx->AddMetadata("x-cms-user", user);
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return ctx;
  }

  static std::string Rsa(const std::string& claims) {
    return SignJwt("RS256", dir_->Read("rsa.key"), claims);
  }

  // ListAuditEvents is open to SERVICE_MANAGEMENT and AUDITOR only, so its
  // answer shows whose role the server acted with.
  static grpc::Status AuditAs(std::unique_ptr<grpc::ClientContext> ctx) {
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(kSvc);
    req.set_page_size(1);
    cms::v1::ListAuditEventsResponse resp;
    return t_->admin().ListAuditEvents(ctx.get(), req, &resp);
  }

  static CryptoDir* dir_;
  static TestServer* t_;
};

CryptoDir* IdentityTest::dir_ = nullptr;
TestServer* IdentityTest::t_ = nullptr;

TEST_F(IdentityTest, ValidTokensNameTheStaffMember) {
  // X13.1: an untrusted client's call acts for the staff member its identity
  // token names, RS256 or ES256, with either configured key.
  EXPECT_RPC_OK(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kSvc)))));
  EXPECT_RPC_OK(AuditAs(
      Call(kAppToken, SignJwt("ES256", dir_->Read("ec.key"), Claims(kIssuer, kAudience, kSvc)))));
  // The role is the named member's: a caseworker's token is refused by the
  // role matrix, not taken for the service manager.
  EXPECT_TRUE(Refused(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kCaseworker)))),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  // An audience array that holds ours, and a token within the leeway (30 s)
  // of its expiry, are accepted.
  EXPECT_RPC_OK(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(5),
                                                   {"\"aud\":[\"payroll\",\"cms\"]"})))));
  EXPECT_RPC_OK(
      AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kSvc, absl::Seconds(-10))))));
  // Trusted or not, a token and an agreeing x-cms-user are fine.
  EXPECT_RPC_OK(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kSvc)), kSvc)));
}

TEST_F(IdentityTest, InvalidTokensAreUnauthenticated) {
  // X13.1: each check of the token refuses it on its own, saying which.
  const std::string good = Rsa(Claims(kIssuer, kAudience, kSvc));
  std::vector<std::string> parts = absl::StrSplit(good, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string forged_payload;
  absl::WebSafeBase64Escape(
      absl::StrCat("{\"iss\":\"", kIssuer, "\",\"aud\":\"cms\",\"sub\":\"qa.auditor\",\"exp\":",
                   absl::ToUnixSeconds(absl::Now()) + 300, "}"),
      &forged_payload);
  const std::string tampered = absl::StrCat(parts[0], ".", forged_payload, ".", parts[2]);
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  struct Case {
    std::string name;
    std::string token;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"expired", Rsa(Claims(kIssuer, kAudience, kSvc, absl::Seconds(-120))), "expired"},
      {"not yet valid",
       Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(30),
                  {absl::StrCat("\"nbf\":", now + 600)})),
       "not valid before"},
      {"issued in the future",
       Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(30),
                  {absl::StrCat("\"iat\":", now + 600)})),
       "issued in the future"},
      {"wrong issuer", Rsa(Claims("https://evil.example", kAudience, kSvc)), "issuer"},
      {"wrong audience", Rsa(Claims(kIssuer, "payroll", kSvc)), "audience"},
      {"no audience", Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(5), {}, {"aud"})),
       "audience"},
      {"missing exp", Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(5), {}, {"exp"})),
       "no expiry"},
      {"exp not a number",
       Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(5), {"\"exp\":\"tomorrow\""})),
       "not a number"},
      {"no staff claim", Rsa(Claims(kIssuer, kAudience, kSvc, absl::Minutes(5), {}, {"sub"})),
       "staff id"},
      {"signed by another key",
       SignJwt("RS256", dir_->Read("other.key"), Claims(kIssuer, kAudience, kSvc)), "signature"},
      {"alg none", SignJwt("none", "", Claims(kIssuer, kAudience, kSvc)), "not accepted"},
      // libjwt would check this against the public key's PEM as an HMAC secret.
      {"HS256 keyed with the public key",
       SignJwt("HS256", dir_->Read("rsa.pub"), Claims(kIssuer, kAudience, kSvc)), "not accepted"},
      {"tampered payload", tampered, "signature"},
      {"not a JWT", "not-a-jwt", "not a signed JWT"},
      {"oversized", std::string(9000, 'a'), "longer than"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    grpc::Status s = AuditAs(Call(kAppToken, c.token));
    EXPECT_TRUE(Refused(s, grpc::StatusCode::UNAUTHENTICATED, "X13.1", "IDENTITY_TOKEN_INVALID"));
    EXPECT_TRUE(absl::StrContains(s.error_message(), c.says)) << s.error_message();
    EXPECT_FALSE(absl::StrContains(s.error_message(), c.token.substr(0, 20)))
        << "the token was echoed";
  }
}

TEST_F(IdentityTest, OnlyTrustedClientsMayAssertXCmsUser) {
  // X13.1: plain x-cms-user from an untrusted client is not enough.
  grpc::Status s = AuditAs(Call(kAppToken, "", kSvc));
  EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "identity token is required"))
      << s.error_message();
  // The trusted harness client still may.
  EXPECT_RPC_OK(AuditAs(t_->Context(kSvc)));
  // A token and an x-cms-user naming someone else disagree: refused.
  EXPECT_TRUE(Refused(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, kCaseworker)), kSvc)),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(AuditAs(Call(kToken, Rsa(Claims(kIssuer, kAudience, kCaseworker)), kSvc)),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
}

TEST_F(IdentityTest, TokenOfUnknownOrDeactivatedStaffIsRefused) {
  // X13.1: a valid token still names someone who must be an active member.
  EXPECT_TRUE(Refused(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, "no.such.person")))),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(AuditAs(Call(kAppToken, Rsa(Claims(kIssuer, kAudience, "svc.manager ")))),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));

  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id(absl::StrCat("qa.jwt.", RandomRequestId().substr(4, 8)));
  add.set_name("Leaving Auditor");
  add.set_role(cms::v1::ROLE_AUDITOR);
  cms::v1::StaffMember m;
  ASSERT_RPC_OK(t_->bom().AddStaffMember(t_->Context(kSvc).get(), add, &m));
  const std::string token = Rsa(Claims(kIssuer, kAudience, m.staff_id()));
  EXPECT_RPC_OK(AuditAs(Call(kAppToken, token)));

  cms::v1::DeactivateStaffMemberRequest off;
  off.set_request_id(RandomRequestId());
  off.set_staff_id(m.staff_id());
  off.set_etag(m.etag());
  ASSERT_RPC_OK(t_->bom().DeactivateStaffMember(t_->Context(kSvc).get(), off, &m));
  grpc::Status s = AuditAs(Call(kAppToken, token));
  EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(absl::StrContains(s.error_message(), "deactivated")) << s.error_message();
}

TEST(JwtVerifierTest, RefusesIncompleteConfiguration) {
  // X13.1: keys without issuer and audience, or no usable key, never verify.
  CryptoDir dir;
  dir.MakeKeyPair("ec", "ec");
  const std::string pub = dir.Read("ec.pub");
  EXPECT_FALSE(auth::JwtVerifier::Create({.public_keys_pem = {pub}, .audience = "cms"}).ok());
  EXPECT_FALSE(auth::JwtVerifier::Create({.public_keys_pem = {pub}, .issuer = "i"}).ok());
  EXPECT_FALSE(auth::JwtVerifier::Create({.issuer = "i", .audience = "a"}).ok());
  EXPECT_FALSE(
      auth::JwtVerifier::Create({.public_keys_pem = {"junk"}, .issuer = "i", .audience = "a"})
          .ok());
  EXPECT_FALSE(auth::ReadPemPublicKeys(dir.Write("empty.pem", "no keys here")).ok());
  // A configured verifier with only an EC key refuses an RS256 token before
  // trying it: there is no RSA key.
  dir.MakeKeyPair("rsa", "rsa");
  auto v = auth::JwtVerifier::Create({.public_keys_pem = {pub}, .issuer = "i", .audience = "a"});
  ASSERT_TRUE(v.ok());
  auto refused =
      (*v)->Verify(SignJwt("RS256", dir.Read("rsa.key"), Claims("i", "a", "x")), absl::Now());
  EXPECT_TRUE(absl::IsUnauthenticated(refused.status())) << refused.status();
  auto ok = (*v)->Verify(SignJwt("ES256", dir.Read("ec.key"), Claims("i", "a", "x")), absl::Now());
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "x");
}

}  // namespace
}  // namespace cms::testing
