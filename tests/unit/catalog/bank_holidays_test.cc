// AR10.6: the bank holidays are data validated at start-up; a bad entry
// stops loading with a message naming the file and the entry, and the
// shipped file holds each jurisdiction's own holidays.
#include "server/catalog/bank_holidays.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace cms::catalog {
namespace {

using domain::Jurisdiction;
using ::testing::HasSubstr;

constexpr Jurisdiction EW = Jurisdiction::kEnglandAndWales;
constexpr Jurisdiction SC = Jurisdiction::kScotland;
constexpr Jurisdiction NI = Jurisdiction::kNorthernIreland;

std::string Holiday(int y, int m, int d, const std::string& name = "H") {
  return "holidays { date { year: " + std::to_string(y) + " month: " + std::to_string(m) +
         " day: " + std::to_string(d) + " } name: \"" + name + "\" } ";
}

std::string Section(const std::string& name, const std::string& holidays) {
  return "jurisdictions { jurisdiction: \"" + name + "\" " + holidays + "} ";
}

// A valid one-year file (2027: 1 January is a Friday) with `extra` added
// to England and Wales.
std::string File(const std::string& extra = "", const std::string& years = "2027") {
  return "first_year: 2027 last_year: " + years + " " +
         Section("ENGLAND_AND_WALES", Holiday(2027, 1, 1) + extra) +
         Section("SCOTLAND", Holiday(2027, 1, 1) + Holiday(2027, 1, 4)) +
         Section("NORTHERN_IRELAND", Holiday(2027, 1, 1) + Holiday(2027, 3, 17));
}

absl::StatusOr<domain::WorkingDayCalendar> LoadText(const std::string& text) {
  return LoadBankHolidays({{"bank_holidays_bad.textproto", text}});
}

TEST(BankHolidaysTest, AR10_6_TheShippedFileLoadsWithEachJurisdictionsHolidays) {
  auto c = LoadBankHolidays(EmbeddedBankHolidayFiles());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->first_year(), 2025);
  EXPECT_EQ(c->last_year(), 2030);
  struct Row {
    absl::CivilDay day;
    bool ew, sc, ni;
  } rows[] = {
      {absl::CivilDay(2026, 12, 28), true, true, true},     // Boxing Day substitute
      {absl::CivilDay(2027, 1, 4), false, true, false},     // 2 January substitute
      {absl::CivilDay(2027, 3, 17), false, false, true},    // St Patrick's Day
      {absl::CivilDay(2026, 8, 3), false, true, false},     // first Monday of August
      {absl::CivilDay(2026, 8, 31), true, false, true},     // last Monday of August
      {absl::CivilDay(2027, 3, 26), true, true, true},      // Good Friday
      {absl::CivilDay(2027, 3, 29), true, false, true},     // Easter Monday
      {absl::CivilDay(2026, 7, 13), false, false, true},    // the Boyne, substitute
      {absl::CivilDay(2025, 12, 1), false, true, false},    // St Andrew's substitute
      {absl::CivilDay(2030, 12, 2), false, true, false},    // St Andrew's substitute
      {absl::CivilDay(2027, 12, 27), true, true, true},     // Christmas substitute
      {absl::CivilDay(2027, 12, 28), true, true, true},     // Boxing Day substitute
      {absl::CivilDay(2028, 1, 3), true, true, true},       // New Year substitute
      {absl::CivilDay(2028, 1, 4), false, true, false},     // 2 January substitute
      {absl::CivilDay(2029, 3, 19), false, false, true},    // St Patrick's substitute
      {absl::CivilDay(2025, 5, 5), true, true, true},       // Early May
      {absl::CivilDay(2030, 5, 27), true, true, true},      // Spring
      {absl::CivilDay(2026, 12, 24), false, false, false},  // Christmas Eve
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(absl::FormatCivilTime(r.day));
    EXPECT_EQ(c->IsBankHoliday(EW, r.day), r.ew);
    EXPECT_EQ(c->IsBankHoliday(SC, r.day), r.sc);
    EXPECT_EQ(c->IsBankHoliday(NI, r.day), r.ni);
  }
}

