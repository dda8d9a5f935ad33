// Driving the business clock of a --test_clock TestServer (T8.1) and
// waiting for the durable timers it makes due (T8.2): shared by the suites
// whose rules run on time (money, employment, the Segment 5 trial). Never a
// blind sleep: each wait polls until its condition holds, 10 s at most.
// Header-only test helper.
#pragma once

#include <functional>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {

inline constexpr char kClockOperator[] = "svc.manager";

// Polls `done` every 20 ms until it holds; false after 10 s.
inline bool Eventually(const std::function<bool()>& done) {
  for (absl::Time end = absl::Now() + absl::Seconds(10); absl::Now() < end;) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
  return done();
}

// Every timer due by business now has fired: what a clock change caused is
// visible (and the casegroup's owner is settled, e.g. after the
// missed-payment job re-routed it).
inline bool TimersSettled(TestServer& t) {
  return Eventually([&] {
    cms::v1::TimerStats stats;
    EXPECT_RPC_OK(t.admin().GetTimerStats(t.Context(kClockOperator).get(), {}, &stats));
    return stats.overdue() == 0;
  });
}

// Sets business time to `at` in UTC (Europe/London's winter time).
inline void SetBusinessClock(TestServer& t, absl::CivilSecond at) {
  cms::v1::SetClockRequest set;
  *set.mutable_now() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(at, absl::UTCTimeZone())));
  cms::v1::Clock clock;
  ASSERT_RPC_OK(t.admin().SetClock(t.Context(kClockOperator).get(), set, &clock));
}

// Moves business time on by `by` and waits until the timers that made due
// have fired.
inline void AdvanceBy(TestServer& t, absl::Duration by) {
  cms::v1::AdvanceClockRequest req;
  *req.mutable_by() = google::protobuf::util::TimeUtil::SecondsToDuration(absl::ToInt64Seconds(by));
  cms::v1::Clock clock;
  ASSERT_RPC_OK(t.admin().AdvanceClock(t.Context(kClockOperator).get(), req, &clock));
  ASSERT_TRUE(TimersSettled(t)) << "timers still overdue 10 s after advancing "
                                << absl::FormatDuration(by);
}

// AdvanceBy whole days.
inline void AdvanceDays(TestServer& t, int days) { AdvanceBy(t, absl::Hours(24) * days); }

}  // namespace cms::testing
