#include "absl/strings/string_view.h"
#include "server/auth/authenticator.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/bom_repo.h"

namespace cms::auth {

absl::StatusOr<Authenticator> Authenticator::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read tokens file ", path));
  std::map<std::string, std::string> tokens;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || absl::StartsWith(l, "#")) continue;
    std::vector<absl::string_view> parts = absl::StrSplit(l, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (parts.size() != 2 || parts[0].size() < 8) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", n, ": expected \"<token of 8+ characters> <client-name>\""));
    }
    tokens.emplace(std::string(parts[0]), std::string(parts[1]));
  }
  return FromTokens(std::move(tokens));
}

Authenticator Authenticator::FromTokens(std::map<std::string, std::string> token_to_client) {
  Authenticator a;
  for (auto& [token, client] : token_to_client) a.tokens_.emplace(token, client);
  return a;
}

absl::StatusOr<app::Actor> Authenticator::Authenticate(absl::string_view authorization,
                                                       absl::string_view staff_id,
                                                       app::Commands& commands) const {
  absl::string_view token = authorization;
  if (!absl::ConsumePrefix(&token, "Bearer ")) {
    return WithReason(WithRule(absl::UnauthenticatedError(
                                   "missing \"authorization: Bearer <token>\" metadata"),
                               "X13.1"),
                      "UNAUTHENTICATED");
  }
  auto it = tokens_.find(absl::StripAsciiWhitespace(token));
  if (it == tokens_.end()) {
    return WithReason(WithRule(absl::UnauthenticatedError("unknown client token"), "X13.1"),
                      "UNAUTHENTICATED");
  }
  if (staff_id.empty()) {
    return PermissionDenied("missing \"x-cms-user: <staff id>\" metadata", "X13.1");
  }
  app::Actor actor;
  // One autocommit SELECT: no transaction round trips on every call.
  absl::Status s = commands.db().RunOnConnection([&](store::Tx& tx) -> absl::Status {
    auto member = store::GetStaff(tx, std::string(staff_id));
    if (absl::IsNotFound(member.status())) {
      return PermissionDenied(absl::StrCat("unknown staff id ", staff_id), "X13.1");
    }
    CMS_RETURN_IF_ERROR(member.status());
    if (!member->active()) {
      return PermissionDenied(absl::StrCat("staff id ", staff_id, " is deactivated"), "X13.1");
    }
    actor = app::Actor{member->staff_id(), it->second, member->role(), member->team_id(),
                       member->segment_id()};
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return actor;
}

}  // namespace cms::auth
