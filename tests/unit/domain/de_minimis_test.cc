// AR10.8: each enforcement action's de minimis, below, at and above it, and
// the charging order's configurable threshold.
#include "server/domain/de_minimis.h"

#include <gtest/gtest.h>

#include <string>

namespace cms::domain {
namespace {

using cms::v1::EnforcementAction;

constexpr auto LO = cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER;
constexpr auto LSDO = cms::v1::ENFORCEMENT_ACTION_LSDO;
constexpr auto CHARGING = cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER;
constexpr auto SALE = cms::v1::ENFORCEMENT_ACTION_ORDER_FOR_SALE;
constexpr auto COMMITMENT = cms::v1::ENFORCEMENT_ACTION_COMMITMENT;

TEST(DeMinimisTest, AR10_8_TheThresholdTable) {
  const DeMinimisThresholds defaults;
  EXPECT_EQ(DeMinimisThreshold(LO, defaults), 50000);
  EXPECT_EQ(DeMinimisThreshold(LSDO, defaults), 50000);
  EXPECT_EQ(DeMinimisThreshold(CHARGING, defaults), 50000);
  EXPECT_EQ(DeMinimisThreshold(SALE, defaults), 300000);
  EXPECT_EQ(DeMinimisThreshold(COMMITMENT, defaults), 100000);
  EXPECT_EQ(DeMinimisThreshold(CHARGING, {.charging_order = 62500}), 62500);
  EXPECT_EQ(DeMinimisThreshold(cms::v1::ENFORCEMENT_ACTION_UNSPECIFIED, defaults), 0);
}

TEST(DeMinimisTest, AR10_8_BelowIsRefusedAtAndAboveAllowed) {
  struct Row {
    EnforcementAction action;
    Pence charging_order;
    Pence arrears;
    std::string refusal;  // "" = allowed
  } rows[] = {
      {LO, 50000, 49999,
       "a liability order needs arrears of at least £500.00; the arrears are £499.99 (AR10.8 de "
       "minimis)"},
      {LO, 50000, 50000, ""},
      {LO, 50000, 50001, ""},
      {LSDO, 50000, 49999,
       "a lump sum deduction order needs arrears of at least £500.00; the arrears are £499.99 "
       "(AR10.8 de minimis)"},
      {LSDO, 50000, 50000, ""},
      {LSDO, 50000, 50001, ""},
      {CHARGING, 50000, 49999,
       "a charging order needs arrears of at least £500.00; the arrears are £499.99 (AR10.8 de "
       "minimis)"},
      {CHARGING, 50000, 50000, ""},
      {CHARGING, 75000, 74999,
       "a charging order needs arrears of at least £750.00; the arrears are £749.99 (AR10.8 de "
       "minimis)"},
      {CHARGING, 75000, 75000, ""},
      {CHARGING, 75000, 75001, ""},
      {SALE, 50000, 299999,
       "an order for sale needs arrears of at least £3,000.00; the arrears are £2,999.99 (AR10.8 "
       "de minimis)"},
      {SALE, 50000, 300000, ""},
      {SALE, 50000, 300001, ""},
      {COMMITMENT, 50000, 99999,
       "a commitment needs arrears of at least £1,000.00; the arrears are £999.99 (AR10.8 de "
       "minimis)"},
      {COMMITMENT, 50000, 100000, ""},
      {COMMITMENT, 50000, 100001, ""},
      {LO, 50000, 0,
       "a liability order needs arrears of at least £500.00; the arrears are £0.00 (AR10.8 de "
       "minimis)"},
      {cms::v1::ENFORCEMENT_ACTION_UNSPECIFIED, 50000, 0, ""},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.action << " " << r.charging_order << " " << r.arrears);
    const std::optional<std::string> refusal =
        DeMinimisRefusal(r.action, r.arrears, {.charging_order = r.charging_order});
    EXPECT_EQ(refusal.value_or(""), r.refusal);
  }
  // The default thresholds.
  EXPECT_TRUE(DeMinimisRefusal(LO, 49999).has_value());
  EXPECT_FALSE(DeMinimisRefusal(LO, 50000).has_value());
}

TEST(DeMinimisTest, AR10_8_TheChargingOrderThresholdIsFiveToSevenHundredAndFiftyPounds) {
  struct Row {
    Pence charging_order;
    bool ok;
    Pence used;  // what DeMinimisThreshold uses
  } rows[] = {
      {49999, false, 50000}, {50000, true, 50000},  {62500, true, 62500},
      {75000, true, 75000},  {75001, false, 75000}, {0, false, 50000},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.charging_order);
    const absl::Status s = ValidateDeMinimisThresholds({.charging_order = r.charging_order});
    EXPECT_EQ(s.ok(), r.ok) << s;
    if (!r.ok) {
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(s.message().find("£500.00 to £750.00"), absl::string_view::npos) << s;
      EXPECT_NE(s.message().find("AR10.8"), absl::string_view::npos) << s;
    }
    EXPECT_EQ(DeMinimisThreshold(CHARGING, {.charging_order = r.charging_order}), r.used);
  }
}

TEST(DeMinimisTest, AR10_8_TheChargingOrderDependsOnTheCourt) {
  auto courts = ParseCourtThresholds(" Leeds County Court = 75000 ; Cardiff County Court=60000;");
  ASSERT_TRUE(courts.ok()) << courts.status();
  const DeMinimisThresholds t{.charging_order = 55000, .charging_order_by_court = *courts};
  EXPECT_TRUE(ValidateDeMinimisThresholds(t).ok());
  EXPECT_EQ(DeMinimisThreshold(CHARGING, t, "leeds county court"), 75000);
  EXPECT_EQ(DeMinimisThreshold(CHARGING, t, "Cardiff County Court"), 60000);
  EXPECT_EQ(DeMinimisThreshold(CHARGING, t, "Bristol"), 55000) << "any other court";
  EXPECT_EQ(DeMinimisThreshold(LO, t, "Leeds County Court"), 50000) << "only charging orders";
  EXPECT_EQ(DeMinimisRefusal(CHARGING, 74999, t, "Leeds County Court").value_or(""),
            "a charging order in Leeds County Court needs arrears of at least £750.00; the "
            "arrears are £749.99 (AR10.8 de minimis)");
  EXPECT_FALSE(DeMinimisRefusal(CHARGING, 75000, t, "Leeds County Court").has_value());
  EXPECT_TRUE(ParseCourtThresholds("").value().empty());
  for (const char* bad : {"Leeds", "Leeds=", "=60000", "Leeds=abc", "Leeds=49999", "Leeds=75001",
                          "Leeds=60000;leeds=70000"}) {
    SCOPED_TRACE(bad);
    const auto parsed = ParseCourtThresholds(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("AR10.8"), std::string::npos);
  }
  EXPECT_FALSE(ValidateDeMinimisThresholds(
                   {.charging_order = 50000, .charging_order_by_court = {{"x", 80000}}})
                   .ok());
}

}  // namespace
}  // namespace cms::domain
