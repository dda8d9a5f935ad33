// libFuzzer target (issue 17): dates and the working-day calendar (AR10.6,
// AG11.3, M7.5). The first byte picks one:
//   the shipped UK bank holidays (catalog/bank_holidays.textproto, loaded as
//   the server loads them) asked for the n-th working day after any day of
//   any year, in each jurisdiction, checked against a day-by-day count;
//   a P2P schedule's due dates (monthly clamping to the month's end); and
//   the calendar loader itself over a fuzzed text proto (it must refuse a
//   bad file with a message, never crash).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "server/catalog/bank_holidays.h"
#include "server/domain/schedule.h"
#include "server/domain/working_days.h"

namespace {

namespace d = cms::domain;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

const d::WorkingDayCalendar& Shipped() {
  static const auto* calendar = [] {
    auto loaded = cms::catalog::LoadBankHolidays(cms::catalog::EmbeddedBankHolidayFiles());
    if (!loaded.ok()) __builtin_trap();
    return new d::WorkingDayCalendar(*std::move(loaded));
  }();
  return *calendar;
}

absl::CivilDay AnyDay(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) {  // around the covered years
    return absl::CivilDay(2024, 1, 1) + in.ConsumeIntegralInRange<int>(-400, 3000);
  }
  // A cms.v1.Date's int32 parts, as a use case builds a day from them.
  return absl::CivilDay(in.ConsumeIntegral<int32_t>(), in.ConsumeIntegral<int32_t>(),
                        in.ConsumeIntegral<int32_t>());
}

void WorkingDays(FuzzedDataProvider& in) {
  const d::WorkingDayCalendar& calendar = Shipped();
  const auto j = static_cast<d::Jurisdiction>(in.ConsumeIntegralInRange<int>(0, 2));
  const absl::CivilDay from = AnyDay(in);
  const int n =
      in.ConsumeBool() ? in.ConsumeIntegralInRange<int>(-3, 400) : in.ConsumeIntegral<int>();
  (void)calendar.IsBankHoliday(j, from);
  (void)calendar.IsWorkingDay(j, from);
  (void)d::JurisdictionName(j);
  auto day = calendar.AddWorkingDays(j, from, n);
  if (!day.ok()) return;
  Check(calendar.Covers(*day) && calendar.IsWorkingDay(j, *day));
  Check(n <= 0 ? *day >= from : *day > from);
  // Day by day: exactly n working days in (from, day] (n = 0: none before).
  if (n > 0 && n <= 400) {
    int counted = 0;
    for (absl::CivilDay x = from + 1; x <= *day; ++x) counted += calendar.IsWorkingDay(j, x);
    Check(counted == n);
  }
}

void DueDates(FuzzedDataProvider& in) {
  const absl::CivilDay first = AnyDay(in);
  const auto frequency = static_cast<d::Frequency>(in.ConsumeIntegralInRange<int>(0, 3));
  const int n = in.ConsumeIntegralInRange<int>(0, 2 * d::kMaxScheduleDays);
  const absl::CivilDay due = d::DueDate(first, frequency, n);
  if (n > 0) Check(due > first);
  if (frequency == d::Frequency::kMonthly) {
    // The first collection's day of month, clamped to the month's last day.
    const int last = (absl::CivilDay(absl::CivilMonth(due) + 1) - 1).day();
    Check(due.day() == std::min<int>(first.day(), last));
  }
}

void Loader(FuzzedDataProvider& in) {
  std::vector<cms::catalog::CatalogFile> files(in.ConsumeIntegralInRange<size_t>(1, 2));
  for (auto& f : files) {
    f.name = "fuzz.textproto";
    f.text = in.ConsumeRandomLengthString(4000);
  }
  auto loaded = cms::catalog::LoadBankHolidays(files);
  if (!loaded.ok()) {
    Check(!loaded.status().message().empty());
    return;
  }
  (void)loaded->AddWorkingDays(d::Jurisdiction::kScotland,
                               absl::CivilDay(loaded->first_year(), 1, 1),
                               in.ConsumeIntegralInRange<int>(0, 300));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 2)) {
    case 0:
      WorkingDays(in);
      break;
    case 1:
      DueDates(in);
      break;
    default:
      Loader(in);
  }
  return 0;
}
