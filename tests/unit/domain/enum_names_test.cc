// Short enum names: how enums are stored and printed.
#include "server/domain/enum_names.h"

#include <gtest/gtest.h>

#include "cms/v1/bom.pb.h"

namespace cms {
namespace {

TEST(EnumNamesTest, ShortNamesDropThePrefix) {
  EXPECT_EQ(ShortName(cms::v1::COUNTRY_GB), "GB");
  EXPECT_EQ(ShortName(cms::v1::SERVICE_SEGMENT_NEW_CASE), "NEW_CASE");
  EXPECT_EQ(ShortName(cms::v1::ROLE_TEAM_LEADER), "TEAM_LEADER");
}

TEST(EnumNamesTest, ParsesShortOrFullNamesButNeverTheZeroValue) {
  EXPECT_EQ(ParseEnum<cms::v1::Country>("ni"), cms::v1::COUNTRY_NI);
  EXPECT_EQ(ParseEnum<cms::v1::Country>("COUNTRY_NI"), cms::v1::COUNTRY_NI);
  EXPECT_EQ(ParseEnum<cms::v1::Country>("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseEnum<cms::v1::Country>("FR"), std::nullopt);
  // Every value round-trips.
  const auto* e = google::protobuf::GetEnumDescriptor<cms::v1::ServiceSegment>();
  for (int i = 1; i < e->value_count(); ++i) {
    auto v = static_cast<cms::v1::ServiceSegment>(e->value(i)->number());
    EXPECT_EQ(ParseEnum<cms::v1::ServiceSegment>(ShortName(v)), v);
  }
}

}  // namespace
}  // namespace cms
