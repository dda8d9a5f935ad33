// The demo business operating model loaded by `tools/cms up` and by tests
// (cms_server --seed_demo_bom): both countries, every service segment, teams
// and staff with predictable ids. See README "Demo BOM" for the ids.
// Thread-safe; idempotent (does nothing when any segment exists).
#pragma once

#include "absl/status/statusor.h"
#include "server/app/bom.h"
#include "server/app/commands.h"

namespace cms::app {

// Returns true when the demo BOM was loaded, false when a BOM already exists.
absl::StatusOr<bool> LoadDemoBom(Commands& commands, BomApp& bom);

}  // namespace cms::app
