// Who a call acts for (X13.1): the authenticator (auth/) names a staff id
// and a client application; this finds the staff member, so auth/ reaches
// the database only through the use-case layer. Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "server/app/actor.h"
#include "server/app/commands.h"

namespace cms::app {

// The active staff member `staff_id` — the byte-for-byte same id — acting
// through `client`. PERMISSION_DENIED (X13.1) for an unknown or deactivated
// one. One autocommit SELECT: no transaction round trips on every call.
absl::StatusOr<Actor> ActorOf(Commands& commands, const std::string& staff_id,
                              const std::string& client);

}  // namespace cms::app
