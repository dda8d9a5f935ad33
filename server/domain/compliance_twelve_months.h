// The twelve-month rule (S5.15): a paying parent who declined the Segment 5
// compliance opportunity, or did not respond, may ask to move to a
// non-enforced method of payment after twelve consecutive months of
// payments. A pure function over the case's scheduled items as classified
// today. Pure and thread-safe.
#pragma once

#include <vector>

#include "absl/time/civil_time.h"
#include "cms/v1/compliance.pb.h"
#include "cms/v1/payment.pb.h"

namespace cms::domain {

inline constexpr int kTwelveMonths = 12;

// Counts, from the month of `from` (the decision) up to the last month that
// ended before `today`, the consecutive calendar months ending with that one
// in which every item due was paid in full and on time (a month with no item
// due breaks nothing and counts nothing). Fills every field but case_id and
// applies.
cms::v1::TwelveMonthStatus TwelveMonthRun(const std::vector<cms::v1::ScheduleItem>& items,
                                          absl::CivilDay from, absl::CivilDay today);

}  // namespace cms::domain
