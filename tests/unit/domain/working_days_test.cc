// AR10.6 (the RDO review at + 5 working days), AG11.3: working days per UK
// jurisdiction over weekends and the shipped bank holidays, and the refusal
// of a date past the data.
#include "server/domain/working_days.h"

#include <gtest/gtest.h>

#include <string>

#include "server/catalog/bank_holidays.h"

namespace cms::domain {
namespace {

constexpr Jurisdiction EW = Jurisdiction::kEnglandAndWales;
constexpr Jurisdiction SC = Jurisdiction::kScotland;
constexpr Jurisdiction NI = Jurisdiction::kNorthernIreland;

const WorkingDayCalendar& Shipped() {
  static const WorkingDayCalendar* calendar = [] {
    auto loaded = catalog::LoadBankHolidays(catalog::EmbeddedBankHolidayFiles());
    EXPECT_TRUE(loaded.ok()) << loaded.status();
    return new WorkingDayCalendar(loaded.ok() ? *loaded : WorkingDayCalendar());
  }();
  return *calendar;
}

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

TEST(WorkingDaysTest, C2_4_JurisdictionByCountryAndPostcodeArea) {
  struct Row {
    cms::v1::Country country;
    std::string postcode;
    Jurisdiction want;
  } rows[] = {
      {cms::v1::COUNTRY_NI, "BT1 5GS", NI},
      {cms::v1::COUNTRY_NI, "", NI},
      {cms::v1::COUNTRY_GB, "EH1 1YZ", SC},
      {cms::v1::COUNTRY_GB, "G1 1AA", SC},   // Glasgow: a one-letter area
      {cms::v1::COUNTRY_GB, "GL1 1AA", EW},  // Gloucester, not G
      {cms::v1::COUNTRY_GB, "AB10 1AA", SC},
      {cms::v1::COUNTRY_GB, "ZE1 0AA", SC},
      {cms::v1::COUNTRY_GB, "HS1 2AA", SC},
      {cms::v1::COUNTRY_GB, "TD15 1AA", SC},  // Berwick is in England: the area rules
      {cms::v1::COUNTRY_GB, "DG1 1AA", SC},
      {cms::v1::COUNTRY_GB, "KA1 1AA", SC},
      {cms::v1::COUNTRY_GB, "KT1 1AA", EW},   // Kingston, not KA/KW/KY
      {cms::v1::COUNTRY_GB, "CF10 1AA", EW},  // Cardiff: Wales keeps England's holidays
      {cms::v1::COUNTRY_GB, "SW1A 1AA", EW},
      {cms::v1::COUNTRY_GB, "eh1 1yz", SC},
      {cms::v1::COUNTRY_GB, "", EW},  // no postcode (e.g. abroad)
      {cms::v1::COUNTRY_UNSPECIFIED, "PH1 1AA", SC},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(testing::Message() << r.country << " " << r.postcode);
    EXPECT_EQ(JurisdictionOf(r.country, r.postcode), r.want);
  }
}

TEST(WorkingDaysTest, JurisdictionNamesAreTheDataFilesSpelling) {
  for (Jurisdiction j : {EW, SC, NI}) {
    EXPECT_EQ(ParseJurisdiction(JurisdictionName(j)), j);
  }
  EXPECT_EQ(JurisdictionName(EW), "ENGLAND_AND_WALES");
  EXPECT_EQ(JurisdictionName(SC), "SCOTLAND");
  EXPECT_EQ(JurisdictionName(NI), "NORTHERN_IRELAND");
  EXPECT_EQ(ParseJurisdiction("WALES"), std::nullopt);
  EXPECT_EQ(ParseJurisdiction("scotland"), std::nullopt);
}

TEST(WorkingDaysTest, AR10_6_AddWorkingDaysAcrossWeekendsAndBankHolidays) {
  struct Row {
    const char* what;
    Jurisdiction j;
    absl::CivilDay from;
    int n;
    absl::CivilDay want;
  } rows[] = {
      // Thursday 24 December 2026: 25 Christmas, 26-27 weekend, 28 Boxing Day
      // substitute, 29 30 31, 1 January, 2-3 weekend, 4 5.
      {"Christmas E&W", EW, D(2026, 12, 24), 5, D(2027, 1, 5)},
      {"Christmas NI", NI, D(2026, 12, 24), 5, D(2027, 1, 5)},
      // Scotland also keeps 2 January, a Saturday: Monday 4 January.
      {"Christmas Scotland", SC, D(2026, 12, 24), 5, D(2027, 1, 6)},
      {"New Year E&W", EW, D(2026, 12, 31), 1, D(2027, 1, 4)},
      {"New Year Scotland", SC, D(2026, 12, 31), 1, D(2027, 1, 5)},
      // Easter 2027: Good Friday 26 March, Easter Monday 29 March (not in
      // Scotland).
      {"Easter E&W", EW, D(2027, 3, 24), 5, D(2027, 4, 2)},
      {"Easter NI", NI, D(2027, 3, 24), 5, D(2027, 4, 2)},
      {"Easter Scotland", SC, D(2027, 3, 24), 5, D(2027, 4, 1)},
      // St Patrick's Day, Wednesday 17 March 2027: NI only.
      {"St Patrick NI", NI, D(2027, 3, 16), 1, D(2027, 3, 18)},
      {"St Patrick E&W", EW, D(2027, 3, 16), 1, D(2027, 3, 17)},
      // The Battle of the Boyne, Sunday 12 July 2026: Monday 13 in NI.
      {"Boyne NI", NI, D(2026, 7, 10), 1, D(2026, 7, 14)},
      {"Boyne E&W", EW, D(2026, 7, 10), 1, D(2026, 7, 13)},
      // Summer: first Monday of August in Scotland, the last elsewhere.
      {"August 3 Scotland", SC, D(2026, 7, 31), 1, D(2026, 8, 4)},
      {"August 3 E&W", EW, D(2026, 7, 31), 1, D(2026, 8, 3)},
      {"August 31 E&W", EW, D(2026, 8, 28), 1, D(2026, 9, 1)},
      {"August 31 NI", NI, D(2026, 8, 28), 1, D(2026, 9, 1)},
      {"August 31 Scotland", SC, D(2026, 8, 28), 1, D(2026, 8, 31)},
      // St Andrew's Day, Monday 30 November 2026: Scotland only.
      {"St Andrew Scotland", SC, D(2026, 11, 27), 1, D(2026, 12, 1)},
      {"St Andrew E&W", EW, D(2026, 11, 27), 1, D(2026, 11, 30)},
      // Plain weeks.
      {"Friday + 1", EW, D(2026, 10, 9), 1, D(2026, 10, 12)},
      {"Saturday + 1", EW, D(2026, 10, 10), 1, D(2026, 10, 12)},
      {"Monday + 5", EW, D(2026, 10, 12), 5, D(2026, 10, 19)},
      {"Wednesday + 20", EW, D(2026, 10, 14), 20, D(2026, 11, 11)},  // AG11.3
      // n = 0: the day itself when working, else the next working day.
      {"0 on a working day", EW, D(2026, 12, 23), 0, D(2026, 12, 23)},
      {"0 on Christmas", EW, D(2026, 12, 25), 0, D(2026, 12, 29)},
      {"0 on a Sunday", SC, D(2027, 1, 3), 0, D(2027, 1, 5)},
      // The start day's own status does not matter for n > 0.
      {"from a holiday", EW, D(2026, 12, 28), 1, D(2026, 12, 29)},
      {"from the year before the data", EW, D(2024, 12, 31), 1, D(2025, 1, 2)},
      {"to the last covered day", EW, D(2030, 12, 27), 2, D(2030, 12, 31)},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.what);
    absl::StatusOr<absl::CivilDay> got = Shipped().AddWorkingDays(r.j, r.from, r.n);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, r.want);
  }
}

