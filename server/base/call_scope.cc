#include "server/base/call_scope.h"

#include <utility>

#include "absl/time/clock.h"

namespace cms {
namespace {
thread_local const CallScope* current_scope = nullptr;
}  // namespace

CallScope::CallScope(absl::Time deadline, std::function<bool()> cancelled)
    : deadline_(deadline), cancelled_(std::move(cancelled)), outer_(current_scope) {
  current_scope = this;
}

CallScope::~CallScope() { current_scope = outer_; }

const CallScope* CallScope::Current() { return current_scope; }

absl::Status CallScope::Check(absl::Time now) const {
  if (cancelled_ && cancelled_()) {
    return absl::CancelledError("the caller went away; nothing more was done for it");
  }
  if (now >= deadline_) {
    return absl::DeadlineExceededError(
        "the call's deadline passed; its transaction was rolled back and nothing was committed");
  }
  return absl::OkStatus();
}

absl::Status CheckCallScope() {
  const CallScope* scope = CallScope::Current();
  return scope == nullptr ? absl::OkStatus() : scope->Check(absl::Now());
}

}  // namespace cms
