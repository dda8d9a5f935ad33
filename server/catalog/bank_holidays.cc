#include "server/catalog/bank_holidays.h"

#include <array>
#include <optional>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cms/v1/catalog.pb.h"
#include "google/protobuf/text_format.h"

namespace cms::catalog {
namespace {

using domain::Jurisdiction;

constexpr std::array<Jurisdiction, 3> kJurisdictions = {
    Jurisdiction::kEnglandAndWales, Jurisdiction::kScotland, Jurisdiction::kNorthernIreland};

std::string DateText(const cms::v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// The day a Date names, or nullopt when it names none (absl::CivilDay
// would quietly normalise 30 February to 2 March).
std::optional<absl::CivilDay> DayOf(const cms::v1::Date& d) {
  if (d.month() < 1 || d.month() > 12 || d.day() < 1 || d.day() > 31) return std::nullopt;
  const absl::CivilDay day(d.year(), d.month(), d.day());
  if (day.year() != d.year() || day.month() != d.month() || day.day() != d.day()) {
    return std::nullopt;
  }
  return day;
}

// Every problem with one holiday (empty: none); `day` is set when the date
// is valid.
std::vector<std::string> Problems(const cms::v1::BankHoliday& h, int first_year, int last_year,
                                  std::optional<absl::CivilDay>& day) {
  std::vector<std::string> p;
  day = DayOf(h.date());
  if (h.name().empty()) p.push_back("name is required");
  if (!day) {
    p.push_back(absl::StrCat("invalid date ", DateText(h.date())));
    return p;
  }
  if (day->year() < first_year || day->year() > last_year) {
    p.push_back(absl::StrCat("outside the file's years ", first_year, "-", last_year));
  }
  const absl::Weekday w = absl::GetWeekday(*day);
  if (w == absl::Weekday::saturday || w == absl::Weekday::sunday) {
    p.push_back(absl::StrCat("falls on a ", w == absl::Weekday::saturday ? "Saturday" : "Sunday",
                             " (list the substitute weekday instead)"));
  }
  return p;
}

absl::Status Bad(const CatalogFile& file, absl::string_view entry, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("bank holidays ", file.name, ": ", entry, ": ", problem));
}

// Adds one jurisdiction's holidays to `out`, checking each and that every
// covered year has at least one.
absl::Status AddJurisdiction(const CatalogFile& file, const cms::v1::JurisdictionHolidays& list,
                             Jurisdiction j, int first_year, int last_year,
                             domain::WorkingDayCalendar& out) {
  const absl::string_view name = domain::JurisdictionName(j);
  absl::flat_hash_set<absl::CivilDay> seen;
  std::vector<bool> year_has_holiday(last_year - first_year + 1, false);
  for (int i = 0; i < list.holidays_size(); ++i) {
    const cms::v1::BankHoliday& h = list.holidays(i);
    std::optional<absl::CivilDay> day;
    std::vector<std::string> problems = Problems(h, first_year, last_year, day);
    if (day && !seen.insert(*day).second) problems.push_back("duplicate date");
    if (!problems.empty()) {
      return Bad(file,
                 absl::StrCat(name, " holiday #", i + 1, " (", DateText(h.date()),
                              h.name().empty() ? "" : absl::StrCat(", ", h.name()), ")"),
                 absl::StrJoin(problems, "; "));
    }
    year_has_holiday[day->year() - first_year] = true;
    out.AddHoliday(j, *day);
  }
  for (int y = first_year; y <= last_year; ++y) {
    if (!year_has_holiday[y - first_year]) {
      return Bad(file, name, absl::StrCat("no holiday in ", y, " (is a year of data missing?)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<domain::WorkingDayCalendar> LoadBankHolidays(const std::vector<CatalogFile>& files) {
  domain::WorkingDayCalendar out;
  std::optional<std::pair<int, int>> years;
  std::array<bool, 3> listed = {false, false, false};
  for (const CatalogFile& file : files) {
    cms::v1::BankHolidayCalendar parsed;
    if (!google::protobuf::TextFormat::ParseFromString(file.text, &parsed)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "bank holidays ", file.name, " is not a valid cms.v1.BankHolidayCalendar textproto"));
    }
    const int first = parsed.first_year(), last = parsed.last_year();
    if (first < 1 || last < first || last - first > 100) {
      return Bad(file, "first_year, last_year",
                 absl::StrCat("a range of years is required (got ", first, "-", last, ")"));
    }
    if (years && *years != std::make_pair(first, last)) {
      return Bad(file, "first_year, last_year",
                 absl::StrCat("every file must cover the same years (", years->first, "-",
                              years->second, ", not ", first, "-", last, ")"));
    }
    years = {first, last};
    for (int i = 0; i < parsed.jurisdictions_size(); ++i) {
      const cms::v1::JurisdictionHolidays& list = parsed.jurisdictions(i);
      const std::optional<Jurisdiction> j = domain::ParseJurisdiction(list.jurisdiction());
      if (!j) {
        return Bad(file, absl::StrCat("jurisdiction #", i + 1),
                   absl::StrCat("unknown jurisdiction \"", list.jurisdiction(),
                                "\" (ENGLAND_AND_WALES, SCOTLAND or NORTHERN_IRELAND)"));
      }
      bool& was_listed = listed[static_cast<size_t>(*j)];
      if (was_listed) {
        return Bad(file, list.jurisdiction(), "jurisdiction listed twice");
      }
      was_listed = true;
      absl::Status added = AddJurisdiction(file, list, *j, first, last, out);
      if (!added.ok()) return added;
    }
  }
  if (!years) return absl::InvalidArgumentError("there are no bank holiday files");
  for (Jurisdiction j : kJurisdictions) {
    if (!listed[static_cast<size_t>(j)]) {
      return absl::InvalidArgumentError(
          absl::StrCat("bank holidays: no file lists ", domain::JurisdictionName(j)));
    }
  }
  out.SetCoveredYears(years->first, years->second);
  return out;
}

}  // namespace cms::catalog
