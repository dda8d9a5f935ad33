// T8.1 / SPEC "business dates are civil dates (Europe/London)": the business
// clock refuses to exist without the zone's rules instead of falling back to
// UTC, which would put every business date an hour off in summer.
#include "server/app/clock.h"

#include <gtest/gtest.h>

namespace cms::app {
namespace {

TEST(BusinessClockTest, RefusesAZoneItCannotLoadNamingIt) {
  auto clock = BusinessClock::Create(/*test_mode=*/false, "Nowhere/Missing_Zone");
  ASSERT_FALSE(clock.ok());
  EXPECT_EQ(clock.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(clock.status().message().find("Nowhere/Missing_Zone"), std::string::npos);
  EXPECT_NE(clock.status().message().find("tzdata"), std::string::npos);
}

TEST(BusinessClockTest, BusinessDatesAreLondonCivilDates) {
  auto clock = BusinessClock::Create(/*test_mode=*/false);
  ASSERT_TRUE(clock.ok()) << clock.status();
  // 23:30 UTC on 1 July is 00:30 BST on 2 July; in winter UTC and London agree.
  EXPECT_EQ(
      clock->Today(absl::FromCivil(absl::CivilSecond(2027, 7, 1, 23, 30, 0), absl::UTCTimeZone())),
      absl::CivilDay(2027, 7, 2));
  EXPECT_EQ(
      clock->Today(absl::FromCivil(absl::CivilSecond(2027, 1, 1, 23, 30, 0), absl::UTCTimeZone())),
      absl::CivilDay(2027, 1, 1));
  EXPECT_EQ(clock->StartOf(absl::CivilDay(2027, 7, 2)),
            absl::FromCivil(absl::CivilSecond(2027, 7, 1, 23, 0, 0), absl::UTCTimeZone()));
}

}  // namespace
}  // namespace cms::app
