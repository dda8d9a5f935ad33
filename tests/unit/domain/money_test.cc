// How money is shown in messages and notes (domain/money.h FormatPounds);
// the bound on every amount and checked sums (issue 17, defect 5).
#include "server/domain/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace cms::domain {
namespace {

TEST(MoneyTest, FormatPoundsGroupsThousandsAndKeepsPence) {
  struct Row {
    Pence pence;
    const char* shown;
  } rows[] = {
      {0, "£0.00"},
      {5, "£0.05"},
      {50000, "£500.00"},
      {49999, "£499.99"},
      {123456, "£1,234.56"},
      {100000000, "£1,000,000.00"},
      {-50, "-£0.50"},
      {-123456, "-£1,234.56"},
      {std::numeric_limits<int64_t>::min(), "-£92,233,720,368,547,758.08"},
  };
  for (const Row& r : rows) EXPECT_EQ(FormatPounds(r.pence), r.shown) << r.pence;
}

// Issue 17, defect 5: one bound for every amount the API takes, £10m.
TEST(MoneyTest, AnAmountIsAtMostTenMillionPoundsWithItsSignAsTheFieldTakes) {
  constexpr Pence kMax = kMaxAmountPence;
  constexpr Pence kHuge = std::numeric_limits<Pence>::max();
  constexpr Pence kMin = std::numeric_limits<Pence>::min();
  EXPECT_EQ(kMax, 1'000'000'000);
  EXPECT_EQ(FormatPounds(kMax), "£10,000,000.00");
  struct Row {
    Pence amount;
    AmountSign sign;
    const char* problem;  // nullptr: accepted
  } rows[] = {
      {1, AmountSign::kPositive, nullptr},
      {kMax, AmountSign::kPositive, nullptr},
      {kMax + 1, AmountSign::kPositive, "at most 1000000000 pence (£10,000,000.00)"},
      {kHuge, AmountSign::kPositive, "at most 1000000000 pence"},
      {0, AmountSign::kPositive, "must be more than 0"},
      {-1, AmountSign::kPositive, "must be more than 0"},
      {kMin, AmountSign::kPositive, "must be more than 0"},
      {0, AmountSign::kZeroOrMore, nullptr},
      {kMax, AmountSign::kZeroOrMore, nullptr},
      {kMax + 1, AmountSign::kZeroOrMore, "at most 1000000000 pence"},
      {-1, AmountSign::kZeroOrMore, "must not be negative"},
      {0, AmountSign::kAny, nullptr},
      {-kMax, AmountSign::kAny, nullptr},
      {kMax, AmountSign::kAny, nullptr},
      {kMax + 1, AmountSign::kAny, "at most 1000000000 pence"},
      {-kMax - 1, AmountSign::kAny, "at least -1000000000 pence (-£10,000,000.00)"},
      {kMin, AmountSign::kAny, "at least -1000000000 pence"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.amount);
    const std::optional<std::string> problem = AmountProblem(r.amount, r.sign);
    if (r.problem == nullptr) {
      EXPECT_EQ(problem, std::nullopt);
    } else {
      ASSERT_TRUE(problem.has_value());
      EXPECT_NE(problem->find(r.problem), std::string::npos) << *problem;
    }
  }
}

TEST(MoneyTest, CheckedArithmeticSaysWhenTheResultIsNotPence) {
  constexpr Pence kHuge = std::numeric_limits<Pence>::max();
  constexpr Pence kMin = std::numeric_limits<Pence>::min();
  struct Row {
    char op;
    Pence a, b;
    std::optional<Pence> result;
  } rows[] = {
      {'+', 1, 2, 3},
      {'+', kHuge, 0, kHuge},
      {'+', kHuge, 1, std::nullopt},
      {'+', kHuge, kHuge, std::nullopt},  // the defect: two payments of 2^63-1
      {'+', kMin, -1, std::nullopt},
      {'+', kMin, kHuge, -1},
      {'-', 0, kHuge, -kHuge},
      {'-', -kHuge, kHuge, std::nullopt},
      {'-', 0, kMin, std::nullopt},
      {'-', kMin, kMin, 0},
      {'*', kMaxAmountPence, 52, kMaxAmountPence * 52},
      {'*', kHuge / 2 + 1, 2, std::nullopt},
      {'*', kMin, -1, std::nullopt},
      {'*', -1, kHuge, -kHuge},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.a << " " << r.op << " " << r.b);
    const std::optional<Pence> got = r.op == '+'   ? CheckedAdd(r.a, r.b)
                                     : r.op == '-' ? CheckedSubtract(r.a, r.b)
                                                   : CheckedMultiply(r.a, r.b);
    EXPECT_EQ(got, r.result);
  }
  // The status forms name the sum and say it overflowed.
  EXPECT_EQ(AddPence(1, 2, "x").value(), 3);
  EXPECT_EQ(SubtractPence(1, 2, "x").value(), -1);
  const absl::Status overflow = AddPence(kHuge, kHuge, "the running balance").status();
  EXPECT_EQ(overflow.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(overflow.message().find("the running balance overflows"), absl::string_view::npos)
      << overflow;
  EXPECT_EQ(SubtractPence(kMin, 1, "x").status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace cms::domain
