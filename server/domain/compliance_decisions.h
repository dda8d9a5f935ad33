// Segment 5 decisions the caseworker records, judged (S5.8–S5.12): whether
// a recorded outcome is consistent, whether a proposed extension date is
// allowed, and what an early end proposes. Pure and thread-safe.
//
// Decisions where the SPEC and the procedure are silent:
// - Whole calendar months (S5.11): the proposed date is the current end date
//   plus N >= 1 months, keeping the day of the month; where that month is
//   shorter, its last day (31 January + 1 month = 28/29 February).
// - A FAIL always fails the UTP check (S5.10: "the PP can pass the outcome
//   and pass the UTP check, or pass the outcome and fail the UTP check").
// - After an early end the action is ENDED_EARLY or FAIL; at the scheduled
//   end, PASS or FAIL (the procedure's two lists).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "cms/v1/compliance.pb.h"
#include "cms/v1/payment.pb.h"

namespace cms::domain {

// A field of the request and what is wrong with it.
using FieldProblem = std::pair<std::string, std::string>;

// S5.8–S5.10: what is wrong with a recorded outcome (empty: nothing).
// `ended_early`: the trial ended early (S5.12). Field names are those of
// cms.v1.RecordOutcomeRequest.
std::vector<FieldProblem> OutcomeProblems(cms::v1::ComplianceAction action,
                                          cms::v1::ComplianceReason reason,
                                          cms::v1::UnlikelyToPayStatus utp,
                                          const std::string& dp_rejected_reason, bool ended_early);

// `day` plus `months` calendar months, clipped to the month's last day.
absl::CivilDay AddMonths(absl::CivilDay day, int months);

// S5.11: the number of whole months `proposed` extends `end` by, or an
// explanation of why it may not: not whole months after `end`, or past the
// annual review date (when known).
struct ExtensionCheck {
  int months = 0;       // > 0 when allowed
  std::string problem;  // empty when allowed
};
ExtensionCheck CheckExtension(absl::CivilDay end, absl::CivilDay proposed,
                              std::optional<absl::CivilDay> annual_review);

// S5.12: the proposal for a trial ended early on `day` for `reason`: the
// RP asking for direct pay → ENDED_EARLY / ALL_PAYMENTS_RECEIVED; a missed
// payment → FAIL / PAYMENT_DEFAULT; otherwise (benefit, nil assessment,
// case closed, a change of circumstance, a non-agreed method) the payments
// expected in [start, day) decide: all made → ENDED_EARLY /
// ALL_PAYMENTS_RECEIVED, else FAIL / PAYMENT_DEFAULT. `propose_time` is
// left for the caller.
cms::v1::ProposedOutcome ProposeEarlyEnd(cms::v1::EarlyEndReason reason,
                                         const std::vector<cms::v1::ScheduleItem>& items,
                                         absl::CivilDay start, absl::CivilDay day);

}  // namespace cms::domain
