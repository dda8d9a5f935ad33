// R3.1, R3.2, C2.4: the routing hierarchy as a table, every rule and every
// pair of contradicting facts.
#include "server/domain/routing.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

using cms::v1::LifecycleStage;
using cms::v1::ServiceSegment;

struct Row {
  const char* name;
  RoutingFacts facts;
  cms::v1::Country country;
  ServiceSegment segment;
  const char* rule;
};

RoutingFacts Facts(bool sensitive, bool outside_uk, const char* postcode, LifecycleStage stage,
                   bool existing = false, bool arrears_segment = false) {
  RoutingFacts f;
  f.any_party_nationally_sensitive = sensitive;
  f.pp_address_outside_uk = outside_uk;
  f.pp_postcode = postcode;
  f.lifecycle_stage = stage;
  f.any_party_has_existing_case = existing;
  f.arrears_segment_exists = arrears_segment;
  return f;
}

constexpr auto GB = cms::v1::COUNTRY_GB;
constexpr auto NI = cms::v1::COUNTRY_NI;
constexpr auto APP = cms::v1::LIFECYCLE_STAGE_APPLICATION;
constexpr auto NEW = cms::v1::LIFECYCLE_STAGE_NEW_CASE;
constexpr auto P2P = cms::v1::LIFECYCLE_STAGE_P2P_ISSUED;
constexpr auto MAINT = cms::v1::LIFECYCLE_STAGE_MAINTENANCE;
constexpr auto ARR = cms::v1::LIFECYCLE_STAGE_ARREARS;
constexpr auto ENF = cms::v1::LIFECYCLE_STAGE_ENFORCEMENT;
constexpr auto CLOSED = cms::v1::LIFECYCLE_STAGE_CLOSED;

class RoutingTableTest : public testing::TestWithParam<Row> {};

TEST_P(RoutingTableTest, FirstMatchingRuleWins) {
  const Row& row = GetParam();
  RoutingDecision d = Route(row.facts);
  EXPECT_EQ(d.country, row.country);
  EXPECT_EQ(d.service_segment, row.segment);
  EXPECT_EQ(d.rule_id, row.rule);
  EXPECT_NE(d.explanation.find(std::string("R3.2 rule ") + (row.rule + 5)), std::string::npos)
      << d.explanation;
}

INSTANTIATE_TEST_SUITE_P(
    R3_2, RoutingTableTest,
    testing::Values(
        // Each rule on its own (R3.2 rules 1-6), in both countries (C2.4).
        Row{"sensitive_gb", Facts(true, false, "SW1A 1AA", APP), GB,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"sensitive_ni", Facts(true, false, "BT1 5GS", MAINT), NI,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"abroad", Facts(false, true, "", MAINT), GB, cms::v1::SERVICE_SEGMENT_INTERNATIONAL,
            "R3.2.2"},
        Row{"enforcement_gb", Facts(false, false, "CF10 1AA", ENF), GB,
            cms::v1::SERVICE_SEGMENT_ENFORCEMENT, "R3.2.3"},
        Row{"enforcement_ni", Facts(false, false, "BT9 6AA", ENF), NI,
            cms::v1::SERVICE_SEGMENT_ENFORCEMENT, "R3.2.3"},
        Row{"arrears_with_segment", Facts(false, false, "M1 1AE", ARR, false, true), GB,
            cms::v1::SERVICE_SEGMENT_ARREARS, "R3.2.4"},
        Row{"arrears_without_segment", Facts(false, false, "M1 1AE", ARR, false, false), GB,
            cms::v1::SERVICE_SEGMENT_MAINTENANCE, "R3.2.4"},
        Row{"new_application", Facts(false, false, "BT1 5GS", APP), NI,
            cms::v1::SERVICE_SEGMENT_NEW_CASE, "R3.2.5"},
        Row{"new_case_stage", Facts(false, false, "SW1A 1AA", NEW), GB,
            cms::v1::SERVICE_SEGMENT_NEW_CASE, "R3.2.5"},
        Row{"new_but_existing_case", Facts(false, false, "SW1A 1AA", APP, true), GB,
            cms::v1::SERVICE_SEGMENT_MAINTENANCE, "R3.2.6"},
        Row{"p2p_issued", Facts(false, false, "SW1A 1AA", P2P), GB,
            cms::v1::SERVICE_SEGMENT_MAINTENANCE, "R3.2.6"},
        Row{"maintenance", Facts(false, false, "BT1 5GS", MAINT), NI,
            cms::v1::SERVICE_SEGMENT_MAINTENANCE, "R3.2.6"},
        Row{"closed", Facts(false, false, "SW1A 1AA", CLOSED), GB,
            cms::v1::SERVICE_SEGMENT_MAINTENANCE, "R3.2.6"},
        // Every pair of contradicting facts: the earlier rule wins.
        Row{"sensitive_beats_abroad", Facts(true, true, "", APP), GB,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"sensitive_beats_enforcement", Facts(true, false, "BT1 5GS", ENF), NI,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"sensitive_beats_arrears", Facts(true, false, "SW1A 1AA", ARR, false, true), GB,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"sensitive_beats_new", Facts(true, false, "SW1A 1AA", NEW), GB,
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS, "R3.2.1"},
        Row{"abroad_beats_enforcement", Facts(false, true, "", ENF), GB,
            cms::v1::SERVICE_SEGMENT_INTERNATIONAL, "R3.2.2"},
        Row{"abroad_beats_arrears", Facts(false, true, "", ARR, false, true), GB,
            cms::v1::SERVICE_SEGMENT_INTERNATIONAL, "R3.2.2"},
        Row{"abroad_beats_new", Facts(false, true, "", APP), GB,
            cms::v1::SERVICE_SEGMENT_INTERNATIONAL, "R3.2.2"},
        Row{"abroad_with_stale_bt_postcode", Facts(false, true, "BT1 5GS", MAINT), GB,
            cms::v1::SERVICE_SEGMENT_INTERNATIONAL, "R3.2.2"}),
    [](const testing::TestParamInfo<Row>& info) { return std::string(info.param.name); });

// R3.2: a casegroup's stage is its most advanced open case, so enforcement
// on one case beats arrears or a new application on another.
TEST(CasegroupStageTest, MostAdvancedOpenCaseDecides) {
  EXPECT_EQ(CasegroupStage({APP, ENF, ARR}), ENF);
  EXPECT_EQ(CasegroupStage({APP, ARR}), ARR);
  EXPECT_EQ(CasegroupStage({APP, MAINT}), MAINT);
  EXPECT_EQ(CasegroupStage({APP, NEW}), NEW);
  EXPECT_EQ(CasegroupStage({CLOSED, APP}), APP);
  EXPECT_EQ(CasegroupStage({CLOSED, CLOSED}), CLOSED);
  EXPECT_EQ(CasegroupStage({}), APP);
}

}  // namespace
}  // namespace cms::domain
