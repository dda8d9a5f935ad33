// How money is shown in messages and notes (domain/money.h FormatPounds).
#include "server/domain/money.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

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

}  // namespace
}  // namespace cms::domain
