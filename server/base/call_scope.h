// The limits of the call the current thread is serving: when its caller
// stops waiting (its deadline, capped by the server's own maximum) and
// whether it has gone away (cancelled). The api layer opens one CallScope
// per RPC (api/rpc.cc); the store reads it before each statement and each
// retry, and sizes MariaDB's lock-wait and statement timeouts from it, so no
// work outlives the caller and nothing commits after it gave up.
//
// A thread-local, like a tracing context: the bound is cross-cutting, and
// threading it through every use case's signature would carry it past
// layers that never look at it. Code with no scope open (timers, jobs,
// start-up) is unbounded here and keeps the database's own limits.
#pragma once

#include <functional>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace cms {

class CallScope {
 public:
  // `cancelled` may be empty; it is asked from the thread that opened the
  // scope only, and must be cheap (grpc::ServerContext::IsCancelled is).
  CallScope(absl::Time deadline, std::function<bool()> cancelled);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  // The innermost scope open on this thread, or null.
  static const CallScope* Current();

  absl::Time deadline() const { return deadline_; }
  // OK while the caller still waits; DEADLINE_EXCEEDED once its deadline
  // passed, CANCELLED once it went away.
  absl::Status Check(absl::Time now) const;

 private:
  absl::Time deadline_;
  std::function<bool()> cancelled_;
  const CallScope* outer_;
};

// Check() of the current scope; OK when none is open.
absl::Status CheckCallScope();

}  // namespace cms
