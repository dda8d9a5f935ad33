// X13.1: special client records are visible only to that segment.
#include "server/domain/access.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

TEST(AccessTest, SpecialClientRecordsOnlyForTheirOwnSegment) {
  const auto scr = cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS;
  EXPECT_TRUE(CanSeeCasegroup(scr, 7, 7));
  EXPECT_FALSE(CanSeeCasegroup(scr, 7, 8));
  EXPECT_FALSE(CanSeeCasegroup(scr, 7, 0));  // staff without a segment
}

TEST(AccessTest, OtherCasegroupsVisibleToAllStaff) {
  EXPECT_TRUE(CanSeeCasegroup(cms::v1::SERVICE_SEGMENT_MAINTENANCE, 7, 8));
  EXPECT_TRUE(CanSeeCasegroup(cms::v1::SERVICE_SEGMENT_NEW_CASE, 7, 0));
}

}  // namespace
}  // namespace cms::domain
