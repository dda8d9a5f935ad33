// M7.4: a DEO's NDR over 40% of net earnings raises "Determine NDR".
#include "server/domain/ndr.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cms::domain
