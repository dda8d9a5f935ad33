// Repository for the append-only audit trail (X13.2). Rows are inserted in
// the transaction of the change they record and never updated.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cms/v1/admin.pb.h"
#include "server/base/paging.h"
#include "server/store/db.h"

namespace cms::store {

// Inserts every event in one statement, sent with the COMMIT (Tx::AtCommit):
// a command's audit rows cost no round trip of their own.
absl::Status InsertAuditEvents(Tx& tx, const std::vector<cms::v1::AuditEvent>& events,
                               int64_t event_us);

// Newest first; page.after_id is exclusive from above (0 = from the newest).
absl::StatusOr<std::vector<cms::v1::AuditEvent>> ListAuditEvents(Tx& tx,
                                                                 const std::string& entity_type,
                                                                 const std::string& entity_id,
                                                                 const std::string& actor,
                                                                 const PageRequest& page);

// For each entity of `entity_type`, the after_json of its latest audit row
// at or before `as_of_us` (how "the BOM as of T" is answered, S1.5).
absl::StatusOr<std::vector<std::string>> LatestSnapshots(Tx& tx, const std::string& entity_type,
                                                         int64_t as_of_us);

}  // namespace cms::store
