// C2.1 (UK postcodes) and C2.4 (region by the PP's postcode).
#include "server/domain/postcode.h"

#include <gtest/gtest.h>

namespace cms::domain {
namespace {

TEST(PostcodeTest, AcceptsEveryOutwardShapeAndNormalises) {
  EXPECT_EQ(NormaliseUkPostcode("M1 1AE"), "M1 1AE");         // A9
  EXPECT_EQ(NormaliseUkPostcode("b338th"), "B33 8TH");        // A99
  EXPECT_EQ(NormaliseUkPostcode("CR2 6XH"), "CR2 6XH");       // AA9
  EXPECT_EQ(NormaliseUkPostcode("dn551pt"), "DN55 1PT");      // AA99
  EXPECT_EQ(NormaliseUkPostcode("W1A 1HQ"), "W1A 1HQ");       // A9A
  EXPECT_EQ(NormaliseUkPostcode(" ec1a  1bb "), "EC1A 1BB");  // AA9A
  EXPECT_EQ(NormaliseUkPostcode("BT1 5GS"), "BT1 5GS");
  EXPECT_EQ(NormaliseUkPostcode("gir0aa"), "GIR 0AA");
}

TEST(PostcodeTest, RefusesMalformed) {
  for (const char* bad : {"", "SW1A", "1AA 1AA", "SW1A 1A", "SW1A 11A", "SWIA1AAA", "Q 1AA",
                          "AB1CD 1AA", "EC1A 1B!"}) {
    EXPECT_EQ(NormaliseUkPostcode(bad), std::nullopt) << bad;
  }
}

TEST(RegionTest, NorthernIrelandIsPostcodeAreaBT) {
  // C2.4
  EXPECT_EQ(RegionOf("BT1 5GS", false), cms::v1::COUNTRY_NI);
  EXPECT_EQ(RegionOf("BT94 1AA", false), cms::v1::COUNTRY_NI);
  EXPECT_EQ(RegionOf("B1 1AA", false), cms::v1::COUNTRY_GB);  // Birmingham, not Belfast
  EXPECT_EQ(RegionOf("CF10 1AA", false), cms::v1::COUNTRY_GB);
  EXPECT_EQ(RegionOf("EH1 1YZ", false), cms::v1::COUNTRY_GB);
  // A non-UK address is never NI, whatever postcode was left behind.
  EXPECT_EQ(RegionOf("BT1 5GS", true), cms::v1::COUNTRY_GB);
  EXPECT_EQ(PostcodeArea("BT1 5GS"), "BT");
  EXPECT_EQ(PostcodeArea("M1 1AE"), "M");
}

}  // namespace
}  // namespace cms::domain
