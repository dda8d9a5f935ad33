#include "server/domain/compliance_twelve_months.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

cms::v1::Date DateOf(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

}  // namespace

cms::v1::TwelveMonthStatus TwelveMonthRun(const std::vector<cms::v1::ScheduleItem>& items,
                                          absl::CivilDay from, absl::CivilDay today) {
  // Each month's verdict: true when every item due in it was paid in full
  // and on time.
  std::map<absl::CivilMonth, bool> months;
  const absl::CivilMonth first(from);
  const absl::CivilMonth current(today);
  for (const cms::v1::ScheduleItem& i : items) {
    if (i.status() == cms::v1::ITEM_STATUS_SUPERSEDED) continue;
    const absl::CivilMonth m(absl::CivilDay(i.due_date().year(), i.due_date().month(), 1));
    if (m < first || m >= current) continue;
    auto [it, inserted] = months.emplace(m, true);
    if (!(i.in_full() && i.on_time())) it->second = false;
  }
  cms::v1::TwelveMonthStatus out;
  int run = 0;
  absl::CivilMonth run_start;
  for (auto it = months.rbegin(); it != months.rend() && it->second; ++it) {
    ++run;
    run_start = it->first;
  }
  out.set_consecutive_months(run);
  if (run > 0) *out.mutable_run_start() = DateOf(absl::CivilDay(run_start));
  out.set_reached(run >= kTwelveMonths);
  if (out.reached()) {
    // The day after the twelfth month of the run ended.
    *out.mutable_reach_date() = DateOf(absl::CivilDay(run_start + kTwelveMonths));
    out.set_explanation(absl::StrCat(run, " consecutive months paid in full and on time from ",
                                     absl::FormatCivilTime(absl::CivilDay(run_start)),
                                     ": the PP may ask to move to a non-enforced method (S5.15)"));
  } else {
    const absl::CivilMonth start = run > 0 ? run_start : current;
    *out.mutable_reach_date() = DateOf(absl::CivilDay(start + kTwelveMonths));
    out.set_explanation(absl::StrCat(
        run, " of ", kTwelveMonths, " consecutive months paid in full and on time",
        run > 0 ? absl::StrCat(" from ", absl::FormatCivilTime(absl::CivilDay(run_start))) : "",
        "; paying every month as scheduled reaches twelve on ",
        absl::FormatCivilTime(absl::CivilDay(start + kTwelveMonths)), " (S5.15)"));
  }
  return out;
}

}  // namespace cms::domain
