// Refused calls (X13.1): this replica's counts of UNAUTHENTICATED and
// PERMISSION_DENIED answers by code, and a per-peer-address token bucket
// that stops a peer guessing tokens or staff ids. Each identity refusal
// (the caller could not be identified: unknown token, bad identity token,
// unknown or inactive staff member, untrusted client) takes a token from its
// address's bucket of `burst` tokens, refilled at burst / window; an address
// whose bucket is empty is limited: its calls are answered
// RESOURCE_EXHAUSTED, without touching the database, until a token has grown
// back. A role refusal (S1.4) does not feed the bucket: that caller proved
// who they are, and throttling them would turn a permission bug into an
// outage for everyone behind the same address. RESOURCE_EXHAUSTED answers of
// the limiter are counted but take no token, so a peer that stops cools down.
//
// Thread-safety: every method is thread-safe (one mutex; the work under it
// is a hash-map look-up).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace cms::auth {

struct RefusalLimits {
  // Identity refusals one address may make in a burst before it is limited.
  int burst = 20;
  // The time over which a full burst grows back (rate = burst / window).
  absl::Duration window = absl::Seconds(10);
  // Addresses tracked at once; beyond it, cooled-down addresses are dropped
  // first, then the oldest.
  size_t max_peers = 10000;
};

// The address part of a gRPC peer string: "ipv4:10.1.2.3:5555" -> "10.1.2.3",
// "ipv6:[::1]:5555" -> "::1"; other forms (unix:...) are kept whole. The
// port is dropped because each new connection gets a new one.
std::string PeerAddress(absl::string_view grpc_peer);

class RefusalTracker {
 public:
  struct LimitedPeer {
    std::string address;
    absl::Duration retry_after;
  };
  struct Stats {
    std::map<std::string, int64_t> refused_by_code;  // "UNAUTHENTICATED", ...
    int64_t rate_limited = 0;                        // RESOURCE_EXHAUSTED answers
    std::vector<LimitedPeer> limited_peers;          // sorted by address
  };

  explicit RefusalTracker(RefusalLimits limits = {}) : limits_(limits) {}

  // OK, or RESOURCE_EXHAUSTED (rule X13.1, reason RATE_LIMITED, with a retry
  // hint) when `address` is limited at `now`; the latter is counted.
  absl::Status Admit(absl::string_view address, absl::Time now);
  // Counts a refused call; an identity refusal also takes a token from the
  // address's bucket.
  void Refused(absl::string_view address, absl::StatusCode code, bool identity_refusal,
               absl::Time now);
  Stats Snapshot(absl::Time now) const;

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  double Rate() const;
  // Refills `b` up to `now`.
  void Refill(Bucket& b, absl::Time now) const;
  void Prune(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const RefusalLimits limits_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, int64_t> refused_by_code_ ABSL_GUARDED_BY(mu_);
  int64_t rate_limited_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace cms::auth
