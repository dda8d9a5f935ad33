// Issue 17, defects 7 and 9: the values every RPC takes (domain/values).
#include "server/domain/values.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

TEST(ValuesTest, TimestampsOutsideWhatATimestampMayHoldAreRefused) {
  struct Case {
    int64_t seconds;
    int32_t nanos;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {0, 0, true},                     // 1970 is a valid instant; SetClock refuses it
           {1796000000, 999999999, true},    // 2026
           {-62135596800, 0, true},          // 0001-01-01
           {253402300799, 999999999, true},  // 9999-12-31T23:59:59.999999999
           {-62135596801, 0, false},         // before year 1
           {253402300800, 0, false},         // year 10000
           {1796000000, 2000000000, false},  // nanos = 2e9
           {1796000000, -1, false},          // negative nanos
           {INT64_MAX, 0, false},
       }) {
    EXPECT_EQ(TimestampProblem(c.seconds, c.nanos).has_value(), !c.ok)
        << c.seconds << "s " << c.nanos << "ns";
  }
}

TEST(ValuesTest, DurationsOutsideWhatADurationMayHoldAreRefused) {
  struct Case {
    int64_t seconds;
    int32_t nanos;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {86400, 0, true},
           {-86400, -5, true},
           {0, -5, true},
           {315576000000, 999999999, true},
           {315576000001, 0, false},
           {-315576000001, 0, false},
           {1, -1, false},  // mixed signs
           {-1, 1, false},
           {0, 1000000000, false},
           {INT64_MIN, 0, false},
       }) {
    EXPECT_EQ(DurationProblem(c.seconds, c.nanos).has_value(), !c.ok)
        << c.seconds << "s " << c.nanos << "ns";
  }
}

TEST(ValuesTest, NamesAreOneVisibleLineWithoutControlsOrBidiOverrides) {
  struct Case {
    std::string name;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {"Team A", true},
           {"Siân O'Brien-Jones", true},
           {"Zoë", true},
           {"", false},
           {"   ", false},
           {"\t \n", false},
           {std::string("Team\0A", 6), false},
           {"Team\nA", false},
           {"Team\rA", false},
           {"Team\tA", false},
           {"Team\x1b[31mA", false},  // an escape sequence
           {"Team \xe2\x80\xae"
            "A",
            false},  // U+202E RIGHT-TO-LEFT OVERRIDE
           {"Team \xe2\x81\xa6"
            "A",
            false},  // U+2066 LEFT-TO-RIGHT ISOLATE
           {"Team \xc2\x85"
            "A",
            false},  // U+0085 NEXT LINE
       }) {
    EXPECT_EQ(NameProblem(c.name, 100).has_value(), !c.ok) << c.name;
  }
  EXPECT_FALSE(NameProblem(std::string(100, 'a'), 100).has_value());
  EXPECT_TRUE(NameProblem(std::string(101, 'a'), 100).has_value());
  // Code points, not bytes: 100 two-byte letters fit.
  std::string accents;
  for (int i = 0; i < 100; ++i) accents += "\xc3\xa9";
  EXPECT_FALSE(NameProblem(accents, 100).has_value());
}

TEST(ValuesTest, AMalformedSequenceHidesNoControlCharacter) {
  // Found by tests/fuzz/fuzz_values: a UTF-8 lead byte took the next bytes
  // as its own even when they were not continuation bytes, so the control
  // characters after it were never seen. The transport refuses invalid
  // UTF-8, yet the rule must not depend on it.
  EXPECT_TRUE(NameProblem(std::string("Team\xe9\x1d\x7fQ"), 100).has_value());
  EXPECT_TRUE(NameProblem(std::string("A\xf0\x01\x02\x03"), 100).has_value());
  EXPECT_TRUE(FreeTextProblem(std::string("x\xc3\x1b[31m"), 100).has_value());
  EXPECT_FALSE(NameProblem("Zo\xc3\xab \xe4\xb8\xad", 100).has_value());  // Zoë 中
}

TEST(ValuesTest, TextMayHoldLinesButNotNul) {
  EXPECT_FALSE(TextProblem("Called the PP.\nNo answer; left a message.\t(2nd try)").has_value());
  EXPECT_TRUE(TextProblem(std::string("before\0after", 12)).has_value());
}

TEST(ValuesTest, FreeTextMayHoldLinesButNoOtherControlsAndIsBounded) {
  // Issue 17 defect 9: an SR field's value (SR5.4).
  struct Case {
    std::string text;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {"", true},
           {"Arrears Routing Logic", true},
           {"line one\r\nline two\tcolumn", true},
           {"Siân's payslip", true},
           {std::string("a\0b", 3), false},
           {"bell\x07", false},
           {"\x1b[31mred", false},
           {"del\x7f", false},
           {"Pay \xe2\x80\xae"
            "321",
            false},  // U+202E RIGHT-TO-LEFT OVERRIDE
           {"next \xc2\x85"
            "line",
            false},  // U+0085 NEXT LINE
       }) {
    EXPECT_EQ(FreeTextProblem(c.text, 2000).has_value(), !c.ok) << c.text;
  }
  EXPECT_FALSE(FreeTextProblem(std::string(2000, 'a'), 2000).has_value());
  EXPECT_TRUE(FreeTextProblem(std::string(2001, 'a'), 2000).has_value());
  std::string accents;  // code points, not bytes
  for (int i = 0; i < 2000; ++i) accents += "\xc3\xa9";
  EXPECT_FALSE(FreeTextProblem(accents, 2000).has_value());
}

TEST(ValuesTest, ADateOfBirthIsNotInTheFuture) {
  const absl::CivilDay today(2027, 3, 1);
  EXPECT_FALSE(DateOfBirthProblem(absl::CivilDay(1980, 5, 17), today).has_value());
  EXPECT_FALSE(DateOfBirthProblem(today, today).has_value());
  EXPECT_TRUE(DateOfBirthProblem(today + 1, today).has_value());
}

}  // namespace
}  // namespace cms::domain