TEST(BankHolidaysTest, AR10_6_ShippedYearsHaveTheRightNumberOfHolidays) {
  auto c = LoadBankHolidays(EmbeddedBankHolidayFiles());
  ASSERT_TRUE(c.ok()) << c.status();
  for (int year = 2025; year <= 2030; ++year) {
    int ew = 0, sc = 0, ni = 0;
    for (absl::CivilDay d(year, 1, 1); d.year() == year; ++d) {
      ew += c->IsBankHoliday(EW, d);
      sc += c->IsBankHoliday(SC, d);
      ni += c->IsBankHoliday(NI, d);
    }
    SCOPED_TRACE(year);
    EXPECT_EQ(ew, 8);
    EXPECT_EQ(sc, 9);
    EXPECT_EQ(ni, 10);
  }
}

TEST(BankHolidaysTest, AR10_6_AValidFileLoads) {
  auto c = LoadText(File());
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->IsBankHoliday(SC, absl::CivilDay(2027, 1, 4)));
  EXPECT_FALSE(c->IsBankHoliday(EW, absl::CivilDay(2027, 1, 4)));
}

TEST(BankHolidaysTest, AR10_6_BadEntriesAreRefusedNamingTheFileAndEntry) {
  struct Case {
    std::string text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {File() + Section("WALES", Holiday(2027, 1, 1)),
       "bank_holidays_bad.textproto: jurisdiction #4: unknown jurisdiction \"WALES\""},
      {File() + Section("SCOTLAND", Holiday(2027, 1, 1)),
       "bank_holidays_bad.textproto: SCOTLAND: jurisdiction listed twice"},
      {File(Holiday(2027, 2, 30)),
       "bank_holidays_bad.textproto: ENGLAND_AND_WALES holiday #2 (2027-02-30, H): invalid date "
       "2027-02-30"},
      {File(Holiday(2027, 13, 1)), "holiday #2 (2027-13-01, H): invalid date"},
      {File(Holiday(2027, 1, 1, "Again")),
       "ENGLAND_AND_WALES holiday #2 (2027-01-01, Again): duplicate date"},
      {File(Holiday(2027, 1, 2, "New Year")),
       "ENGLAND_AND_WALES holiday #2 (2027-01-02, New Year): falls on a Saturday"},
      {File(Holiday(2027, 1, 3)), "falls on a Sunday"},
      {File(Holiday(2028, 1, 3)), "holiday #2 (2028-01-03, H): outside the file's years 2027-2027"},
      {File(Holiday(2027, 1, 5, "")), "holiday #2 (2027-01-05): name is required"},
      {File("", "2028"), "ENGLAND_AND_WALES: no holiday in 2028"},
      {"first_year: 2027 last_year: 2027 " + Section("ENGLAND_AND_WALES", Holiday(2027, 1, 1)),
       "bank holidays: no file lists SCOTLAND"},
      {"first_year: 2028 last_year: 2027", "first_year, last_year: a range of years is required"},
      {Section("SCOTLAND", ""), "a range of years is required (got 0-0)"},
      {"jurisdictions { nonsense: 1 }", "not a valid cms.v1.BankHolidayCalendar"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto loaded = LoadText(c.text);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(loaded.status().message()), HasSubstr(c.message));
  }
  EXPECT_EQ(LoadBankHolidays({}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(BankHolidaysTest, SeveralFilesMustCoverTheSameYears) {
  const std::string ew =
      "first_year: 2027 last_year: 2027 " + Section("ENGLAND_AND_WALES", Holiday(2027, 1, 1));
  const std::string rest =
      Section("SCOTLAND", Holiday(2027, 1, 1)) + Section("NORTHERN_IRELAND", Holiday(2027, 1, 1));
  auto ok = LoadBankHolidays({{"a.textproto", ew},
                              {"b.textproto",
                               "first_year: 2027 last_year: "
                               "2027 " +
                                   rest}});
  EXPECT_TRUE(ok.ok()) << ok.status();
  auto bad = LoadBankHolidays(
      {{"a.textproto", ew}, {"b.textproto", "first_year: 2027 last_year: 2028 " + rest}});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(
      std::string(bad.status().message()),
      HasSubstr("b.textproto: first_year, last_year: every file must cover the same years"));
}

}  // namespace
}  // namespace cms::catalog
