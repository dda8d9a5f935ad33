// Gathers a casegroup's routing facts from the database, asks the pure
// routing rules (domain/routing.h) and resolves the answer to a live
// segment; moves the casegroup when its owner changes (R3.3, R3.5).
// Stateless; used inside a running transaction.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "server/app/commands.h"
#include "server/domain/routing.h"
#include "server/store/db.h"

namespace cms::app {

struct Placement {
  domain::RoutingFacts facts;
  domain::RoutingDecision decision;
  cms::v1::Segment segment;  // the live segment the decision resolves to
};

// Places a casegroup (existing, or 0 for one about to be created) from its
// parties: the PP and the RPs of its cases. `parties_are_new` skips the
// lookup of their other cases when every party was created just now. When
// several live segments share the decided country and service segment (a
// split), the casegroup stays in `current_segment_id` if that is one of
// them; otherwise the oldest is chosen.
absl::StatusOr<Placement> PlaceParties(store::Tx& tx, const cms::v1::Person& pp,
                                       const std::vector<cms::v1::Person>& others,
                                       const std::vector<cms::v1::LifecycleStage>& stages,
                                       int64_t casegroup_id, bool parties_are_new = false,
                                       int64_t current_segment_id = 0);

absl::StatusOr<Placement> PlaceCasegroup(store::Tx& tx, const cms::v1::Casegroup& g);

// Re-evaluates routing for casegroup `id` and moves it (recording the move
// with `trigger`) when its owning segment changes. Returns true on a move.
absl::StatusOr<bool> Reroute(Command& c, int64_t casegroup_id, absl::string_view trigger);

// Places the (locked) casegroup `before` in `segment_id` under `rule_id`:
// with a move, its case-owning work follows and the move is recorded
// (R3.3, R3.5). Reroute uses it; so do rules that place work outside the
// R3.2 hierarchy for a while (AR10.1: a first missed payment).
absl::Status Place(Command& c, const cms::v1::Casegroup& before, int64_t segment_id,
                   cms::v1::Country country, absl::string_view rule_id, absl::string_view trigger);

// R3.4: a routing change made through SR `sr_id` moves the casegroup when
// the SR closes, not now. Marks the SR (which must be open and belong to one
// of `casegroup_ids`) and returns its casegroup, whose re-routing the caller
// skips.
absl::StatusOr<int64_t> DeferReroute(Command& c, int64_t sr_id,
                                     const std::vector<int64_t>& casegroup_ids);

}  // namespace cms::app
