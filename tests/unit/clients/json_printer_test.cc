// cmsctl output: the reflective JSON printer (--output json), enum short
// names, and the table / key-value printer (--output table).
#include "clients/cpp/json_printer.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "clients/cpp/enum_names.h"
#include "clients/cpp/text_printer.h"
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

constexpr JsonOptions kCompact{.indent = 0};
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

// ---------------------------------------------------------------- enum names

TEST(EnumNamesTest, ShortNameDropsThePrefixOfTheZeroValue) {
  EXPECT_EQ(EnumPrefix(v1::Country_descriptor()), "COUNTRY_");
  EXPECT_EQ(EnumShortName(v1::Country_descriptor()->FindValueByNumber(v1::COUNTRY_GB)), "GB");
  EXPECT_EQ(EnumShortName(v1::ServiceSegment_descriptor()->FindValueByNumber(
                v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS)),
            "SPECIAL_CLIENT_RECORDS");
  EXPECT_EQ(EnumShortName(v1::Role_descriptor()->FindValueByNumber(v1::ROLE_TEAM_LEADER)),
            "TEAM_LEADER");
  EXPECT_EQ(EnumShortName(v1::Role_descriptor()->FindValueByNumber(0)), "UNSPECIFIED");
}

TEST(EnumNamesTest, ShortNamesListsAllButTheZeroValue) {
  EXPECT_EQ(EnumShortNames(v1::Country_descriptor()), (std::vector<std::string>{"GB", "NI"}));
  EXPECT_EQ(EnumShortNames(v1::ApprovalState_descriptor()),
            (std::vector<std::string>{"PENDING", "APPROVED", "REJECTED"}));
}

// ---------------------------------------------------------------- JSON

TEST(JsonPrinterTest, FieldsUseProtoNamesAndEnumsShortNames) {
  EXPECT_EQ(ToJson(OptionsAgents(), kCompact),
            R"({"id":7,"country":"GB","service_segment":"OPTIONS","description":"Options Agents",)"
            R"("code":"Agents","system_name":"FS_GB_OPT_OA_AGENTS","status":"ACTIVE",)"
            R"("etag":"e1","create_time":"2025-01-01T00:00:00Z"})");
}

TEST(JsonPrinterTest, PrettyPrintsWithTwoSpaceIndent) {
  v1::Team team;
  team.set_id(3);
  team.set_segment_id(7);
  team.set_name("Team A");
  team.set_status(v1::LIFECYCLE_STATUS_ACTIVE);
  team.set_etag("t");
  EXPECT_EQ(ToJson(team),
            "{\n"
            "  \"id\": 3,\n"
            "  \"segment_id\": 7,\n"
            "  \"name\": \"Team A\",\n"
            "  \"status\": \"ACTIVE\",\n"
            "  \"etag\": \"t\"\n"
            "}");
}

TEST(JsonPrinterTest, PrintsDefaultScalarsButOmitsUnsetMessages) {
  const std::string json = ToJson(v1::StaffMember(), kCompact);
  EXPECT_EQ(json, R"({"staff_id":"","name":"","role":"UNSPECIFIED","team_id":0,"segment_id":0,)"
                  R"("active":false,"etag":""})");
  EXPECT_THAT(ToJson(v1::Segment(), kCompact), Not(HasSubstr("create_time")));
}

TEST(JsonPrinterTest, Int64IsANumberNotAString) {
  v1::Team team;
  team.set_id(9007199254740993);  // beyond a double's exact range
  team.set_segment_id(-1);
  const std::string json = ToJson(team, kCompact);
  EXPECT_THAT(json, HasSubstr(R"("id":9007199254740993,)"));
  EXPECT_THAT(json, HasSubstr(R"("segment_id":-1,)"));
}

