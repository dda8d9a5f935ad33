// The statements of one S5_SCHEDULED_END sweep batch (the sweeper's claim,
// ComplianceApp::ScheduledEnd per timer through ServiceRequestApp::RaiseByRule
// and the store, the batch marked fired and its audit rows), sent through
// SOCI and cms_store with no app code around them: cms_compliancebench's
// ceiling of the server path. Thread-safe: each FireBatch runs in its
// caller's transaction.
//
// Taken from the MariaDB general log of one server firing. Per timer: the
// opportunity locked and read; the trial period's schedule items as one
// indexed range (ix_items_case) with their stored standing; the casegroup
// locked and read (routing); the SR5.10 one-open check; the SR row, its
// field; the opportunity
// updated; its compliance event. Per batch: the clock read, the claim, the
// timers marked fired, one multi-row audit insert (two rows a timer, of the
// lengths the server writes, but not made by converting protos to JSON:
// that is server work the ceiling leaves out).
#pragma once

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "server/store/db.h"

namespace cms::bench {

class RawCompliance {
 public:
  // `now_us`: the business instant the batches run at; `today` its day.
  RawCompliance(int64_t now_us, absl::CivilDay today) : now_us_(now_us), today_(today) {}

  // Claims up to `batch` due timers and fires them; `*claimed` says how
  // many were claimed (0: none left).
  absl::Status FireBatch(store::Tx& tx, int batch, int* claimed) const;

 private:
  int64_t now_us_;
  absl::CivilDay today_;
};

}  // namespace cms::bench
