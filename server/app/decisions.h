// AG11.2: the business decisions Q&A samples, recorded where they are made
// (issue 16). One helper, called at each decision point inside the
// deciding command:
//   - an SR step's approval approved or rejected (ApprovalApp::Decide, A6);
//   - an SR closed with its resolution (ServiceRequestApp's status change,
//     the one place SRs move to CLOSED, SR5.2);
//   - a caseworker's Segment 5 compliance decision (ComplianceApp::Save:
//     the offer decided, an outcome recorded, an extension asked for, an
//     early end, a missed payment's reason);
//   - an arrears caseworker decision (ArrearsApp::Save);
//   - a calculation recorded or its maximum NDR determined (M7.4).
// A decision is a member of staff's: one the server makes by rule, as
// "system" (a timer, the nightly checks), is nobody's work to check and is
// not recorded. The row holds ids and classifications only (store/
// decision_repo.h); the deciding command's actor and their team, and its
// business time. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "cms/v1/assurance.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/app/commands.h"

namespace cms::app {

struct Decision {
  cms::v1::BusinessDecisionType type = cms::v1::BUSINESS_DECISION_TYPE_UNSPECIFIED;
  std::string entity_type;  // what was decided, as audited: "approval", ...
  int64_t entity_id = 0;
  int64_t sr_id = 0;    // the SR it was made on (0: none)
  std::string sr_type;  // "": sr_id's type, looked up
  int64_t case_id = 0;
  int64_t casegroup_id = 0;
  int64_t segment_id = 0;  // the owning segment (0: the casegroup's)
};

// The decision's SR facts from `sr` (its id, type, case, casegroup and
// owning segment).
Decision DecisionOnSr(cms::v1::BusinessDecisionType type, std::string entity_type,
                      int64_t entity_id, const cms::v1::ServiceRequest& sr);

// Records `d` as the command actor's, at the command's time, with the
// command's COMMIT. No-op for the system actor.
absl::Status RecordDecision(Command& c, const Decision& d);

}  // namespace cms::app
