#include "server/domain/schedule.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

int DaysInMonth(absl::CivilMonth month) {
  return static_cast<int>((absl::CivilDay(month + 1) - 1).day());
}

}  // namespace

Pence PeriodAmount(Pence weekly_liability, Frequency frequency) {
  switch (frequency) {
    case Frequency::kWeekly:
      return weekly_liability;
    case Frequency::kFortnightly:
      return weekly_liability * 2;
    case Frequency::kFourWeekly:
      return weekly_liability * 4;
    case Frequency::kMonthly:
      return DivideRoundHalfUp(weekly_liability * 52, 12);
  }
  return 0;
}

absl::CivilDay DueDate(absl::CivilDay first, Frequency frequency, int n) {
  switch (frequency) {
    case Frequency::kWeekly:
      return first + 7 * n;
    case Frequency::kFortnightly:
      return first + 14 * n;
    case Frequency::kFourWeekly:
      return first + 28 * n;
    case Frequency::kMonthly: {
      const absl::CivilMonth month = absl::CivilMonth(first) + n;
      const int day = std::min(static_cast<int>(first.day()), DaysInMonth(month));
      return absl::CivilDay(month.year(), month.month(), day);
    }
  }
  return first;
}

std::vector<Pence> SplitByShares(Pence amount, const std::vector<MethodShare>& shares) {
  std::vector<Pence> parts;
  parts.reserve(shares.size());
  Pence allocated = 0;
  size_t largest = 0;
  for (size_t i = 0; i < shares.size(); ++i) {
    parts.push_back(PercentOfRoundDown(amount, shares[i].share_percent));
    allocated += parts.back();
    if (shares[i].share_percent > shares[largest].share_percent) largest = i;
  }
  if (!parts.empty()) parts[largest] += amount - allocated;
  return parts;
}

absl::StatusOr<std::vector<ScheduleItem>> GenerateSchedule(const ScheduleInput& input) {
  FieldErrors errors;
  if (auto problem = AmountProblem(input.weekly_liability, AmountSign::kPositive)) {
    errors.Add("weekly_liability", *problem);
  }
  if (input.shares.empty()) {
    errors.Add("shares", "a schedule needs at least one active method");
  } else {
    int64_t total = 0;
    for (size_t i = 0; i < input.shares.size(); ++i) {
      const int share = input.shares[i].share_percent;
      if (share < 1 || share > 100) {
        errors.Add(absl::StrCat("shares[", i, "].share_percent"),
                   absl::StrCat("a share is 1 to 100 percent, not ", share));
      }
      total += share;
    }
    if (total != 100) errors.Add("shares", absl::StrCat("shares total ", total, "%, not 100%"));
  }
  if (input.first_collection >= input.next_annual_review) {
    errors.Add("first_collection", absl::StrCat("must be before the next annual review ",
                                                absl::FormatCivilTime(input.next_annual_review)));
  } else if (input.next_annual_review - input.first_collection > kMaxScheduleDays) {
    errors.Add("next_annual_review", absl::StrCat("a schedule spans at most ", kMaxScheduleDays,
                                                  " days from the first collection"));
  }
  if (!errors.empty()) return errors.ToStatus("M7.5");

  const Pence amount = PeriodAmount(input.weekly_liability, input.frequency);
  const std::vector<Pence> parts = SplitByShares(amount, input.shares);
  std::vector<ScheduleItem> items;
  int sequence = 0;
  for (int n = 0;; ++n) {
    const absl::CivilDay due = DueDate(input.first_collection, input.frequency, n);
    if (due >= input.next_annual_review) break;
    for (size_t i = 0; i < input.shares.size(); ++i) {
      items.push_back({++sequence, n + 1, due, parts[i], input.shares[i].method});
    }
  }
  return items;
}

std::optional<cms::v1::LifecycleStage> StageWhenScheduleIssued(cms::v1::LifecycleStage current) {
  if (current == cms::v1::LIFECYCLE_STAGE_APPLICATION ||
      current == cms::v1::LIFECYCLE_STAGE_NEW_CASE) {
    return cms::v1::LIFECYCLE_STAGE_P2P_ISSUED;
  }
  return std::nullopt;
}

}  // namespace cms::domain
