#include "server/jobs/sweeper.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "server/app/actor.h"
#include "server/base/log.h"
#include "server/base/status_macros.h"

namespace cms::jobs {
namespace {

// The actor of every timer effect (X13.2: audit rows say "system").
const app::Actor& SystemActor() {
  static const app::Actor* actor = new app::Actor(app::Actor::System());
  return *actor;
}

}  // namespace

Sweeper::Sweeper(app::Commands& commands, const TimerRegistry& registry, SweeperOptions options)
    : commands_(commands), registry_(registry), options_(options), kinds_(registry.kinds()) {}

Sweeper::~Sweeper() { Stop(); }

void Sweeper::Start() {
  const int n = std::max(1, options_.threads);
  workers_.reserve(n);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this, i] { Loop(i); });
}

void Sweeper::Notify() {
  absl::MutexLock lock(&mu_);
  ++notify_generation_;
}

void Sweeper::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& w : workers_) {
    if (w.joinable()) w.join();
  }
}

struct Sweeper::Wake {
  Sweeper* sweeper;
  uint64_t seen;
  bool operator()() const {  // under mu_
    return sweeper->stopping_ || sweeper->notify_generation_ != seen;
  }
};

void Sweeper::Loop(int worker) {
  const int n = std::max(1, options_.threads);
  uint64_t seen;
  {
    absl::MutexLock lock(&mu_);
    seen = notify_generation_;
    // Worker i's passes start i/n of an interval after worker 0's, so the
    // replica's passes are spread evenly rather than all at one instant.
    if (worker > 0) {
      Wake wake{this, seen};
      mu_.AwaitWithTimeout(absl::Condition(&wake), options_.interval * worker / n);
      if (stopping_) return;
      seen = notify_generation_;
    }
  }
  for (;;) {
    absl::StatusOr<int> fired = SweepOnce();
    if (!fired.ok()) {
      // The database is away or refusing: log and try again next interval.
      LogLine()
          .Str("sweeper", "error")
          .Int("worker", worker)
          .Str("status", fired.status().ToString())
          .Write();
    }
    absl::MutexLock lock(&mu_);
    Wake wake{this, seen};
    mu_.AwaitWithTimeout(absl::Condition(&wake), options_.interval);
    if (stopping_) return;
    seen = notify_generation_;
  }
}

absl::StatusOr<int> Sweeper::SweepOnce() {
  int total = 0;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return total;
    }
    int claimed = 0;
    CMS_ASSIGN_OR_RETURN(int fired, FireBatch(&claimed));
    total += fired;
    // Until a claim comes back empty: a fired periodic job may have armed
    // a next period that is already due (catch-up after downtime).
    if (claimed == 0) return total;
  }
}

absl::StatusOr<int> Sweeper::FireBatch(int* claimed) {
  std::optional<store::DueTimer> failed;
  absl::Status action_error;
  absl::Time now;
  int fired = 0;
  absl::Status s = commands_.db().RunInTransaction([&](store::Tx& tx) -> absl::Status {
    failed.reset();
    CMS_ASSIGN_OR_RETURN(now, commands_.clock().Now(tx));
    const int64_t now_us = absl::ToUnixMicros(now);
    CMS_ASSIGN_OR_RETURN(auto due, store::ClaimDueTimers(tx, kinds_, now_us, options_.batch_size));
    *claimed = static_cast<int>(due.size());
    app::Command command(tx, SystemActor(), "FireTimers", now);
    std::vector<int64_t> ids;
    ids.reserve(due.size());
    for (const store::DueTimer& t : due) {
      absl::Status a = (*registry_.Find(t.kind))(command, t);
      if (!a.ok()) {
        // A conflict is retried with the batch; anything else is this
        // timer's own failure, charged below once the batch rolled back.
        if (!store::IsRetryable(a)) {
          failed = t;
          action_error = a;
        }
        return a;
      }
      ids.push_back(t.id);
    }
    CMS_RETURN_IF_ERROR(store::MarkTimersFired(tx, ids, now_us));
    CMS_RETURN_IF_ERROR(command.FlushAudit());
    fired = static_cast<int>(ids.size());
    return absl::OkStatus();
  });
  if (s.ok()) return fired;
  if (!failed.has_value()) return s;

  const int attempts = failed->attempts + 1;
  const bool give_up = attempts >= options_.max_attempts;
  const int64_t retry_us =
      absl::ToUnixMicros(now + absl::Seconds(int64_t{1} << std::min(attempts - 1, 20)));
  LogLine()
      .Str("sweeper", "timer failed")
      .Int("timer", failed->id)
      .Str("kind", failed->kind)
      .Int("attempt", attempts)
      .Str("status", action_error.ToString())
      .Write();
  auto record = [&](const GiveUpAction* on_give_up) {
    return commands_.db().RunInTransaction([&](store::Tx& tx) -> absl::Status {
      CMS_RETURN_IF_ERROR(
          store::RecordTimerFailure(tx, failed->id, action_error.ToString(), retry_us, give_up));
      if (on_give_up == nullptr) return absl::OkStatus();
      // In the same transaction: the subject records the failure exactly
      // when the timer becomes FAILED.
      app::Command command(tx, SystemActor(), "FireTimers", now);
      CMS_RETURN_IF_ERROR((*on_give_up)(command, *failed, action_error, attempts));
      return command.FlushAudit();
    });
  };
  const GiveUpAction* on_give_up = give_up ? registry_.FindGiveUp(failed->kind) : nullptr;
  absl::Status recorded = record(on_give_up);
  if (!recorded.ok() && on_give_up != nullptr) {
    // The give-up action failing too must not keep the timer due (it would
    // fail and be claimed again at once, for ever): the timer is FAILED
    // alone, for GetTimerStats to show.
    LogLine()
        .Str("sweeper", "give-up action failed")
        .Int("timer", failed->id)
        .Str("kind", failed->kind)
        .Str("status", recorded.ToString())
        .Write();
    recorded = record(nullptr);
  }
  CMS_RETURN_IF_ERROR(recorded);
  // The batch's other timers are still due; *claimed > 0 makes the pass
  // claim again at once.
  return 0;
}

}  // namespace cms::jobs
