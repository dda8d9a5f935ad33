#include "server/domain/working_days.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/domain/postcode.h"

namespace cms::domain {
namespace {

// The postcode areas of Scotland (Royal Mail).
constexpr absl::string_view kScottishAreas[] = {"AB", "DD", "DG", "EH", "FK", "G",  "HS", "IV",
                                                "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"};

size_t Index(Jurisdiction j) { return static_cast<size_t>(j); }

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::Status NotCovered(absl::CivilDay day, int first_year, int last_year) {
  if (first_year > last_year) {
    return absl::OutOfRangeError(absl::StrCat("no bank holidays are known for ", day.year(),
                                              ": the working-day calendar covers no year"));
  }
  return absl::OutOfRangeError(absl::StrCat("no bank holidays are known for ", day.year(),
                                            " (the working-day calendar covers ", first_year, "-",
                                            last_year, ")"));
}

}  // namespace

absl::string_view JurisdictionName(Jurisdiction j) {
  switch (j) {
    case Jurisdiction::kEnglandAndWales:
      return "ENGLAND_AND_WALES";
    case Jurisdiction::kScotland:
      return "SCOTLAND";
    case Jurisdiction::kNorthernIreland:
      return "NORTHERN_IRELAND";
  }
  return "UNKNOWN";
}

std::optional<Jurisdiction> ParseJurisdiction(absl::string_view name) {
  for (Jurisdiction j :
       {Jurisdiction::kEnglandAndWales, Jurisdiction::kScotland, Jurisdiction::kNorthernIreland}) {
    if (name == JurisdictionName(j)) return j;
  }
  return std::nullopt;
}

Jurisdiction JurisdictionOf(cms::v1::Country country, absl::string_view normalised_pp_postcode) {
  if (country == cms::v1::COUNTRY_NI) return Jurisdiction::kNorthernIreland;
  // Upper-cased first: PostcodeArea reads the normalised (upper-case) form.
  const std::string area = PostcodeArea(absl::AsciiStrToUpper(normalised_pp_postcode));
  for (absl::string_view scottish : kScottishAreas) {
    if (area == scottish) return Jurisdiction::kScotland;
  }
  return Jurisdiction::kEnglandAndWales;
}

void WorkingDayCalendar::AddHoliday(Jurisdiction j, absl::CivilDay day) {
  std::vector<absl::CivilDay>& days = holidays_[Index(j)];
  auto it = std::lower_bound(days.begin(), days.end(), day);
  if (it == days.end() || *it != day) days.insert(it, day);
}

void WorkingDayCalendar::SetCoveredYears(int first_year, int last_year) {
  first_year_ = first_year;
  last_year_ = last_year;
}

bool WorkingDayCalendar::Covers(absl::CivilDay day) const {
  return day.year() >= first_year_ && day.year() <= last_year_;
}

bool WorkingDayCalendar::IsBankHoliday(Jurisdiction j, absl::CivilDay day) const {
  const std::vector<absl::CivilDay>& days = holidays_[Index(j)];
  return std::binary_search(days.begin(), days.end(), day);
}

bool WorkingDayCalendar::IsWorkingDay(Jurisdiction j, absl::CivilDay day) const {
  return !IsWeekend(day) && !IsBankHoliday(j, day);
}

absl::StatusOr<absl::CivilDay> WorkingDayCalendar::AddWorkingDays(Jurisdiction j,
                                                                  absl::CivilDay from,
                                                                  int n) const {
  if (n < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("working days are counted forward only (asked for ", n, ")"));
  }
  absl::CivilDay day = from;
  if (n == 0) {
    // "On or after": `from` itself is judged, then each next day.
    for (;; ++day) {
      if (!Covers(day)) return NotCovered(day, first_year_, last_year_);
      if (IsWorkingDay(j, day)) return day;
    }
  }
  for (int counted = 0; counted < n;) {
    ++day;
    if (!Covers(day)) return NotCovered(day, first_year_, last_year_);
    if (IsWorkingDay(j, day)) ++counted;
  }
  return day;
}

}  // namespace cms::domain
