// Repository for Freedom of Information requests (AG11.3; issue 16): the
// `foi_requests` table of migration 0017. A request is stored whole (its
// proto) beside the columns the queue filters on; its etag is its row
// version. Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/foi.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts `r` at version 1 and returns it as stored (id, etag, times set).
absl::StatusOr<cms::v1::FoiRequest> InsertFoiRequest(Tx& tx, cms::v1::FoiRequest r, int64_t now_us);
// NOT_FOUND naming the request.
absl::StatusOr<cms::v1::FoiRequest> GetFoiRequest(Tx& tx, int64_t id, bool for_update = false);
// Writes `r` (as read FOR UPDATE in this transaction) as its next version.
absl::Status UpdateFoiRequest(Tx& tx, cms::v1::FoiRequest& r, int64_t now_us);

struct FoiFilter {
  cms::v1::FoiState state = cms::v1::FOI_STATE_UNSPECIFIED;  // any
  cms::v1::Country country = cms::v1::COUNTRY_UNSPECIFIED;   // any
  bool overdue_only = false;
};
// In id order after page.after_id, at most page.limit.
absl::StatusOr<std::vector<cms::v1::FoiRequest>> ListFoiRequests(Tx& tx, const FoiFilter& filter,
                                                                 const PageRequest& page);

}  // namespace cms::store
