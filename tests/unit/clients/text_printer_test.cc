// cmsctl's --output table: aligned tables and `key: value` lines, enum
// short names, timestamps and durations as protobuf's JSON has them.
// (--output json is the server's one JSON form: unit/base/proto_json_test.cc.)
#include "clients/cpp/text_printer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cms/v1/admin.pb.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/common.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cms::cmsctl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t k2025 = 1735689600;  // 2025-01-01T00:00:00Z

v1::Segment OptionsAgents() {
  v1::Segment s;
  s.set_id(7);
  s.set_country(v1::COUNTRY_GB);
  s.set_service_segment(v1::SERVICE_SEGMENT_OPTIONS);
  s.set_description("Options Agents");
  s.set_code("Agents");
  s.set_system_name("FS_GB_OPT_OA_AGENTS");
  s.set_status(v1::LIFECYCLE_STATUS_ACTIVE);
  s.set_etag("e1");
  s.mutable_create_time()->set_seconds(k2025);
  return s;
}

// ---------------------------------------------------------------- tables

TEST(TextPrinterTest, TableAlignsColumnsUnderAHeader) {
  EXPECT_EQ(FormatTable({"ID", "NAME", "STATUS"},
                        {{"1", "Team A", "ACTIVE"}, {"12", "B", "RETIRED"}, {"3", "Équipe", ""}}),
            "ID  NAME    STATUS\n"
            "1   Team A  ACTIVE\n"
            "12  B       RETIRED\n"
            "3   Équipe\n");
  EXPECT_EQ(FormatTable({"ID", "NAME"}, {}), "ID  NAME\n");
}

TEST(TextPrinterTest, RightAlignedColumnsPadOnTheLeft) {
  // Amounts line up on the pence (cmsctl payments).
  EXPECT_EQ(FormatTable({"DATE", "DEBIT", "BALANCE"},
                        {{"2027-01-31", "216.67", "216.67"},
                         {"2027-02-28", "", "0.00"},
                         {"2027-03-31", "1216.67", "-1.50"}},
                        {1, 2}),
            "DATE          DEBIT  BALANCE\n"
            "2027-01-31   216.67   216.67\n"
            "2027-02-28              0.00\n"
            "2027-03-31  1216.67    -1.50\n");
}

TEST(TextPrinterTest, KeyValueLinesAlignValuesInOrder) {
  EXPECT_EQ(FormatKeyValueLines({{"balance", "216.67"}, {"as_of", ""}, {"missed_items", "2"}}),
            "balance:      216.67\n"
            "as_of:\n"
            "missed_items: 2\n");
}

