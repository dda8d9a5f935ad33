// Repository for the shared business-clock offset (T8.1): business now =
// real now + offset, stored once for every replica. Thread-compatible.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "server/store/db.h"

namespace cms::store {

absl::StatusOr<int64_t> ReadClockOffsetMicros(Tx& tx, bool for_update = false);
// Also marks the clock as moved.
absl::Status WriteClockOffsetMicros(Tx& tx, int64_t offset_us);
// Whether the clock has ever been set or advanced (migration 0021).
absl::StatusOr<bool> ClockWasMoved(Tx& tx);

}  // namespace cms::store
