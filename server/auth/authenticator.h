// Authentication (X13.1): every call carries `authorization: Bearer <token>`
// naming a client application (tokens come from a file, one
// "<token> <client-name>" per line) and `x-cms-user: <staff id>` naming the
// person it acts for, who must be an active staff member.
// Thread-safe: the token table is immutable after Load.
#pragma once

#include "absl/strings/string_view.h"
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "server/app/actor.h"
#include "server/app/commands.h"

namespace cms::auth {

class Authenticator {
 public:
  // Reads the tokens file; INVALID_ARGUMENT on a malformed line.
  static absl::StatusOr<Authenticator> FromFile(const std::string& path);
  static Authenticator FromTokens(std::map<std::string, std::string> token_to_client);

  // UNAUTHENTICATED for a missing or unknown token; PERMISSION_DENIED for a
  // missing, unknown or inactive staff id.
  absl::StatusOr<app::Actor> Authenticate(absl::string_view authorization,
                                          absl::string_view staff_id,
                                          app::Commands& commands) const;

 private:
  std::map<std::string, std::string, std::less<>> tokens_;
};

}  // namespace cms::auth
