// The P2P (promise to pay) schedule of M7.5: the dated expected payments,
// each with its amount and expected MOPF, from the first collection up to
// the next annual review. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - Due dates: weekly / fortnightly / four-weekly add 7 / 14 / 28 days to
//   the first collection. Monthly keeps the first collection's day of month
//   in every month, clamped to the month's last day, and always counts from
//   the first collection (31 Jan -> 29 Feb 2028 -> 31 Mar, never drifting to
//   the 29th).
// - Items are due strictly before the next annual review (an item on the
//   review day belongs to the next schedule).
// - Period amount: weekly x1, x2, x4; monthly = weekly x 52 / 12 rounded
//   half up to the penny.
// - Each due date is split into one item per share, in the input order of
//   the shares: share% of the period amount rounded down, the remaining
//   pennies to the largest share (the first of equal largest shares), so a
//   date's items add up exactly to the period amount. A tiny amount can
//   leave an item of 0p; it is kept (it is trivially PAID) so every date has
//   an item per method.
// - `sequence` numbers the items 1, 2, 3... in (due, share order); `period`
//   numbers the due dates 1, 2, 3... (items of the same date share it).
// - Refused (INVALID_ARGUMENT, rule M7.5): weekly_liability <= 0 or above
//   kMaxAmountPence (money.h; so a period amount, at most 52/12 of it,
//   and every item stay far inside 64-bit pence); no shares,
//   a share outside 1..100 or shares not totalling 100; first_collection not
//   before next_annual_review; or a span over kMaxScheduleDays (a defensive
//   bound: a schedule runs to the next annual review, about a year).
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/casegroup.pb.h"
#include "server/domain/money.h"

namespace cms::domain {

enum class Frequency { kWeekly, kFortnightly, kFourWeekly, kMonthly };

inline constexpr int kMaxScheduleDays = 2 * 366;

struct ScheduleInput {
  Pence weekly_liability = 0;
  Frequency frequency = Frequency::kMonthly;
  absl::CivilDay first_collection;
  absl::CivilDay next_annual_review;
  std::vector<MethodShare> shares;  // the active MOPF (ActiveShares)
};

struct ScheduleItem {
  int sequence = 0;  // 1-based, unique in the schedule
  int period = 0;    // 1-based due-date number
  absl::CivilDay due;
  Pence expected_amount = 0;
  PaymentMethod expected_method = PaymentMethod::kDd;
  bool operator==(const ScheduleItem&) const = default;
};

// The amount due each period for a weekly liability (no validation: the
// caller bounds it, as GenerateSchedule does, so the products cannot
// overflow).
Pence PeriodAmount(Pence weekly_liability, Frequency frequency);

// The n-th due date (n = 0 is `first`), per the rules above.
absl::CivilDay DueDate(absl::CivilDay first, Frequency frequency, int n);

// `amount` split by `shares` (which must total 100), per the rules above.
std::vector<Pence> SplitByShares(Pence amount, const std::vector<MethodShare>& shares);

// M7.5: the schedule, or INVALID_ARGUMENT naming the bad fields.
absl::StatusOr<std::vector<ScheduleItem>> GenerateSchedule(const ScheduleInput& input);

// R3.2 rule 5, work-allocation: a case stays in New Case until its P2P
// schedule is issued. The stage a case moves to when a schedule is issued
// for it: P2P_ISSUED from APPLICATION or NEW_CASE; none (no change) once it
// is past the new-case stage, e.g. when a schedule is revised.
std::optional<cms::v1::LifecycleStage> StageWhenScheduleIssued(cms::v1::LifecycleStage current);

}  // namespace cms::domain
