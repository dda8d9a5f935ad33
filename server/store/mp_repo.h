// Repository for MP enquiries (AG11.4; issue 16): the `mp_enquiries` table
// of migration 0019. An enquiry is stored whole (its proto, history
// included) beside the columns the queue filters on and the input SR it is
// found by; its etag is its row version. Thread-compatible (one Tx per
// thread).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/mp.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts `e` at version 1 and returns it as stored (id, etag, times set).
absl::StatusOr<cms::v1::MpEnquiry> InsertMpEnquiry(Tx& tx, cms::v1::MpEnquiry e, int64_t now_us);
// NOT_FOUND naming the enquiry.
absl::StatusOr<cms::v1::MpEnquiry> GetMpEnquiry(Tx& tx, int64_t id, bool for_update = false);
// The enquiry whose input SR is `sr_id`, if any.
absl::StatusOr<std::optional<cms::v1::MpEnquiry>> FindMpEnquiryByInputSr(Tx& tx, int64_t sr_id,
                                                                         bool for_update = false);
// Writes `e` (as read FOR UPDATE in this transaction) as its next version.
absl::Status UpdateMpEnquiry(Tx& tx, cms::v1::MpEnquiry& e, int64_t now_us);

struct MpFilter {
  cms::v1::MpEnquiryState state = cms::v1::MP_ENQUIRY_STATE_UNSPECIFIED;  // any
  cms::v1::MpEnquiryKind kind = cms::v1::MP_ENQUIRY_KIND_UNSPECIFIED;     // any
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;                // any
  bool overdue_only = false;
};
// In id order after page.after_id, at most page.limit.
absl::StatusOr<std::vector<cms::v1::MpEnquiry>> ListMpEnquiries(Tx& tx, const MpFilter& filter,
                                                                const PageRequest& page);

}  // namespace cms::store
