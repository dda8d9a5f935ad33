// Repository for the assets of a person (AR10.14; issue 15): the
// `person_assets` table of migration 0015, one row per asset, never
// deleted (an asset ended is CLOSED). Its etag is its row version.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/arrears.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts `asset` ACTIVE at version 1 (id, etag, state and times are set
// from the row) and returns it as stored.
absl::StatusOr<cms::v1::Asset> InsertAsset(Tx& tx, cms::v1::Asset asset, int64_t now_us);
// NOT_FOUND naming the asset.
absl::StatusOr<cms::v1::Asset> GetAsset(Tx& tx, int64_t id, bool for_update = false);
// Ends `asset` (read FOR UPDATE in this transaction): CLOSED, with its
// end_reason and ended_by as set on it, as the next version (its etag,
// update_time and end_time are set).
absl::Status EndAsset(Tx& tx, cms::v1::Asset& asset, int64_t now_us);

// A person's assets in id order after page.after_id, at most page.limit;
// ACTIVE only unless `include_closed`.
absl::StatusOr<std::vector<cms::v1::Asset>> ListPersonAssets(Tx& tx, int64_t person_id,
                                                             bool include_closed,
                                                             const PageRequest& page);

// AR10.3, AR10.14: how many ACTIVE assets the person has, by type.
absl::StatusOr<std::map<cms::v1::AssetType, int>> CountActiveAssets(Tx& tx, int64_t person_id);

}  // namespace cms::store
