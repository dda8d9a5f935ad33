// S1.3: system names are derived, deterministic and upper case.
#include "server/domain/segment_naming.h"

#include <gtest/gtest.h>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

TEST(SegmentNamingTest, DerivesFromCountrySegmentDescriptionAndCode) {
  // S1.3, the reference's example (our initials token is "OA").
  EXPECT_EQ(*DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS,
                              "Options Agents", "Agents"),
            "FS_GB_OPPTS_OA_AGENTS");
  EXPECT_EQ(*DeriveSystemName(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS,
                              "special client records - belfast", "b2"),
            "FS_NI_SCR_SCR_B2");
  // Only the first three words count; punctuation separates words.
  EXPECT_EQ(*DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE,
                              "maintenance/north east team four", "NE4"),
            "FS_GB_MAINT_MNE_NE4");
}

TEST(SegmentNamingTest, EveryServiceSegmentHasAnAbbreviation) {
  const auto* e = google::protobuf::GetEnumDescriptor<cms::v1::ServiceSegment>();
  for (int i = 1; i < e->value_count(); ++i) {
    auto s = static_cast<cms::v1::ServiceSegment>(e->value(i)->number());
    EXPECT_FALSE(ServiceSegmentAbbreviation(s).empty()) << e->value(i)->name();
  }
}

TEST(SegmentNamingTest, DifferentSegmentsGetDifferentNames) {
  // S1.3 uniqueness: country, service segment and code each change the name.
  auto a =
      DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE, "New Case", "Core");
  auto b =
      DeriveSystemName(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_NEW_CASE, "New Case", "Core");
  auto c = DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE, "New Case",
                            "Core");
  auto d =
      DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE, "New Case", "Core2");
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*a, *d);
}

TEST(SegmentNamingTest, RefusesUnusableInputNamingEachField) {
  auto s = DeriveSystemName(cms::v1::COUNTRY_UNSPECIFIED, cms::v1::SERVICE_SEGMENT_UNSPECIFIED,
                            "  --  ", "bad code!");
  ASSERT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& f : FieldErrorsOf(s.status())) fields.push_back(f.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"country", "service_segment", "description", "code"}));
  EXPECT_EQ(RuleOf(s.status()), "S1.3");
  EXPECT_FALSE(DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_FOI, "FOI",
                                std::string(21, 'A'))
                   .ok());
  EXPECT_FALSE(DeriveSystemName(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_FOI,
                                std::string(101, 'a'), "A")
                   .ok());
}

}  // namespace
}  // namespace cms::domain
