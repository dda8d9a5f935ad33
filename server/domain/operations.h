// How a firing of a long-running bulk move ends (W4.6): which errors are the
// operation's answer and which are faults to retry, and the error an
// operation FAILS with. app/bom.cc runs the batches (one per BULK_MOVE timer
// firing); jobs/sweeper.h retries a failed firing. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - A refusal (what the synchronous RetireSegment or SplitSegment would
//   have refused with: bad input, a rule, a stale etag) FAILS the operation
//   at once with that error: trying again cannot change the answer.
// - Any other error (a statement failing, the database away) rolls the
//   firing back for the sweeper's retry with backoff. Retries are bounded:
//   when the sweeper gives up on the timer (its `max_attempts` failed
//   firings, 5 by default) the operation FAILS with the last error, so it
//   never stays RUNNING with nothing left to run it. What moved stays moved.
// - The rule an operation's error names is the error's own, else W4.6.
#pragma once

#include "absl/status/status.h"
#include "cms/v1/bom.pb.h"

namespace cms::domain {

// True when `error` is the operation's answer, false when it is a fault for
// the sweeper to retry (deadlocks and lock waits included).
bool IsOperationRefusal(const absl::Status& error);

// The error an operation FAILS with: a refusal as it is; after `attempts`
// failed firings (the sweeper gave up), the last error, saying so.
cms::v1::OperationError OperationErrorOf(const absl::Status& refusal);
cms::v1::OperationError OperationErrorAfterAttempts(const absl::Status& last_error, int attempts);

}  // namespace cms::domain
