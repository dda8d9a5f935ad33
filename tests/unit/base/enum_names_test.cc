// Short enum names: how the server stores enums and how cmsctl shows and
// reads them (the one library both link, issue 13).
#include "server/base/enum_names.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"

namespace cms {
namespace {

TEST(EnumNamesTest, ShortNamesDropThePrefixOfTheZeroValue) {
  EXPECT_EQ(EnumPrefix(v1::Country_descriptor()), "COUNTRY_");
  EXPECT_EQ(ShortName(v1::COUNTRY_GB), "GB");
  EXPECT_EQ(ShortName(v1::SERVICE_SEGMENT_NEW_CASE), "NEW_CASE");
  EXPECT_EQ(ShortName(v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS), "SPECIAL_CLIENT_RECORDS");
  EXPECT_EQ(ShortName(v1::ROLE_TEAM_LEADER), "TEAM_LEADER");
  EXPECT_EQ(ShortName(v1::ROLE_UNSPECIFIED), "UNSPECIFIED");
  EXPECT_EQ(EnumShortName(v1::Role_descriptor()->FindValueByNumber(v1::ROLE_TEAM_LEADER)),
            "TEAM_LEADER");
  // A number this build does not know.
  EXPECT_EQ(ShortName(static_cast<v1::Country>(99)), "UNKNOWN");
}

TEST(EnumNamesTest, ShortNamesListsAllButTheZeroValue) {
  EXPECT_EQ(EnumShortNames(v1::Country_descriptor()), (std::vector<std::string>{"GB", "NI"}));
  EXPECT_EQ(EnumShortNames(v1::ApprovalState_descriptor()),
            (std::vector<std::string>{"PENDING", "APPROVED", "REJECTED"}));
}

TEST(EnumNamesTest, ParsesShortOrFullNamesInAnyCaseButNeverTheZeroValue) {
  EXPECT_EQ(ParseEnum<v1::Country>("ni"), v1::COUNTRY_NI);
  EXPECT_EQ(ParseEnum<v1::Country>("COUNTRY_NI"), v1::COUNTRY_NI);
  EXPECT_EQ(ParseEnum<v1::Country>("Country_GB"), v1::COUNTRY_GB);
  EXPECT_EQ(ParseEnum<v1::ServiceSegment>("OPTIONS"), v1::SERVICE_SEGMENT_OPTIONS);
  EXPECT_EQ(ParseEnum<v1::Role>("role_caseworker"), v1::ROLE_CASEWORKER);
  EXPECT_EQ(ParseEnum<v1::ApprovalState>("pending"), v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(ParseEnum<v1::Country>("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseEnum<v1::Country>("COUNTRY_UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(ParseEnum<v1::Country>("FR"), std::nullopt);
  EXPECT_EQ(ParseEnum<v1::Country>(""), std::nullopt);  // a NULL column
  EXPECT_EQ(ParseEnum<v1::Role>("TEAM"), std::nullopt);
  // Every value round-trips through its short and its full name.
  const auto* e = google::protobuf::GetEnumDescriptor<v1::ServiceSegment>();
  for (int i = 1; i < e->value_count(); ++i) {
    auto v = static_cast<v1::ServiceSegment>(e->value(i)->number());
    EXPECT_EQ(ParseEnum<v1::ServiceSegment>(ShortName(v)), v);
    EXPECT_EQ(ParseEnum<v1::ServiceSegment>(e->value(i)->name()), v);
  }
}

TEST(EnumNamesTest, TypedNamesMayUseDashesOrSpacesForUnderscores) {
  EXPECT_EQ(ParseEnum<v1::ServiceSegment>("new-case"), v1::SERVICE_SEGMENT_NEW_CASE);
  EXPECT_EQ(ParseEnum<v1::ServiceSegment>(" special client records "),
            v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS);
  EXPECT_EQ(ParseEnum<v1::Role>("team-leader"), v1::ROLE_TEAM_LEADER);
}

TEST(EnumNamesTest, ParseEnumOrErrorListsTheChoices) {
  EXPECT_EQ(ParseEnumOrError<v1::Country>("gb").value(), v1::COUNTRY_GB);
  absl::StatusOr<v1::Country> bad = ParseEnumOrError<v1::Country>("FR");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "\"FR\" is not a Country; expected one of GB, NI");
  EXPECT_FALSE(ParseEnumOrError<v1::Country>("UNSPECIFIED").ok());
  EXPECT_FALSE(ParseEnumOrError<v1::Country>("").ok());
}

}  // namespace
}  // namespace cms