TEST(JsonPrinterTest, EscapesStrings) {
  EXPECT_EQ(JsonQuote("plain"), "\"plain\"");
  EXPECT_EQ(JsonQuote("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(JsonQuote("l1\nl2\r\t\b\f"), R"("l1\nl2\r\t\b\f")");
  EXPECT_EQ(JsonQuote(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(JsonQuote(std::string("nul\0x", 5)), R"("nul\u0000x")");
  EXPECT_EQ(JsonQuote("Zoë “quoted” €"), "\"Zoë “quoted” €\"");  // UTF-8 passes through
  EXPECT_EQ(JsonQuote("</script>"), "\"</script>\"");

  v1::Team team;
  team.set_name("Team \"A\"\n");
  EXPECT_THAT(ToJson(team, kCompact), HasSubstr(R"("name":"Team \"A\"\n")"));
}

TEST(JsonPrinterTest, TimestampsAreRfc3339Utc) {
  EXPECT_EQ(FormatTimestamp(0, 0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(k2025, 0), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(k2025, 500000000), "2025-01-01T00:00:00.500Z");
  EXPECT_EQ(FormatTimestamp(k2025, 1000), "2025-01-01T00:00:00.000001Z");
  EXPECT_EQ(FormatTimestamp(k2025, 1), "2025-01-01T00:00:00.000000001Z");
  EXPECT_EQ(FormatTimestamp(-1, 0), "1969-12-31T23:59:59Z");
}

TEST(JsonPrinterTest, DurationsUseTheProtoJsonForm) {
  EXPECT_EQ(FormatDuration(0, 0), "0s");
  EXPECT_EQ(FormatDuration(3, 0), "3s");
  EXPECT_EQ(FormatDuration(1, 500000000), "1.500s");
  EXPECT_EQ(FormatDuration(-1, -500000000), "-1.500s");
  EXPECT_EQ(FormatDuration(0, -1000), "-0.000001s");
}

TEST(JsonPrinterTest, RepeatedFieldsAreArraysEvenWhenEmpty) {
  v1::Casegroup casegroup;
  EXPECT_THAT(ToJson(casegroup, kCompact), HasSubstr(R"("case_ids":[],)"));
  casegroup.add_case_ids(11);
  casegroup.add_case_ids(12);
  EXPECT_THAT(ToJson(casegroup, kCompact), HasSubstr(R"("case_ids":[11,12],)"));
  EXPECT_THAT(ToJson(casegroup), HasSubstr("  \"case_ids\": [\n    11,\n    12\n  ],\n"));
}

TEST(JsonPrinterTest, NestedMessagesAreObjects) {
  v1::RoutingExplanation e;
  e.set_casegroup_id(5);
  e.mutable_facts()->set_pp_postcode("BT1 5GS");
  e.mutable_facts()->set_lifecycle_stage(v1::LIFECYCLE_STAGE_NEW_CASE);
  e.set_rule_id("R3.2.5");
  e.set_country(v1::COUNTRY_NI);
  e.set_service_segment(v1::SERVICE_SEGMENT_NEW_CASE);
  EXPECT_THAT(ToJson(e, kCompact),
              HasSubstr(R"("facts":{"any_party_nationally_sensitive":false,)"
                        R"("pp_address_outside_uk":false,"pp_postcode":"BT1 5GS",)"
                        R"("lifecycle_stage":"NEW_CASE","any_party_has_existing_case":false,)"
                        R"("arrears_segment_exists":false},"rule_id":"R3.2.5",)"));
  EXPECT_THAT(ToJson(e, kCompact), HasSubstr(R"("country":"NI","service_segment":"NEW_CASE",)"));
}

TEST(JsonPrinterTest, OneofPrintsOnlyTheSetCase) {
  v1::BomChange change;
  change.mutable_create_team()->set_segment_id(4);
  change.mutable_create_team()->set_name("Team C");
  EXPECT_EQ(ToJson(change, kCompact),
            R"({"create_team":{"request_id":"","segment_id":4,"name":"Team C"}})");
  EXPECT_EQ(ToJson(v1::BomChange(), kCompact), "{}");
}

TEST(JsonPrinterTest, RepeatedMessagesAreArraysOfObjects) {
  v1::Bom bom;
  bom.mutable_as_of()->set_seconds(k2025);
  bom.add_teams()->set_id(1);
  bom.add_teams()->set_id(2);
  const std::string json = ToJson(bom, kCompact);
  EXPECT_THAT(json,
              HasSubstr(R"({"as_of":"2025-01-01T00:00:00Z","segments":[],"teams":[{"id":1,)"));
  EXPECT_THAT(json, HasSubstr(R"(},{"id":2,)"));
  EXPECT_THAT(json, HasSubstr(R"("staff":[]})"));
}

TEST(JsonPrinterTest, UnknownEnumNumberPrintsAsNumber) {
  v1::Segment s;
  s.set_country(static_cast<v1::Country>(99));
  EXPECT_THAT(ToJson(s, kCompact), HasSubstr(R"("country":99,)"));
}

TEST(JsonPrinterTest, AnyPrintsTypeAndPayloadFields) {
  v1::ErrorInfo info;
  info.set_rule_id("S1.3");
  info.set_reason("INVALID_FIELDS");
  v1::RpcStatus status;
  status.set_code(3);
  status.set_message("bad");
  status.add_details()->PackFrom(info);
  EXPECT_EQ(
      ToJson(status, kCompact),
      R"({"code":3,"message":"bad","details":[{"@type":"type.googleapis.com/cms.v1.ErrorInfo",)"
      R"("rule_id":"S1.3","field_violations":[],"reason":"INVALID_FIELDS"}]})");

  v1::RpcStatus unknown;
  google::protobuf::Any* any = unknown.add_details();
  any->set_type_url("type.googleapis.com/no.such.Type");
  any->set_value("\x01\x02");
  EXPECT_THAT(ToJson(unknown, kCompact),
              HasSubstr(R"({"@type":"type.googleapis.com/no.such.Type","value":"AQI="})"));
}

TEST(JsonPrinterTest, ArraysOfMessages) {
  google::protobuf::RepeatedPtrField<v1::Team> teams;
  EXPECT_EQ(ToJsonArray(teams), "[]");
  teams.Add()->set_id(1);
  teams.Add()->set_id(2);
  EXPECT_EQ(ToJsonArray(teams, kCompact),
            R"([{"id":1,"segment_id":0,"name":"","status":"UNSPECIFIED","etag":""},)"
            R"({"id":2,"segment_id":0,"name":"","status":"UNSPECIFIED","etag":""}])");
  const std::string pretty = ToJsonArray(teams);
  EXPECT_EQ(pretty.substr(0, 13), "[\n  {\n    \"id");
  EXPECT_EQ(pretty.substr(pretty.size() - 5), "  }\n]");
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
                        {{"2027-01-31", "216.67", "216.67"}, {"2027-02-28", "", "0.00"},
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

}  // namespace
}  // namespace cms::cmsctl
