// Answers kept for a while: a value per key, given back while it is younger
// than a maximum age on an injected clock (real time in the server, a fake
// one in tests). For counts a dashboard asks for on every view, which cost
// a scan each and may be a few seconds old; the answer says when it was
// made. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace cms {

template <typename Key, typename Value>
class KeptAnswers {
 public:
  // A max_age of zero or less keeps nothing.
  explicit KeptAnswers(absl::Duration max_age, std::function<absl::Time()> now = absl::Now)
      : max_age_(max_age), now_(std::move(now)) {}

  bool enabled() const { return max_age_ > absl::ZeroDuration(); }
  absl::Time Now() const { return now_(); }

  // The answer kept for `key`, while younger than the max age.
  std::optional<Value> Find(const Key& key) {
    if (!enabled()) return std::nullopt;
    const absl::Time now = now_();
    absl::MutexLock lock(&mu_);
    auto it = kept_.find(key);
    if (it == kept_.end() || now - it->second.made >= max_age_) return std::nullopt;
    return it->second.value;
  }

  // Keeps `value`, made at `made` (Now() before it was worked out), unless
  // a newer answer for the key is kept already: of callers that missed
  // together, the last to start wins, whichever finishes last.
  void Keep(const Key& key, Value value, absl::Time made) {
    if (!enabled()) return;
    absl::MutexLock lock(&mu_);
    auto it = kept_.find(key);
    if (it == kept_.end()) {
      kept_.emplace(key, Kept{std::move(value), made});
    } else if (it->second.made < made) {
      it->second = Kept{std::move(value), made};
    }
  }

 private:
  struct Kept {
    Value value;
    absl::Time made;
  };
  const absl::Duration max_age_;
  const std::function<absl::Time()> now_;
  absl::Mutex mu_;
  std::map<Key, Kept> kept_ ABSL_GUARDED_BY(mu_);
};

}  // namespace cms
