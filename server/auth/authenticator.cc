#include "server/auth/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server/app/actor_lookup.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"

namespace cms::auth {
namespace {

absl::Status Unauthenticated(absl::string_view message) {
  return WithReason(WithRule(absl::UnauthenticatedError(message), "X13.1"), "UNAUTHENTICATED");
}

}  // namespace

absl::Status CheckStaffIdForm(absl::string_view staff_id) {
  bool ok = !staff_id.empty() && staff_id.size() <= kMaxStaffIdLength && staff_id.front() != ' ' &&
            staff_id.back() != ' ';
  for (char c : staff_id) {
    if (c < 0x20 || c > 0x7E) ok = false;
  }
  if (ok) return absl::OkStatus();
  return PermissionDenied(
      absl::StrCat("\"", EchoInput(staff_id),
                   "\" is not a well-formed staff id (1-64 printable ASCII characters, no "
                   "surrounding spaces)"),
      "X13.1");
}

Authenticator::Authenticator(std::string tokens_file, ClientTokens tokens, AuthOptions options)
    : tokens_file_(std::move(tokens_file)),
      options_(std::move(options)),
      tokens_(std::make_shared<const ClientTokens>(std::move(tokens))) {}

absl::StatusOr<std::unique_ptr<Authenticator>> Authenticator::FromFile(const std::string& path,
                                                                       AuthOptions options) {
  CMS_ASSIGN_OR_RETURN(ClientTokens tokens, ClientTokens::FromFile(path));
  return std::unique_ptr<Authenticator>(
      new Authenticator(path, std::move(tokens), std::move(options)));
}

std::unique_ptr<Authenticator> Authenticator::FromTokens(
    const std::map<std::string, std::string>& token_to_client, AuthOptions options) {
  return std::unique_ptr<Authenticator>(
      new Authenticator("", ClientTokens::FromMap(token_to_client), std::move(options)));
}

absl::Status Authenticator::ReloadTokens() {
  if (tokens_file_.empty()) {
    return absl::FailedPreconditionError("the client tokens did not come from a file");
  }
  CMS_ASSIGN_OR_RETURN(ClientTokens fresh, ClientTokens::FromFile(tokens_file_));
  auto table = std::make_shared<const ClientTokens>(std::move(fresh));
  absl::MutexLock lock(&mu_);
  tokens_ = std::move(table);
  return absl::OkStatus();
}

std::shared_ptr<const ClientTokens> Authenticator::tokens() const {
  absl::MutexLock lock(&mu_);
  return tokens_;
}

absl::StatusOr<std::string> Authenticator::IdentifyClient(const CallCredentials& call) const {
  std::optional<std::string> token_client;
  if (!call.authorization.empty() || call.certificate_client.empty()) {
    absl::string_view token = call.authorization;
    if (!absl::ConsumePrefix(&token, "Bearer ")) {
      return Unauthenticated("missing \"authorization: Bearer <token>\" metadata");
    }
    token_client = tokens()->ClientOf(absl::StripAsciiWhitespace(token));
    if (!token_client.has_value()) return Unauthenticated("unknown client token");
  }
  if (call.certificate_client.empty()) return *token_client;
  // mTLS: the certificate names the client; a token, if sent, must agree.
  if (token_client.has_value() && *token_client != call.certificate_client) {
    return Unauthenticated(absl::StrCat("the client token names client ", *token_client,
                                        " but the certificate names ",
                                        EchoInput(call.certificate_client)));
  }
  return std::string(call.certificate_client);
}

absl::StatusOr<app::Actor> Authenticator::Authenticate(const CallCredentials& call,
                                                       app::Commands& commands,
                                                       Claimed* claimed) const {
  Claimed scratch;
  if (claimed == nullptr) claimed = &scratch;
  claimed->user = std::string(call.user);
  CMS_ASSIGN_OR_RETURN(const std::string client, IdentifyClient(call));
  claimed->client = client;

  std::string staff_id;
  if (!call.identity.empty()) {
    if (options_.identity_verifier == nullptr) {
      return WithReason(
          WithRule(absl::UnauthenticatedError(
                       "this server accepts no identity tokens (it has no --jwt_keys_file)"),
                   "X13.1"),
          "IDENTITY_TOKEN_INVALID");
    }
    CMS_ASSIGN_OR_RETURN(staff_id, options_.identity_verifier->Verify(call.identity, absl::Now()));
    claimed->user = staff_id;
    if (!call.user.empty() && call.user != staff_id) {
      return PermissionDenied(absl::StrCat("x-cms-user \"", EchoInput(call.user),
                                           "\" is not the staff member the identity token names"),
                              "X13.1");
    }
  } else {
    if (call.user.empty()) {
      return PermissionDenied(
          "missing \"x-cms-identity: <identity token>\" (or, from a trusted client, "
          "\"x-cms-user: <staff id>\") metadata",
          "X13.1");
    }
    if (!options_.trusted_clients.contains(client)) {
      return PermissionDenied(
          absl::StrCat("an identity token is required: client ", client,
                       " is not trusted to name its user with x-cms-user; send the staff "
                       "member's token from the identity provider as x-cms-identity"),
          "X13.1");
    }
    staff_id = std::string(call.user);
  }
  CMS_RETURN_IF_ERROR(CheckStaffIdForm(staff_id));

  return app::ActorOf(commands, staff_id, client);
}

}  // namespace cms::auth
