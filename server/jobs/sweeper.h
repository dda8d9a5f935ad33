// The timer sweeper (T8.2): one thread per server replica. Each pass claims
// due timers in batches (SELECT ... FOR UPDATE SKIP LOCKED, so replicas
// never wait for or double-fire each other's rows), runs each timer's
// action and marks the batch fired in the same transaction: a crash before
// commit leaves the timers due, after commit they are fired, so every effect
// happens exactly once. "Due" is business-clock time (T8.1), read in the
// sweep transaction, so a test-clock advance on any replica is seen by all.
//
// A pass runs at start (timers that came due while no server ran fire at
// once), every `interval`, and whenever Notify() is called (a local clock
// change), and each pass claims batch after batch until one comes back empty.
//
// A failing action rolls its whole batch back; that timer alone is then
// charged an attempt (last_error kept) and postponed by an exponential
// backoff (1 s, 2 s, 4 s … of business time), and after `max_attempts` it is
// FAILED (counted by GetTimerStats) instead of blocking the queue; the rest
// of the batch fires on the next pass, straight away. Thread-safe.
#pragma once

#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/app/commands.h"
#include "server/jobs/timer_registry.h"

namespace cms::jobs {

struct SweeperOptions {
  absl::Duration interval = absl::Milliseconds(200);
  int batch_size = 100;
  int max_attempts = 5;
};

class Sweeper {
 public:
  Sweeper(app::Commands& commands, const TimerRegistry& registry, SweeperOptions options);
  ~Sweeper();  // Stop()

  void Start();
  // Wakes the thread for a pass now (e.g. after AdminService moved the clock).
  void Notify();
  // Finishes the batch in flight and joins the thread; must run before the
  // database goes away. Idempotent.
  void Stop();

  // Fires batches until one claims nothing; returns how many fired. The
  // thread's loop; tests may call it directly without Start().
  absl::StatusOr<int> SweepOnce();

 private:
  void Loop();
  bool ShouldWake() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // One transaction: claim, act, mark fired. Sets *claimed.
  absl::StatusOr<int> FireBatch(int* claimed);

  app::Commands& commands_;
  const TimerRegistry& registry_;
  const SweeperOptions options_;
  const std::vector<std::string> kinds_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace cms::jobs
