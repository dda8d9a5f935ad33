// Working days: AR10.6's "third scheduled payment + 5 working days" (the RDO
// review) and AG11.3's "20 working days". A working day is a Monday to
// Friday that is not a bank holiday of the PP's jurisdiction; the three UK
// jurisdictions keep different bank holidays (Scotland: 2 January, St
// Andrew's Day, the first Monday of August, no Easter Monday; Northern
// Ireland: St Patrick's Day and the Battle of the Boyne). The holidays are
// data (server/catalog/bank_holidays.textproto, loaded by
// server/catalog/bank_holidays.h); this unit only counts.
//
// Thread-safety: a WorkingDayCalendar is filled once (AddHoliday,
// SetCoveredYears) and then only read; concurrent reads are safe.
//
// Decisions where the SPEC is silent:
// - Jurisdiction (JurisdictionOf): Northern Ireland when the case's country
//   is NI (C2.4: a BT postcode); for GB, Scotland when the PP's postcode
//   area is one of AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE, else
//   England and Wales (also for a missing or non-UK postcode, and for an
//   UNSPECIFIED country). Some TD postcodes (Berwick-upon-Tweed, TD15) and a
//   few DG ones near the border lie in England: the postcode area is the
//   rule the service uses, as it is for the region (C2.4); there is no
//   street-level look-up.
// - AddWorkingDays(j, from, n): the n-th working day after `from`, `from`
//   itself not counted (Thursday + 1 = Friday; Friday + 1 = Monday). n = 0
//   is `from` when it is a working day, else the next working day (a date
//   "on or after" a day). n < 0 is INVALID_ARGUMENT: nothing counts back.
// - Coverage: the calendar knows the holidays of [first_year, last_year]
//   only. AddWorkingDays fails with OUT_OF_RANGE naming the year when it
//   would have to judge a day outside those years (for n > 0 the days
//   after `from`; for n = 0, `from` too): a date past the data is refused,
//   never silently counted as weekends-only. The loader's calendar covers
//   2025-2030; the next years are added to the data file before they are
//   needed. A default-constructed calendar covers no year.
// - IsWorkingDay / IsBankHoliday answer for any day; outside the covered
//   years no day is a bank holiday (weekends only): callers that must not
//   guess check Covers(day) first, as AddWorkingDays does.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "cms/v1/common.pb.h"

namespace cms::domain {

enum class Jurisdiction { kEnglandAndWales, kScotland, kNorthernIreland };

// "ENGLAND_AND_WALES", "SCOTLAND", "NORTHERN_IRELAND": the data file's
// spelling.
absl::string_view JurisdictionName(Jurisdiction j);

// The inverse of JurisdictionName (exact spelling); nullopt otherwise.
std::optional<Jurisdiction> ParseJurisdiction(absl::string_view name);

// The jurisdiction whose bank holidays apply to a PP (rules above).
Jurisdiction JurisdictionOf(cms::v1::Country country, absl::string_view normalised_pp_postcode);

class WorkingDayCalendar {
 public:
  // Adding the same day twice keeps one.
  void AddHoliday(Jurisdiction j, absl::CivilDay day);
  // The years the holiday lists are complete for, inclusive.
  void SetCoveredYears(int first_year, int last_year);

  // Whether `day` falls in the covered years.
  bool Covers(absl::CivilDay day) const;
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

  bool IsBankHoliday(Jurisdiction j, absl::CivilDay day) const;
  // Monday to Friday and not a bank holiday of `j`.
  bool IsWorkingDay(Jurisdiction j, absl::CivilDay day) const;

  // The n-th working day after `from` (n = 0: `from` if working, else the
  // next working day). OUT_OF_RANGE naming the year when the walk leaves the
  // covered years; INVALID_ARGUMENT for n < 0.
  absl::StatusOr<absl::CivilDay> AddWorkingDays(Jurisdiction j, absl::CivilDay from, int n) const;

 private:
  // Sorted and unique per jurisdiction: a lookup is a binary search of
  // about ten days a year, with no allocation.
  std::array<std::vector<absl::CivilDay>, 3> holidays_;
  int first_year_ = 1;  // covers nothing until SetCoveredYears
  int last_year_ = 0;
};

}  // namespace cms::domain
