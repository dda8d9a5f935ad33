#include "server/app/routing_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "server/app/changed_work.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/domain/postcode.h"
#include "server/store/bom_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"
#include "server/store/work_repo.h"

namespace cms::app {

absl::StatusOr<Placement> PlaceParties(store::Tx& tx, const cms::v1::Person& pp,
                                       const std::vector<cms::v1::Person>& others,
                                       const std::vector<cms::v1::LifecycleStage>& stages,
                                       int64_t casegroup_id, bool parties_are_new,
                                       int64_t current_segment_id) {
  Placement p;
  domain::RoutingFacts& f = p.facts;
  f.pp_address_outside_uk = pp.residential_address().non_uk();
  f.pp_postcode = f.pp_address_outside_uk ? "" : pp.residential_address().postcode();
  f.any_party_nationally_sensitive = pp.nationally_sensitive();
  std::vector<int64_t> party_ids = {pp.id()};
  for (const auto& o : others) {
    f.any_party_nationally_sensitive |= o.nationally_sensitive();
    if (o.id() != 0) party_ids.push_back(o.id());
  }
  f.lifecycle_stage = domain::CasegroupStage(stages);
  if (!parties_are_new) {
    CMS_ASSIGN_OR_RETURN(f.any_party_has_existing_case,
                         store::AnyPartyHasCaseElsewhere(tx, party_ids, casegroup_id));
  }
  // The routing country is the region (C2.4), so one read of its live
  // segments answers both "is there an ARREARS segment" and the target.
  const cms::v1::Country country = domain::RegionOf(f.pp_postcode, f.pp_address_outside_uk);
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::Segment> live, store::ListLiveSegments(tx, country));
  auto live_segment = [&](cms::v1::ServiceSegment s) -> const cms::v1::Segment* {
    const cms::v1::Segment* oldest = nullptr;
    for (const auto& seg : live) {
      if (seg.service_segment() != s) continue;
      if (seg.id() == current_segment_id) return &seg;
      if (oldest == nullptr) oldest = &seg;
    }
    return oldest;
  };
  f.arrears_segment_exists = live_segment(cms::v1::SERVICE_SEGMENT_ARREARS) != nullptr;

  p.decision = domain::Route(f);
  const cms::v1::Segment* segment = live_segment(p.decision.service_segment);
  if (segment == nullptr) {
    return RuleViolation(
        "R3.1", absl::StrCat("no live ", ShortName(p.decision.country), " ",
                             ShortName(p.decision.service_segment), " segment to route to (",
                             p.decision.rule_id, "); ask service management to create one"));
  }
  p.segment = *segment;
  return p;
}

absl::StatusOr<Placement> PlaceCasegroup(store::Tx& tx, const cms::v1::Casegroup& g) {
  CMS_ASSIGN_OR_RETURN(auto cases, store::ListCasesOfCasegroup(tx, g.id()));
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(tx, g.paying_parent_id()));
  std::vector<int64_t> rp_ids;
  std::vector<cms::v1::LifecycleStage> stages;
  for (const auto& c : cases) {
    rp_ids.push_back(c.receiving_parent_id());
    stages.push_back(c.lifecycle_stage());
  }
  CMS_ASSIGN_OR_RETURN(auto rps, store::GetPersons(tx, rp_ids));
  return PlaceParties(tx, pp, rps, stages, g.id(), /*parties_are_new=*/false,
                      g.owning_segment_id());
}

absl::StatusOr<bool> Reroute(Command& c, int64_t casegroup_id, absl::string_view trigger) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup before,
                       store::GetCasegroup(c.tx(), casegroup_id, /*for_update=*/true));
  CMS_ASSIGN_OR_RETURN(Placement place, PlaceCasegroup(c.tx(), before));
  const bool moves = place.segment.id() != before.owning_segment_id();
  if (!moves && place.decision.rule_id == before.routing_rule()) return false;
  CMS_RETURN_IF_ERROR(Place(c, before, place.segment.id(), place.decision.country,
                            place.decision.rule_id, trigger));
  return moves;
}

absl::Status Place(Command& c, const cms::v1::Casegroup& before, int64_t segment_id,
                   cms::v1::Country country, absl::string_view rule_id, absl::string_view trigger) {
  const bool moves = segment_id != before.owning_segment_id();
  cms::v1::Casegroup after = before;
  after.set_owning_segment_id(segment_id);
  after.set_country(country);
  after.set_routing_rule(std::string(rule_id));
  // The allocated caseworker belongs to the old segment: the casegroup waits
  // in the new segment's queue (W4.5, no orphans).
  if (moves) after.clear_allocated_to();
  CMS_RETURN_IF_ERROR(store::UpdateCasegroupPlacement(c.tx(), after));
  if (moves) {
    // R3.3: its case-owning work moves with it, in this transaction.
    CMS_ASSIGN_OR_RETURN(store::ChangedWork moved,
                         store::MoveCaseOwningWork(c.tx(), before.id(), segment_id));
    AuditChangedWork(c, moved);  // X13.2
    cms::v1::CasegroupMove m;
    m.set_casegroup_id(before.id());
    m.set_from_segment_id(before.owning_segment_id());
    m.set_to_segment_id(segment_id);
    m.set_rule_id(std::string(rule_id));
    m.set_trigger(std::string(trigger));
    m.set_actor(c.actor().staff_id);
    CMS_RETURN_IF_ERROR(store::InsertCasegroupMove(c.tx(), m, c.now_us()));
  }
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup stored, store::GetCasegroup(c.tx(), before.id()));
  c.Audit("casegroup", absl::StrCat(before.id()), &before, stored);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> DeferReroute(Command& c, int64_t sr_id,
                                     const std::vector<int64_t>& casegroup_ids) {
  auto sr = store::GetServiceRequest(c.tx(), sr_id, /*for_update=*/true);
  if (absl::IsNotFound(sr.status()))
    return InvalidField("service_request_id", "no such SR", "R3.4");
  CMS_RETURN_IF_ERROR(sr.status());
  if (std::find(casegroup_ids.begin(), casegroup_ids.end(), sr->casegroup_id()) ==
      casegroup_ids.end()) {
    return InvalidField("service_request_id", "the SR is not on a casegroup this change touches",
                        "R3.4");
  }
  if (sr->status() == cms::v1::SR_STATUS_CLOSED || sr->status() == cms::v1::SR_STATUS_CANCELLED) {
    return RuleViolation("R3.4", absl::StrCat("SR ", sr_id, " is already final"));
  }
  CMS_RETURN_IF_ERROR(store::MarkRerouteOnClose(c.tx(), sr_id));
  return sr->casegroup_id();
}

}  // namespace cms::app
