// base/call_scope.h: the limits of the call a thread serves (issue 17,
// defect 3), read by the store before each statement and retry.
#include "server/base/call_scope.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "absl/time/clock.h"

namespace cms {
namespace {

TEST(CallScopeTest, NoScopeIsUnbounded) {
  EXPECT_EQ(CallScope::Current(), nullptr);
  EXPECT_TRUE(CheckCallScope().ok());
}

TEST(CallScopeTest, R17_3_ThePassedDeadlineAndTheCancelledCallAreRefused) {
  const absl::Time now = absl::Now();
  struct Case {
    const char* name;
    absl::Time deadline;
    bool cancelled;
    absl::StatusCode want;
  };
  for (const Case& c : std::vector<Case>{
           {"time left", now + absl::Seconds(5), false, absl::StatusCode::kOk},
           {"deadline reached", now, false, absl::StatusCode::kDeadlineExceeded},
           {"deadline passed", now - absl::Seconds(1), false, absl::StatusCode::kDeadlineExceeded},
           {"cancelled with time left", now + absl::Seconds(5), true, absl::StatusCode::kCancelled},
           {"cancelled and late", now - absl::Seconds(1), true, absl::StatusCode::kCancelled},
       }) {
    CallScope scope(c.deadline, [&] { return c.cancelled; });
    EXPECT_EQ(scope.Check(now).code(), c.want) << c.name;
    EXPECT_EQ(CheckCallScope().code() == absl::StatusCode::kOk, c.want == absl::StatusCode::kOk)
        << c.name;
  }
}

TEST(CallScopeTest, ScopesNestAndAreThisThreadsOnly) {
  CallScope outer(absl::InfiniteFuture(), {});
  EXPECT_EQ(CallScope::Current(), &outer);
  {
    CallScope inner(absl::InfinitePast(), {});
    EXPECT_EQ(CallScope::Current(), &inner);
    std::atomic<bool> other_sees_none{false};
    std::thread([&] { other_sees_none = CallScope::Current() == nullptr; }).join();
    EXPECT_TRUE(other_sees_none.load());
  }
  EXPECT_EQ(CallScope::Current(), &outer);
  EXPECT_TRUE(CheckCallScope().ok());
}

}  // namespace
}  // namespace cms
