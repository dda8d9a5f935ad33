#include "server/app/decisions.h"

#include <utility>

#include "server/store/decision_repo.h"

namespace cms::app {

Decision DecisionOnSr(cms::v1::BusinessDecisionType type, std::string entity_type,
                      int64_t entity_id, const cms::v1::ServiceRequest& sr) {
  Decision d;
  d.type = type;
  d.entity_type = std::move(entity_type);
  d.entity_id = entity_id;
  d.sr_id = sr.id();
  d.sr_type = sr.type_code();
  d.case_id = sr.case_id();
  d.casegroup_id = sr.casegroup_id();
  d.segment_id = sr.owning_segment_id();
  return d;
}

absl::Status RecordDecision(Command& c, const Decision& d) {
  if (c.actor().staff_id == Actor::System().staff_id || d.casegroup_id == 0) {
    return absl::OkStatus();
  }
  store::BusinessDecisionRow row;
  row.type = d.type;
  row.entity_type = d.entity_type;
  row.entity_id = d.entity_id;
  row.sr_id = d.sr_id;
  row.sr_type = d.sr_type;
  row.case_id = d.case_id;
  row.casegroup_id = d.casegroup_id;
  row.segment_id = d.segment_id;
  row.team_id = c.actor().team_id;
  row.actor = c.actor().staff_id;
  row.decided_us = c.now_us();
  return store::InsertBusinessDecision(c.tx(), row);
}

}  // namespace cms::app
