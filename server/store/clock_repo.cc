#include "server/store/clock_repo.h"

#include "server/store/row_util.h"

namespace cms::store {

absl::StatusOr<int64_t> ReadClockOffsetMicros(Tx& tx, bool for_update) {
  return GuardOr<int64_t>([&]() -> absl::StatusOr<int64_t> {
    long long offset = 0;
    tx.session() << (for_update ? "SELECT offset_us FROM business_clock WHERE id = 1 FOR UPDATE"
                                : "SELECT offset_us FROM business_clock WHERE id = 1"),
        soci::into(offset);
    return offset;
  });
}

absl::Status WriteClockOffsetMicros(Tx& tx, int64_t offset_us) {
  return Guard([&] {
    long long v = offset_us;
    tx.session() << "UPDATE business_clock SET offset_us = :o, moved = 1 WHERE id = 1",
        soci::use(v);
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> ClockWasMoved(Tx& tx) {
  return GuardOr<bool>([&]() -> absl::StatusOr<bool> {
    int moved = 0;
    tx.session() << "SELECT moved FROM business_clock WHERE id = 1", soci::into(moved);
    return moved != 0;
  });
}

}  // namespace cms::store