TEST(TextPrinterTest, PoundsFromPence) {
  // M7.5: £50 a week is 21667p a month, shown as 216.67.
  EXPECT_EQ(FormatPounds(21667), "216.67");
  EXPECT_EQ(FormatPounds(0), "0.00");
  EXPECT_EQ(FormatPounds(5), "0.05");
  EXPECT_EQ(FormatPounds(100), "1.00");
  EXPECT_EQ(FormatPounds(123456789), "1234567.89");
  EXPECT_EQ(FormatPounds(-150), "-1.50");
  EXPECT_EQ(FormatPounds(-7), "-0.07");
  EXPECT_EQ(FormatPounds(std::numeric_limits<int64_t>::max()), "92233720368547758.07");
  EXPECT_EQ(FormatPounds(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
}

TEST(TextPrinterTest, MessageTableUsesShortEnumsAndUpperCaseHeaders) {
  google::protobuf::RepeatedPtrField<v1::Segment> segments;
  *segments.Add() = OptionsAgents();
  EXPECT_EQ(FormatMessageTable(
                segments, std::vector<std::string>{"id", "country", "service_segment", "code"}),
            "ID  COUNTRY  SERVICE_SEGMENT  CODE\n"
            "7   GB       OPTIONS          Agents\n");
}

TEST(TextPrinterTest, FieldTextFormsValues) {
  v1::Approval request;
  request.mutable_bom_change()->mutable_rename_segment()->set_code("X");
  request.mutable_submit_time()->set_seconds(k2025);
  EXPECT_EQ(FieldText(request, "bom_change"), "rename_segment");
  EXPECT_EQ(FieldText(request, "submit_time"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FieldText(request, "decide_time"), "");
  EXPECT_EQ(FieldText(request, "no_such_field"), "");

  v1::Case c;
  c.mutable_annual_review_date()->set_year(2026);
  c.mutable_annual_review_date()->set_month(3);
  c.mutable_annual_review_date()->set_day(4);
  c.mutable_legacy()->set_system(v1::LEGACY_SYSTEM_CS2);
  c.add_children()->set_given_name("A");
  EXPECT_EQ(FieldText(c, "annual_review_date"), "2026-03-04");
  EXPECT_EQ(FieldText(c, "legacy.system"), "CS2");
  EXPECT_EQ(FieldText(c, "application_date"), "");

  v1::Casegroup g;
  g.add_case_ids(1);
  g.add_case_ids(2);
  EXPECT_EQ(FieldText(g, "case_ids"), "1,2");

  v1::Team t;
  t.set_name("line1\nline2");
  EXPECT_EQ(FieldText(t, "name"), "line1\\nline2");
}

TEST(TextPrinterTest, KeyValuesFlattenNestedMessages) {
  v1::RoutingExplanation e;
  e.set_casegroup_id(5);
  e.mutable_facts()->set_pp_postcode("SW1A 1AA");
  e.set_rule_id("R3.2.6");
  e.set_explanation("R3.2 rule 6: existing case");
  e.set_country(v1::COUNTRY_GB);
  e.set_service_segment(v1::SERVICE_SEGMENT_MAINTENANCE);
  e.set_target_segment_id(3);
  e.set_target_segment_system_name("FS_GB_MAI_M_CORE");
  e.set_current_segment_id(3);
  EXPECT_EQ(FormatKeyValues(e),
            "casegroup_id:                         5\n"
            "facts.any_party_nationally_sensitive: false\n"
            "facts.pp_address_outside_uk:          false\n"
            "facts.pp_postcode:                    SW1A 1AA\n"
            "facts.lifecycle_stage:                UNSPECIFIED\n"
            "facts.any_party_has_existing_case:    false\n"
            "facts.arrears_segment_exists:         false\n"
            "rule_id:                              R3.2.6\n"
            "explanation:                          R3.2 rule 6: existing case\n"
            "country:                              GB\n"
            "service_segment:                      MAINTENANCE\n"
            "target_segment_id:                    3\n"
            "target_segment_system_name:           FS_GB_MAI_M_CORE\n"
            "current_segment_id:                   3\n");
}

TEST(TextPrinterTest, KeyValuesOfASegment) {
  EXPECT_EQ(FormatKeyValues(OptionsAgents()),
            "id:              7\n"
            "country:         GB\n"
            "service_segment: OPTIONS\n"
            "description:     Options Agents\n"
            "code:            Agents\n"
            "system_name:     FS_GB_OPT_OA_AGENTS\n"
            "status:          ACTIVE\n"
            "etag:            e1\n"
            "create_time:     2025-01-01T00:00:00Z\n");
}

TEST(TextPrinterTest, KeyValuesIndexRepeatedMessagesAndShowTheOneofCase) {
  v1::Approval request;
  request.set_id(9);
  request.mutable_bom_change()->mutable_create_team()->set_name("Team C");
  const std::string text = FormatKeyValues(request);
  EXPECT_THAT(text, HasSubstr("bom_change.create_team.name:"));
  EXPECT_THAT(text, Not(HasSubstr("bom_change.create_segment")));

  v1::Bom bom;
  bom.add_staff()->set_staff_id("cw.gb.new_case.a1");
  EXPECT_THAT(FormatKeyValues(bom), HasSubstr("staff[0].staff_id:   cw.gb.new_case.a1\n"));
  EXPECT_THAT(FormatKeyValues(bom), HasSubstr("segments:\n"));
}

TEST(TextPrinterTest, TimestampsAreRfc3339Utc) {
  v1::Segment s;
  auto at = [&](int64_t seconds, int32_t nanos) {
    s.mutable_create_time()->set_seconds(seconds);
    s.mutable_create_time()->set_nanos(nanos);
    return FieldText(s, "create_time");
  };
  EXPECT_EQ(at(0, 0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(at(k2025, 0), "2025-01-01T00:00:00Z");
  EXPECT_EQ(at(k2025, 500000000), "2025-01-01T00:00:00.500Z");
  EXPECT_EQ(at(k2025, 1000), "2025-01-01T00:00:00.000001Z");
  EXPECT_EQ(at(k2025, 1), "2025-01-01T00:00:00.000000001Z");
  EXPECT_EQ(at(-1, 0), "1969-12-31T23:59:59Z");
}

TEST(TextPrinterTest, DurationsUseTheProtoJsonForm) {
  v1::SecurityStats stats;
  google::protobuf::Duration* d = stats.add_limited_peers()->mutable_retry_after();
  auto text = [&](int64_t seconds, int32_t nanos) {
    d->set_seconds(seconds);
    d->set_nanos(nanos);
    return FieldText(stats.limited_peers(0), "retry_after");
  };
  EXPECT_EQ(text(0, 0), "0s");
  EXPECT_EQ(text(3, 0), "3s");
  EXPECT_EQ(text(1, 500000000), "1.500s");
  EXPECT_EQ(text(-1, -500000000), "-1.500s");
  EXPECT_EQ(text(0, -1000), "-0.000001s");
}

TEST(TextPrinterTest, EnumsShowShortNamesAndAnUnknownNumberAsItself) {
  v1::Segment s = OptionsAgents();
  EXPECT_EQ(FieldText(s, "country"), "GB");
  EXPECT_EQ(FieldText(s, "status"), "ACTIVE");
  s.set_country(static_cast<v1::Country>(99));
  EXPECT_EQ(FieldText(s, "country"), "99");
}

TEST(TextPrinterTest, AMessageNamedWholePrintsAsItsJson) {
  v1::Approval request;
  request.mutable_bom_change()->mutable_create_team()->set_segment_id(4);
  request.mutable_bom_change()->mutable_create_team()->set_name("Team C");
  EXPECT_EQ(FieldText(request, "bom_change.create_team"), R"({"segment_id":"4","name":"Team C"})");
}

}  // namespace
}  // namespace cms::cmsctl
