// Repository for the Segment 5 compliance opportunity (S5.*; issue 14): the
// `compliance_opportunities` and `compliance_events` tables of migration
// 0011. An opportunity is stored whole (its proto) beside the columns that
// queries filter on; its etag is its row version. Thread-compatible (one Tx
// per thread).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/compliance.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts `opp` (id, etag and times are set from the row) at version 1 and
// returns it as stored.
absl::StatusOr<cms::v1::ComplianceOpportunity> InsertComplianceOpportunity(
    Tx& tx, cms::v1::ComplianceOpportunity opp, int64_t now_us);
// NOT_FOUND naming the opportunity.
absl::StatusOr<cms::v1::ComplianceOpportunity> GetComplianceOpportunity(Tx& tx, int64_t id,
                                                                        bool for_update = false);
absl::StatusOr<std::optional<cms::v1::ComplianceOpportunity>> FindComplianceOpportunityByCase(
    Tx& tx, int64_t case_id, bool for_update = false);
// Writes `opp` as the next version (its etag and update_time are set).
// `opp` is as read FOR UPDATE in this transaction (or as last written by
// it), so its etag is the row's current one.
absl::Status UpdateComplianceOpportunity(Tx& tx, cms::v1::ComplianceOpportunity& opp,
                                         int64_t now_us);

struct ComplianceFilter {
  cms::v1::ComplianceState state = cms::v1::COMPLIANCE_STATE_UNSPECIFIED;  // any
  int64_t owning_segment_id = 0;                                           // any
  cms::v1::Date end_from;                                                  // unset: no bound
  cms::v1::Date end_to;
};
// In id order after page.after_id, at most page.limit.
absl::StatusOr<std::vector<cms::v1::ComplianceOpportunity>> ListComplianceOpportunities(
    Tx& tx, const ComplianceFilter& filter, const PageRequest& page);

absl::Status InsertComplianceEvent(Tx& tx, const cms::v1::ComplianceEvent& e, int64_t now_us);
absl::StatusOr<std::vector<cms::v1::ComplianceEvent>> ListComplianceEvents(Tx& tx,
                                                                           int64_t opportunity_id,
                                                                           const PageRequest& page);

}  // namespace cms::store
