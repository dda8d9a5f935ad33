// X13.1: refused calls are counted per code, and a burst of identity
// refusals from one address limits that address until it cools down.
#include "server/auth/refusals.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::auth {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

TEST(PeerAddressTest, DropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:54321"), "127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:54321"), "::1");
  EXPECT_EQ(PeerAddress("ipv6:[fe80::1%25eth0]:1"), "fe80::1%25eth0");
  EXPECT_EQ(PeerAddress("unix:/tmp/s"), "unix:/tmp/s");
}

TEST(RefusalTrackerTest, BurstThenLimitedThenCoolsDown) {
  // X13.1: 3 refusals in a burst, refilled over 3 s (1 per second).
  RefusalTracker tracker({.burst = 3, .window = absl::Seconds(3)});
  const std::string a = "10.0.0.1";
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(tracker.Admit(a, kT0).ok()) << i;
    tracker.Refused(a, absl::StatusCode::kUnauthenticated, /*identity_refusal=*/true, kT0);
  }
  absl::Status limited = tracker.Admit(a, kT0);
  EXPECT_EQ(limited.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(RuleOf(limited), "X13.1");
  EXPECT_EQ(ReasonOf(limited), "RATE_LIMITED");
  EXPECT_NE(limited.message().find("retry in 1 s"), absl::string_view::npos) << limited;
  // Another address is not affected.
  EXPECT_TRUE(tracker.Admit("10.0.0.2", kT0).ok());

  RefusalTracker::Stats stats = tracker.Snapshot(kT0 + absl::Milliseconds(500));
  EXPECT_EQ(stats.refused_by_code["UNAUTHENTICATED"], 3);
  EXPECT_EQ(stats.rate_limited, 1);
  ASSERT_EQ(stats.limited_peers.size(), 1u);
  EXPECT_EQ(stats.limited_peers[0].address, a);
  EXPECT_EQ(stats.limited_peers[0].retry_after, absl::Milliseconds(500));

  // Limited answers take no token: after a second one token has grown back.
  EXPECT_FALSE(tracker.Admit(a, kT0 + absl::Milliseconds(900)).ok());
  EXPECT_TRUE(tracker.Admit(a, kT0 + absl::Seconds(1)).ok());
  EXPECT_TRUE(tracker.Snapshot(kT0 + absl::Seconds(2)).limited_peers.empty());
}

TEST(RefusalTrackerTest, RoleRefusalsAreCountedButDoNotLimit) {
  // X13.1 / S1.4: an identified caller refused by the role matrix is not
  // guessing anything; their address stays open.
  RefusalTracker tracker({.burst = 2, .window = absl::Seconds(10)});
  for (int i = 0; i < 10; ++i) {
    tracker.Refused("10.0.0.1", absl::StatusCode::kPermissionDenied, false, kT0);
  }
  EXPECT_TRUE(tracker.Admit("10.0.0.1", kT0).ok());
  EXPECT_EQ(tracker.Snapshot(kT0).refused_by_code["PERMISSION_DENIED"], 10);
}

TEST(RefusalTrackerTest, TracksABoundedNumberOfAddresses) {
  // X13.1: addresses that cooled down are dropped first, then the oldest,
  // so a flood of addresses cannot grow the table without bound.
  RefusalTracker tracker({.burst = 1, .window = absl::Seconds(10), .max_peers = 3});
  for (int i = 0; i < 10; ++i) {
    tracker.Refused(absl::StrCat("10.0.0.", i), absl::StatusCode::kUnauthenticated, true,
                    kT0 + absl::Seconds(i));
  }
  RefusalTracker::Stats stats = tracker.Snapshot(kT0 + absl::Seconds(9));
  EXPECT_LE(stats.limited_peers.size(), 3u);
  EXPECT_FALSE(tracker.Admit("10.0.0.9", kT0 + absl::Seconds(9)).ok());
}

}  // namespace
}  // namespace cms::auth
