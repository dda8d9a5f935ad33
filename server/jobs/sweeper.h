// The timer sweeper (T8.2): `threads` worker threads per server replica.
// Each worker claims due timers in batches (SELECT ... FOR UPDATE SKIP
// LOCKED, so workers of this and other replicas never wait for or
// double-fire each other's rows), runs each timer's action and marks the
// batch fired in the same transaction: a crash before commit leaves the
// timers due, after commit they are fired, so every effect happens exactly
// once however many workers and replicas sweep. "Due" is business-clock
// time (T8.1), read in the sweep transaction, so a test-clock advance on
// any replica is seen by all.
//
// Each worker runs a pass every `interval` (the workers' passes spread
// evenly over it, so an idle replica looks for due timers every
// interval / threads), at start (worker 0 at once: timers that came due
// while no server ran fire then) and whenever Notify() is called (a local
// clock change: every worker wakes). A pass claims batch after batch, with
// no pause, until one comes back empty, so under a backlog every worker
// sweeps back to back. Each worker's transaction holds one pooled
// connection, so a replica needs `threads` connections beyond those its
// RPCs use (main.cc opens --pool_size + --timer_sweep_threads).
//
// A failing action rolls its whole batch back; that timer alone is then
// charged an attempt (last_error kept) and postponed by an exponential
// backoff (1 s, 2 s, 4 s … of business time), and after `max_attempts` it is
// FAILED (counted by GetTimerStats) instead of blocking the queue, and its
// kind's give-up action, if it has one (timer_registry.h), runs in the same
// transaction; the rest of the batch fires on the next claim, straight
// away. Thread-safe.
#pragma once

#include <cstdint>
#include <thread>
#include <vector>

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
  // Worker threads (each one sweep transaction, on one pooled connection, at
  // a time). A batch is mostly waiting on database round trips, so a second
  // worker overlaps them: on the 2-core bench machine one replica went from
  // about 3,100 to 4,400 timers/s. More is not better there: 8 workers (or
  // 2 replicas of 4) contended in the database and the lag grew
  // (tools/cms timerbench --sweep_threads; figures in server/README.md).
  int threads = 2;
};

class Sweeper {
 public:
  Sweeper(app::Commands& commands, const TimerRegistry& registry, SweeperOptions options);
  ~Sweeper();  // Stop()

  // Starts the `threads` workers.
  void Start();
  // Wakes every worker for a pass now (e.g. after AdminService moved the
  // clock).
  void Notify();
  // Finishes the batches in flight and joins the workers; must run before
  // the database goes away. Idempotent.
  void Stop();

  // Fires batches until one claims nothing; returns how many fired. Each
  // worker's loop; tests may call it directly without Start(), from any
  // number of threads at once.
  absl::StatusOr<int> SweepOnce();

 private:
  struct Wake;  // what a waiting worker waits for
  void Loop(int worker);
  // One transaction: claim, act, mark fired. Sets *claimed.
  absl::StatusOr<int> FireBatch(int* claimed);

  app::Commands& commands_;
  const TimerRegistry& registry_;
  const SweeperOptions options_;
  const std::vector<std::string> kinds_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Bumped by Notify(); a worker that has not seen the latest value sweeps.
  uint64_t notify_generation_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_;
};

}  // namespace cms::jobs
