// M7.1 (effective-dated service type) and M7.7 (collection fees on
// COLLECT_AND_PAY unless waived, non-retrospective reinstatement,
// enforcement charges per action).
#include "server/domain/fees.h"

#include <gtest/gtest.h>

#include <set>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

using absl::CivilDay;

constexpr auto DP = ServiceType::kDirectPay;
constexpr auto CP = ServiceType::kCollectAndPay;

CivilDay D(int m, int d) { return CivilDay(2026, m, d); }

const std::vector<ServiceTypeChange> kHistory = {{DP, D(1, 1)}, {CP, D(3, 1)}};

TEST(ServiceTypeOnTest, LatestChangeEffectiveOnOrBeforeTheDay) {
  // M7.1
  EXPECT_EQ(ServiceTypeOn(kHistory, CivilDay(2025, 12, 31)), std::nullopt);
  EXPECT_EQ(ServiceTypeOn(kHistory, D(1, 1)), DP);
  EXPECT_EQ(ServiceTypeOn(kHistory, D(2, 28)), DP);
  EXPECT_EQ(ServiceTypeOn(kHistory, D(3, 1)), CP);
  // Unordered history; of two changes the same day the later one wins.
  EXPECT_EQ(ServiceTypeOn({{CP, D(3, 1)}, {DP, D(1, 1)}}, D(6, 1)), CP);
  EXPECT_EQ(ServiceTypeOn({{CP, D(3, 1)}, {DP, D(3, 1)}}, D(6, 1)), DP);
}

struct FeeRow {
  std::string name;
  Pence collected;
  CivilDay day;
  std::vector<FeeWaiver> waivers;
  bool charged;
  Pence pp_fee, rp_deduction;
  std::string reason;
};

class CollectionFeeTest : public testing::TestWithParam<FeeRow> {};

// M7.7: 20% on the paying parent, 4% off the receiving parent, on
// COLLECT_AND_PAY collections outside a waiver.
TEST_P(CollectionFeeTest, ChargedOnlyOnCollectAndPayOutsideAWaiver) {
  const FeeRow& row = GetParam();
  absl::StatusOr<CollectionFee> fee =
      CollectionFeeFor(row.collected, row.day, kHistory, row.waivers);
  ASSERT_TRUE(fee.ok()) << fee.status();
  EXPECT_EQ(fee->charged, row.charged);
  EXPECT_EQ(fee->pp_fee, row.pp_fee);
  EXPECT_EQ(fee->rp_deduction, row.rp_deduction);
  EXPECT_EQ(fee->reason, row.reason);
}

const std::vector<FeeWaiver> kAprilWaiver = {{D(4, 1), D(5, 1)}};

INSTANTIATE_TEST_SUITE_P(
    M7_7, CollectionFeeTest,
    testing::Values(
        FeeRow{"CollectAndPay", 10000, D(3, 1), {}, true, 2000, 400, ""},
        // 20% of £10.03 = 200.6p -> 201p; 4% = 40.12p -> 40p.
        FeeRow{"RoundsToThePenny", 1003, D(3, 1), {}, true, 201, 40, ""},
        FeeRow{"RoundsUp", 1013, D(3, 1), {}, true, 203, 41, ""},
        FeeRow{"DirectPay", 10000, D(2, 28), {}, false, 0, 0, "DIRECT_PAY"},
        FeeRow{"NoServiceType", 10000, CivilDay(2025, 6, 1), {}, false, 0, 0, "NO_SERVICE_TYPE"},
        // Waiver [1 Apr, 1 May): from inclusive, to exclusive.
        FeeRow{"DayBeforeWaiver", 10000, D(3, 31), kAprilWaiver, true, 2000, 400, ""},
        FeeRow{"FirstDayOfWaiver", 10000, D(4, 1), kAprilWaiver, false, 0, 0, "WAIVED"},
        FeeRow{"LastDayOfWaiver", 10000, D(4, 30), kAprilWaiver, false, 0, 0, "WAIVED"},
        FeeRow{"WaiverEndDay", 10000, D(5, 1), kAprilWaiver, true, 2000, 400, ""},
        FeeRow{"OpenWaiver",
               10000,
               CivilDay(2030, 1, 1),
               {{D(4, 1), std::nullopt}},
               false,
               0,
               0,
               "WAIVED"}),
    [](const testing::TestParamInfo<FeeRow>& info) { return info.param.name; });

TEST(CollectionFeeRatesTest, RatesAreParametersRoundedHalfUp) {
  // M7.7
  absl::StatusOr<CollectionFee> fee = CollectionFeeFor(
      5, D(3, 1), kHistory, {}, FeeRates{.pp_fee_percent = 10, .rp_deduction_percent = 50});
  ASSERT_TRUE(fee.ok());
  EXPECT_EQ(fee->pp_fee, 1);        // 0.5p -> 1p
  EXPECT_EQ(fee->rp_deduction, 3);  // 2.5p -> 3p
}

