// Authentication (X13.1): who is calling, in two parts.
//
// The client application: its verified mTLS certificate's subject common
// name when the server requires client certificates, else the bearer token
// (`authorization: Bearer <token>`) looked up in the tokens file
// (client_tokens.h). With a certificate a token is optional, and when given
// must name the same client.
//
// The staff member: `x-cms-identity: <JWT>` from the organisation's identity
// provider, verified by the IdentityVerifier (identity_verifier.h), naming
// the staff id in its staff claim. The plain `x-cms-user: <staff id>` header
// is believed only from clients configured as trusted to assert identities
// (test harnesses, operators' cmsctl); anyone else must send a token. When
// both are sent they must agree. Either way the staff id must be well formed
// (1-64 printable ASCII characters, no surrounding spaces), exactly (byte
// for byte) the id of a staff member, and that member active.
//
// Refusals: UNAUTHENTICATED for the client (missing or unknown token,
// certificate and token disagreeing) and for an invalid identity token;
// PERMISSION_DENIED for the staff member (missing, malformed, unknown,
// inactive, untrusted x-cms-user, disagreement). All carry rule X13.1, and
// no message echoes a token or more than a bounded prefix of any input.
//
// Thread-safety: Authenticate is thread-safe; ReloadTokens may run while
// calls are authenticated (the token table is swapped under a mutex, and a
// call keeps the table it started with).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/auth/client_tokens.h"
#include "server/auth/identity_verifier.h"

namespace cms::auth {

inline constexpr size_t kMaxStaffIdLength = 64;

// OK for a well-formed staff id; PERMISSION_DENIED (X13.1) otherwise.
absl::Status CheckStaffIdForm(absl::string_view staff_id);

struct AuthOptions {
  // Client names (from the tokens file or certificates) whose x-cms-user is
  // believed without an identity token.
  std::set<std::string> trusted_clients;
  // Verifies x-cms-identity; null when the server takes no identity tokens.
  std::shared_ptr<const IdentityVerifier> identity_verifier;
};

// What a call presents, read from its metadata and TLS session.
struct CallCredentials {
  absl::string_view authorization;       // "Bearer <token>", or empty
  absl::string_view user;                // x-cms-user
  absl::string_view identity;            // x-cms-identity
  absl::string_view certificate_client;  // verified mTLS common name, or empty
};

// Who a call claimed to be, for tracing a refusal: never a token.
struct Claimed {
  std::string client = "unknown";  // the client name once known
  std::string user;                // the staff id claimed (verified JWT's, else x-cms-user)
};

class Authenticator {
 public:
  // Reads the tokens file (see ClientTokens::FromFile); ReloadTokens re-reads it.
  static absl::StatusOr<std::unique_ptr<Authenticator>> FromFile(const std::string& path,
                                                                 AuthOptions options = {});
  static std::unique_ptr<Authenticator> FromTokens(
      const std::map<std::string, std::string>& token_to_client, AuthOptions options = {});

  // `claimed` (optional) receives what the call claimed, refused or not.
  absl::StatusOr<app::Actor> Authenticate(const CallCredentials& call, app::Commands& commands,
                                          Claimed* claimed = nullptr) const;

  // Re-reads the tokens file and swaps the table in; on any error the old
  // table stays and the error is returned. FAILED_PRECONDITION when the
  // tokens did not come from a file.
  absl::Status ReloadTokens();
  const std::string& tokens_file() const { return tokens_file_; }

 private:
  Authenticator(std::string tokens_file, ClientTokens tokens, AuthOptions options);
  std::shared_ptr<const ClientTokens> tokens() const;
  absl::StatusOr<std::string> IdentifyClient(const CallCredentials& call) const;

  const std::string tokens_file_;
  const AuthOptions options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const ClientTokens> tokens_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cms::auth
