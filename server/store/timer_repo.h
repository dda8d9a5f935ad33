// Repository for durable timers (T8.2): the `timers` table. Application code
// schedules a timer inside its own transaction (ScheduleTimer), so the timer
// exists exactly when the change that needs it commits. The sweeper
// (server/jobs/sweeper.h) claims, fires and records them.
// Thread-compatible (one Tx per thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/store/db.h"

namespace cms::store {

struct TimerSpec {
  std::string kind;     // a kind registered with jobs::TimerRegistry
  int64_t subject = 0;  // the entity the timer acts on (SR id, …)
  absl::Time due;       // business-clock instant (T8.1)
  std::string payload;  // what the action needs to tell a stale timer from a live one
  // Unique: scheduling the same key again is a no-op, so re-running a
  // command (retry, replay) never doubles a timer.
  std::string dedupe_key;
};

// Period `period` of a periodic job (T8.3, jobs/periodic.h): dedupe key
// "kind/subject/period", payload the period number. Here so a use case can
// arm period 0 in its own transaction without depending on jobs/.
TimerSpec PeriodicTimerSpec(const std::string& kind, int64_t subject, int64_t period,
                            absl::Time due);

// INSERT IGNORE on the dedupe key; true when a new timer was written.
absl::StatusOr<bool> ScheduleTimer(Tx& tx, const TimerSpec& spec, int64_t now_us);

// ScheduleTimer for many timers in one round trip per 500 (INSERT IGNORE:
// timers already scheduled are skipped). Returns how many were new.
absl::StatusOr<int64_t> ScheduleTimers(Tx& tx, const std::vector<TimerSpec>& specs, int64_t now_us);

struct DueTimer {
  int64_t id = 0;
  std::string kind;
  int64_t subject = 0;
  int64_t due_us = 0;
  std::string payload;
  int attempts = 0;
};

// Locks up to `limit` PENDING timers of `kinds` due at or before `now_us`,
// oldest first, skipping rows other replicas hold (FOR UPDATE SKIP LOCKED).
absl::StatusOr<std::vector<DueTimer>> ClaimDueTimers(Tx& tx, const std::vector<std::string>& kinds,
                                                     int64_t now_us, int limit);
absl::Status MarkTimersFired(Tx& tx, const std::vector<int64_t>& ids, int64_t now_us);
// A failed attempt: counted, its error kept, and either postponed to
// `retry_us` or, with `give_up`, moved to FAILED. Only a still-PENDING timer
// changes (another replica may have fired it meanwhile).
absl::Status RecordTimerFailure(Tx& tx, int64_t id, const std::string& error, int64_t retry_us,
                                bool give_up);

struct TimerStats {
  int64_t pending = 0;
  int64_t overdue = 0;  // pending and due at or before now
  int64_t failed = 0;
  int64_t oldest_overdue_due_us = 0;  // 0 when nothing is overdue
};
absl::StatusOr<TimerStats> ReadTimerStats(Tx& tx, int64_t now_us);

// The test-only probe timer kind (jobs::RegisterProbeTimer): one counter row
// per subject in `timer_probe`, a table only probe-enabled servers create.
absl::Status EnsureTimerProbeTable(Db& db);
absl::Status IncrementTimerProbe(Tx& tx, int64_t subject);

}  // namespace cms::store