TEST(CollectionFeeRatesTest, InvalidInputsNameTheFields) {
  // M7.7
  absl::Status s = CollectionFeeFor(-1, D(3, 1), kHistory, {}, {101, -1}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(s), "M7.7");
  std::vector<std::string> fields;
  for (const FieldError& e : FieldErrorsOf(s)) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"collected", "rates.pp_fee_percent",
                                              "rates.rp_deduction_percent"}));
  EXPECT_EQ(FieldErrorsOf(
                CollectionFeeCharges({{D(3, 1), -5, PaymentMethod::kDd}}, kHistory, {}).status())[0]
                .field,
            "payments[0].amount");
}

TEST(CollectionFeeChargesTest, OneLedgerEntryPerChargedCollection) {
  // M7.7
  const std::vector<Payment> payments = {{D(2, 10), 10000, PaymentMethod::kDd},    // DIRECT_PAY
                                         {D(3, 10), 10000, PaymentMethod::kDd},    // charged
                                         {D(4, 10), 10000, PaymentMethod::kDd},    // waived
                                         {D(5, 10), 5000, PaymentMethod::kCard}};  // charged
  absl::StatusOr<std::vector<ChargeEntry>> charges =
      CollectionFeeCharges(payments, kHistory, kAprilWaiver);
  ASSERT_TRUE(charges.ok()) << charges.status();
  EXPECT_EQ(*charges, (std::vector<ChargeEntry>{{"COLLECTION_FEE", 2000, D(3, 10)},
                                                {"COLLECTION_FEE", 1000, D(5, 10)}}));
}

TEST(ReinstateFeesTest, EndsTheOpenWaiverFromTheDecisionDate) {
  // M7.7: reinstated from the decision date: waived the day before, charged on it.
  const std::vector<FeeWaiver> waivers = {{D(3, 1), D(3, 5)}, {D(4, 1), std::nullopt}};
  absl::StatusOr<std::vector<FeeWaiver>> out = ReinstateFees(waivers, D(6, 15), D(6, 15));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out, (std::vector<FeeWaiver>{{D(3, 1), D(3, 5)}, {D(4, 1), D(6, 15)}}));
  EXPECT_TRUE(IsWaivedOn(*out, D(6, 14)));
  EXPECT_FALSE(IsWaivedOn(*out, D(6, 15)));
  EXPECT_TRUE(CollectionFeeFor(10000, D(6, 15), kHistory, *out)->charged);
  EXPECT_FALSE(CollectionFeeFor(10000, D(6, 14), kHistory, *out)->charged);
}

TEST(ReinstateFeesTest, NeverRetrospective) {
  // M7.7: an effective date before the decision date is refused.
  const std::vector<FeeWaiver> waivers = {{D(4, 1), std::nullopt}};
  absl::Status s = ReinstateFees(waivers, D(6, 15), D(6, 14)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(s), "M7.7");
  EXPECT_NE(s.message().find("never retrospectively"), absl::string_view::npos) << s;
  // A future effective date is allowed: the waiver runs until then.
  absl::StatusOr<std::vector<FeeWaiver>> later = ReinstateFees(waivers, D(6, 15), D(7, 1));
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)[0].to, D(7, 1));
}

TEST(ReinstateFeesTest, NeedsAnOpenWaiverStartedByThen) {
  // M7.7
  absl::Status none = ReinstateFees({{D(3, 1), D(3, 5)}}, D(6, 15), D(6, 15)).status();
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RuleOf(none), "M7.7");
  EXPECT_EQ(ReinstateFees({}, D(6, 15), D(6, 15)).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReinstateFees({{D(7, 1), std::nullopt}}, D(6, 15), D(6, 15)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(EnforcementChargeTest, ChargePerActionFromTheTable) {
  // M7.7: the DEO charge is £50.
  EXPECT_EQ(EnforcementCharge(EnforcementAction::kDeo, D(5, 1)),
            (ChargeEntry{"DEO_CHARGE", 5000, D(5, 1)}));
  EXPECT_EQ(EnforcementCharge(EnforcementAction::kRdo, D(5, 1)).amount, 5000);
  EXPECT_EQ(EnforcementCharge(EnforcementAction::kLsdo, D(5, 1)).amount, 20000);
  EXPECT_EQ(EnforcementCharge(EnforcementAction::kLiabilityOrder, D(5, 1)).amount, 30000);
  std::set<std::string> kinds;
  for (const EnforcementChargeRow& row : EnforcementChargeTable()) {
    EXPECT_GT(row.amount, 0);
    EXPECT_TRUE(kinds.insert(std::string(row.kind)).second) << row.kind;
  }
  EXPECT_EQ(kinds.size(), 4u);
}

}  // namespace
}  // namespace cms::domain
