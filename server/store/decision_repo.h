// Repository for business decisions (AG11.2; issue 16): the append-only
// `business_decisions` table of migration 0020, which Q&A samples
// (store/assurance_repo.h). Ids and classifications only. Thread-compatible
// (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "cms/v1/assurance.pb.h"
#include "server/store/db.h"

namespace cms::store {

struct BusinessDecisionRow {
  cms::v1::BusinessDecisionType type = cms::v1::BUSINESS_DECISION_TYPE_UNSPECIFIED;
  std::string entity_type;  // what was decided: "approval", "service_request", ...
  int64_t entity_id = 0;
  int64_t sr_id = 0;    // 0: none
  std::string sr_type;  // "": the type of sr_id (looked up), or none
  int64_t case_id = 0;  // 0: none
  int64_t casegroup_id = 0;
  int64_t segment_id = 0;  // 0: the casegroup's owning segment now
  int64_t team_id = 0;     // 0: none
  std::string actor;
  int64_t decided_us = 0;
};

// Appends the row with the transaction's COMMIT (Tx::AtCommit: nothing in
// the deciding command reads it back), in one INSERT … SELECT that reads
// the owning segment and SR type it was not given.
absl::Status InsertBusinessDecision(Tx& tx, const BusinessDecisionRow& d);

}  // namespace cms::store
