// The one registration point for timer kinds (T8.2): kind -> action. Actions
// are registered while the server is wired (jobs/timer_kinds.cc, called by
// api/server.cc before the sweeper starts) and only read afterwards, so
// lookups need no lock.
//
// To add a kind: schedule it from the use case's transaction with
// store::ScheduleTimer (a dedupe key naming the subject and its version or
// period), and register its action next to the others in
// jobs/timer_kinds.cc (RegisterTimerKinds). An action runs inside the sweep
// transaction that marks the timer fired; it must re-check its subject
// (the timer may be stale: the SR left WAIT, the activity was done) and do
// nothing then. Its audit rows go through the Command it is given.
//
// A kind whose subject shows a state that only its firings move on (a bulk
// move's RUNNING operation) also registers a give-up action: when the
// sweeper gives up on one of its timers (jobs/sweeper.h: max_attempts
// failed firings), it runs once, in a transaction of its own, with the last
// error, so the subject records the failure instead of waiting for a firing
// that will never come. Thread-safe after registration.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cms/v1/admin.pb.h"
#include "server/app/commands.h"
#include "server/store/timer_repo.h"

namespace cms::jobs {

using TimerAction = std::function<absl::Status(app::Command&, const store::DueTimer&)>;
// `attempts`: the failed firings, the last one's error included.
using GiveUpAction = std::function<absl::Status(app::Command&, const store::DueTimer&,
                                                const absl::Status& last_error, int attempts)>;

class TimerRegistry {
 public:
  // Registering a kind twice is a wiring bug and aborts.
  void Register(absl::string_view kind, TimerAction action, GiveUpAction on_give_up = nullptr);
  const TimerAction* Find(absl::string_view kind) const;
  // nullptr when the kind has none.
  const GiveUpAction* FindGiveUp(absl::string_view kind) const;
  std::vector<std::string> kinds() const;

 private:
  struct Kind {
    TimerAction action;
    GiveUpAction on_give_up;
  };
  std::map<std::string, Kind, std::less<>> kinds_;
};

// What an action records as the `after` of its audit row when the timer
// itself is the news (e.g. the probe below).
cms::v1::TimerFiring FiringOf(const store::DueTimer& t, int64_t fired_us);

// The probe kind used by the exactly-once tests and cms_timerbench: each
// firing increments timer_probe(subject) and writes one audit row. Only a
// server started with --register_probe_timer has it.
inline constexpr char kProbeTimer[] = "PROBE";
void RegisterProbeTimer(TimerRegistry& registry);
// The same, creating its table first when missing (a server started with
// --register_probe_timer).
absl::Status EnableProbeTimer(store::Db& db, TimerRegistry& registry);

}  // namespace cms::jobs
