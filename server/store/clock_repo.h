// Repository for the shared business-clock offset (T8.1): business now =
// real now + offset, stored once for every replica. Thread-compatible.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "server/store/db.h"

namespace cms::store {

absl::StatusOr<int64_t> ReadClockOffsetMicros(Tx& tx, bool for_update = false);
absl::Status WriteClockOffsetMicros(Tx& tx, int64_t offset_us);

}  // namespace cms::store
