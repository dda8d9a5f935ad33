// M7.4: a DEO's NDR over 40% of net earnings raises "Determine NDR"; while
// one awaits the maximum NDR, its Perform Calculation SR neither closes nor
// takes another calculation.
#include "server/domain/ndr.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

struct NdrRow {
  Pence ndr;
  Pence earnings;
  bool exceeds;
};

class CheckNdrTest : public testing::TestWithParam<NdrRow> {};

// M7.4: exceeds only strictly above 40%, in exact integer arithmetic.
TEST_P(CheckNdrTest, ExceedsOnlyAbove40Percent) {
  const NdrRow& row = GetParam();
  absl::StatusOr<NdrDecision> d = CheckNdr(row.ndr, row.earnings);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->exceeds, row.exceeds);
  EXPECT_EQ(d->exception, row.exceeds ? "Determine NDR" : "");
  EXPECT_EQ(d->rule, "M7.4");
}

INSTANTIATE_TEST_SUITE_P(
    M7_4, CheckNdrTest,
    testing::Values(NdrRow{40000, 100000, false},                            // exactly 40%
                    NdrRow{40001, 100000, true},                             // a penny over
                    NdrRow{39999, 100000, false}, NdrRow{400, 1001, false},  // 39.96%
                    NdrRow{401, 1001, true},                                 // 40.06%
                    NdrRow{2, 5, false},                                     // 40% of 5p
                    NdrRow{3, 5, true}, NdrRow{0, 1, false}, NdrRow{150000, 100000, true},
                    // No overflow near int64 max.
                    NdrRow{4'000'000'000'000'000'000, 9'000'000'000'000'000'000, true}),
    [](const testing::TestParamInfo<NdrRow>& info) {
      return "Ndr" + std::to_string(info.param.ndr) + "Of" + std::to_string(info.param.earnings);
    });

TEST(CheckNdrInputTest, InvalidInputsNameTheField) {
  // M7.4
  absl::Status neg = CheckNdr(-1, 1000).status();
  EXPECT_EQ(neg.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(RuleOf(neg), "M7.4");
  ASSERT_EQ(FieldErrorsOf(neg).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(neg)[0].field, "ndr_per_period");

  absl::Status zero = CheckNdr(100, 0).status();
  ASSERT_EQ(FieldErrorsOf(zero).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(zero)[0].field, "net_earnings_per_period");
  EXPECT_EQ(FieldErrorsOf(CheckNdr(100, -5).status())[0].field, "net_earnings_per_period");
}

TEST(MaxNdrTest, FortyPercentRoundedDownNeverExceeds) {
  // M7.4: the most an NDR may be (ResolveNdr's bound), and CheckNdr agrees.
  struct Row {
    Pence earnings;
    Pence max;
  };
  for (const Row& r : std::vector<Row>{{100000, 40000},
                                       {1001, 400},  // 400.4 rounded down
                                       {5, 2},
                                       {1, 0},
                                       {0, 0},
                                       {-5, 0},
                                       {9'000'000'000'000'000'000, 3'600'000'000'000'000'000}}) {
    EXPECT_EQ(MaxNdr(r.earnings), r.max) << r.earnings;
    if (r.earnings > 0) {
      EXPECT_FALSE(CheckNdr(MaxNdr(r.earnings), r.earnings)->exceeds) << r.earnings;
      EXPECT_TRUE(CheckNdr(MaxNdr(r.earnings) + 1, r.earnings)->exceeds) << r.earnings;
    }
  }
}

TEST(CalculationCloseGuardTest, APendingCalculationBlocksCloseAndASecondCalculation) {
  // M7.4: only Perform Calculation SRs wait for their calculation...
  EXPECT_TRUE(CloseWaitsForCalculation("PERFORM_CALCULATION"));
  EXPECT_FALSE(CloseWaitsForCalculation("ARREARS_REVIEW"));
  EXPECT_FALSE(CloseWaitsForCalculation(""));
  // ...and while one awaits the maximum NDR, the SR neither closes nor takes
  // another; with none pending, both go ahead.
  struct Row {
    CalculationSrStep step;
    std::optional<int64_t> pending;
    bool refused;
    std::string message;
  };
  const std::vector<Row> rows = {
      {CalculationSrStep::kClose, std::nullopt, false, ""},
      {CalculationSrStep::kRecordCalculation, std::nullopt, false, ""},
      {CalculationSrStep::kClose, 12, true,
       "M7.4: SR 5 cannot close: calculation 12 awaits the maximum NDR (Determine NDR; "
       "ResolveNdr)"},
      {CalculationSrStep::kRecordCalculation, 12, true,
       "M7.4: calculation 12 on SR 5 awaits the maximum NDR (ResolveNdr) first"},
  };
  for (const Row& r : rows) {
    absl::Status s = CheckNoCalculationPending(r.step, /*sr_id=*/5, r.pending);
    EXPECT_EQ(s.ok(), !r.refused) << s;
    if (!r.refused) continue;
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(RuleOf(s), "M7.4");
    EXPECT_EQ(s.message(), r.message);
  }
}

}  // namespace
}  // namespace cms::domain
