#include "server/auth/refusals.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "server/base/errors.h"

namespace cms::auth {
namespace {

// A whole token, less the rounding error of adding up refills.
constexpr double kOneToken = 1.0 - 1e-9;

}  // namespace

std::string PeerAddress(absl::string_view peer) {
  absl::string_view rest = peer;
  if (absl::ConsumePrefix(&rest, "ipv6:")) {
    // "[addr]:port" (gRPC percent-encodes a zone's '%', harmless here).
    if (absl::ConsumePrefix(&rest, "[")) {
      const size_t close = rest.find(']');
      if (close != absl::string_view::npos) return std::string(rest.substr(0, close));
    }
    return std::string(rest);
  }
  if (absl::ConsumePrefix(&rest, "ipv4:")) {
    const size_t colon = rest.rfind(':');
    return std::string(colon == absl::string_view::npos ? rest : rest.substr(0, colon));
  }
  return std::string(peer);
}

double RefusalTracker::Rate() const {
  const double window_s = std::max(absl::ToDoubleSeconds(limits_.window), 1e-3);
  return limits_.burst / window_s;
}

void RefusalTracker::Refill(Bucket& b, absl::Time now) const {
  if (now > b.updated) {
    b.tokens =
        std::min<double>(limits_.burst, b.tokens + absl::ToDoubleSeconds(now - b.updated) * Rate());
    b.updated = now;
  }
}

absl::Status RefusalTracker::Admit(absl::string_view address, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) return absl::OkStatus();
  Refill(it->second, now);
  if (it->second.tokens >= kOneToken) return absl::OkStatus();
  ++rate_limited_;
  const int64_t retry_s = static_cast<int64_t>(std::ceil((1.0 - it->second.tokens) / Rate()));
  return WithReason(WithRule(absl::ResourceExhaustedError(
                                 absl::StrCat("too many refused calls from this address; retry in ",
                                              std::max<int64_t>(1, retry_s), " s")),
                             "X13.1"),
                    "RATE_LIMITED");
}

void RefusalTracker::Refused(absl::string_view address, absl::StatusCode code,
                             bool identity_refusal, absl::Time now) {
  absl::MutexLock lock(&mu_);
  ++refused_by_code_[absl::StatusCodeToString(code)];
  if (!identity_refusal || limits_.burst <= 0) return;
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= limits_.max_peers) Prune(now);
    it = buckets_.emplace(std::string(address), Bucket{static_cast<double>(limits_.burst), now})
             .first;
  }
  Refill(it->second, now);
  it->second.tokens = std::max(0.0, it->second.tokens - 1.0);
}

void RefusalTracker::Prune(absl::Time now) {
  // Cooled-down addresses first: dropping them loses nothing.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    if (it->second.tokens >= limits_.burst) {
      buckets_.erase(it++);
    } else {
      ++it;
    }
  }
  while (buckets_.size() >= limits_.max_peers) {
    auto oldest = std::min_element(
        buckets_.begin(), buckets_.end(),
        [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
    buckets_.erase(oldest);
  }
}

RefusalTracker::Stats RefusalTracker::Snapshot(absl::Time now) const {
  absl::MutexLock lock(&mu_);
  Stats stats;
  stats.refused_by_code = refused_by_code_;
  stats.rate_limited = rate_limited_;
  for (const auto& [address, bucket] : buckets_) {
    Bucket b = bucket;
    Refill(b, now);
    if (b.tokens < kOneToken) {
      stats.limited_peers.push_back({address, absl::Seconds((1.0 - b.tokens) / Rate())});
    }
  }
  std::sort(stats.limited_peers.begin(), stats.limited_peers.end(),
            [](const LimitedPeer& a, const LimitedPeer& b) { return a.address < b.address; });
  return stats;
}

}  // namespace cms::auth