TEST(WorkingDaysTest, AR10_6_PastTheDataIsOutOfRangeNamingTheYear) {
  auto past = Shipped().AddWorkingDays(EW, D(2030, 12, 24), 5);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(past.status().message(),
            "no bank holidays are known for 2031 (the working-day calendar covers 2025-2030)");
  // n = 0 judges the start day itself.
  auto before = Shipped().AddWorkingDays(SC, D(2024, 12, 31), 0);
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(before.status().message().find("2024"), absl::string_view::npos);
  auto backwards = Shipped().AddWorkingDays(EW, D(2027, 1, 4), -1);
  EXPECT_EQ(backwards.status().code(), absl::StatusCode::kInvalidArgument);
  // A calendar never given its years covers none.
  auto empty = WorkingDayCalendar().AddWorkingDays(EW, D(2027, 1, 4), 1);
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kOutOfRange);
}

TEST(WorkingDaysTest, CoverageAndTheDaysThemselves) {
  EXPECT_TRUE(Shipped().Covers(D(2025, 1, 1)));
  EXPECT_TRUE(Shipped().Covers(D(2030, 12, 31)));
  EXPECT_FALSE(Shipped().Covers(D(2031, 1, 1)));
  EXPECT_FALSE(Shipped().Covers(D(2024, 12, 31)));
  EXPECT_EQ(Shipped().first_year(), 2025);
  EXPECT_EQ(Shipped().last_year(), 2030);
  EXPECT_FALSE(Shipped().IsWorkingDay(EW, D(2027, 1, 2)));  // Saturday
  EXPECT_FALSE(Shipped().IsWorkingDay(EW, D(2027, 1, 3)));  // Sunday
  EXPECT_FALSE(Shipped().IsWorkingDay(EW, D(2026, 12, 28)));
  EXPECT_TRUE(Shipped().IsWorkingDay(EW, D(2027, 1, 4)));
  EXPECT_FALSE(Shipped().IsWorkingDay(SC, D(2027, 1, 4)));
}

TEST(WorkingDaysTest, AHandBuiltCalendarKeepsOneOfEachDay) {
  WorkingDayCalendar c;
  c.SetCoveredYears(2040, 2040);
  c.AddHoliday(NI, D(2040, 3, 19));
  c.AddHoliday(NI, D(2040, 3, 19));
  c.AddHoliday(NI, D(2040, 3, 16));
  EXPECT_TRUE(c.IsBankHoliday(NI, D(2040, 3, 19)));
  EXPECT_FALSE(c.IsBankHoliday(EW, D(2040, 3, 19)));
  // Friday 16 and Monday 19 March 2040 are holidays in NI.
  EXPECT_EQ(*c.AddWorkingDays(NI, D(2040, 3, 15), 1), D(2040, 3, 20));
  EXPECT_EQ(*c.AddWorkingDays(EW, D(2040, 3, 15), 1), D(2040, 3, 16));
}

}  // namespace
}  // namespace cms::domain
