// C2.1: national insurance number format.
#include "server/domain/nino.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

TEST(NinoTest, AcceptsAndNormalisesValidNumbers) {
  EXPECT_EQ(NormaliseNino("AB123456C"), "AB123456C");
  EXPECT_EQ(NormaliseNino("ab 12 34 56 c"), "AB123456C");
  EXPECT_EQ(NormaliseNino("JK000000A"), "JK000000A");
  EXPECT_EQ(NormaliseNino("CE999999D"), "CE999999D");
}

TEST(NinoTest, RefusesBadFormats) {
  for (const char* bad : {"", "AB123456", "AB1234567C", "A1123456C", "AB12345XC", "AB123456E",
                          "AB123456 CD", "1B123456C"}) {
    EXPECT_EQ(NormaliseNino(bad), std::nullopt) << bad;
  }
}

TEST(NinoTest, RefusesDisallowedPrefixLetters) {
  for (const char* bad :
       {"DA123456A", "FA123456A", "IA123456A", "QA123456A", "UA123456A", "VA123456A", "AD123456A",
        "AF123456A", "AI123456A", "AO123456A", "AQ123456A", "AU123456A", "AV123456A"}) {
    EXPECT_EQ(NormaliseNino(bad), std::nullopt) << bad;
  }
  // O is allowed first, not second.
  EXPECT_EQ(NormaliseNino("OA123456A"), "OA123456A");
}

TEST(NinoTest, RefusesAdministrativePrefixes) {
  for (const char* bad : {"BG123456A", "GB123456A", "KN123456A", "NK123456A", "NT123456A",
                          "TN123456A", "ZZ123456A"}) {
    EXPECT_EQ(NormaliseNino(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cms::domain
