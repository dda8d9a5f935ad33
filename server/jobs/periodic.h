// Periodic jobs (T8.3) as timers that re-arm themselves. A job of kind K on
// subject S for period n is the timer with dedupe key "K/S/n": firing it
// runs the job's body for period n and schedules period n+1 at due + period,
// in the same transaction, so each (job, subject, period) runs exactly once
// however many replicas sweep and however often StartPeriodicJob is called.
// Periods missed while no server ran each fire once, in order, on restart
// (the body is told which period it runs for). A body that answers kStop
// ends the series: no next period is armed (e.g. the job's subject no longer
// needs it). Thread-safe after registration, like TimerRegistry.
#pragma once

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/jobs/timer_registry.h"

namespace cms::jobs {

// What a period's body wants next.
enum class PeriodicNext { kRearm, kStop };

// The job's work for one period (0 for the first).
using PeriodicBody = std::function<absl::StatusOr<PeriodicNext>(
    app::Command&, const store::DueTimer&, int64_t period)>;

void RegisterPeriodicJob(TimerRegistry& registry, absl::string_view kind, absl::Duration period,
                         PeriodicBody body);

// Arms period 0 of `kind` on `subject` at `first_due` (business time), in
// the caller's transaction. A no-op when that job is already armed.
absl::Status StartPeriodicJob(store::Tx& tx, absl::string_view kind, int64_t subject,
                              absl::Time first_due, int64_t now_us);

}  // namespace cms::jobs
