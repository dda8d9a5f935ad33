// The mixed master case (S5.14; reference segment5-compliance-opportunity,
// "When creating a new schedule…"): a paying parent's cases (their master
// case, our casegroup) of which at least one is under a Segment 5
// compliance opportunity and at least one is not. A new schedule for any
// case of such a PP is not created silently: it is held for manual
// allocation review (the reference: "contact AAC to consider whether manual
// allocation may be appropriate"), because the PP's payments must be
// allocated so that the trial case's non-enforced payments are judged on
// their own (S5.8) while the other case's arrears are collected.
//
// Decisions the SPEC leaves open, taken here:
// - "Under a compliance opportunity" is an opportunity ACCEPTED whose trial
//   has not ended (no end date yet, or today before it: the trial runs to
//   its end date, S5.7), or OUTCOME_DUE (the trial ended, its outcome not
//   yet decided). OFFERED, DECLINED, WITHDRAWN, ASSESSING, NOT_ELIGIBLE and
//   no opportunity at all are not under one.
// - The reference qualifies the other case (a separate application after
//   the legacy T-date with CSA or 2012 arrears, or CSA arrears being
//   rescheduled). The server holds no CSA arrears balance and does not know
//   when legacy arrears transition, so it cannot rule those conditions out:
//   every mixed master case is held, and the facts the server does know
//   (application date against the PP's legacy T-date, a legacy link, the
//   live 2012 arrears) are written into the explanation for the reviewer,
//   who decides. Holding too often costs a review; creating silently is what
//   S5.14 forbids.
// - A closed case (lifecycle CLOSED) takes no schedule and no payment: it
//   is left out, but the case the schedule is for always counts.
// - Every case of the PP counts, the trial case included: a new schedule
//   for the trial case itself is held too while the PP has another case
//   that is not under the opportunity.
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/compliance.pb.h"

namespace cms::domain {

inline constexpr char kMixedMasterRule[] = "S5.14";

// What the rule reads of one case of the paying parent.
struct MasterCaseMember {
  int64_t case_id = 0;
  bool closed = false;  // lifecycle CLOSED
  // The case's compliance opportunity, when it has one.
  std::optional<cms::v1::ComplianceState> opportunity_state;
  std::optional<absl::CivilDay> trial_end;  // the opportunity's end date, once set
  // For the reviewer only (they never change the decision):
  std::optional<absl::CivilDay> application_date;
  std::optional<absl::CivilDay> legacy_t_date;  // of the case's own legacy link
  bool legacy_link = false;
  int64_t arrears_2012_pence = 0;  // due and unpaid scheduled amounts today (M7.6)
};

struct MixedMasterDecision {
  bool mixed = false;
  std::vector<int64_t> under;      // cases under a compliance opportunity, in input order
  std::vector<int64_t> not_under;  // the others (closed ones left out)
  // Why, naming the cases: e.g. "case 7 is under a Segment 5 compliance
  // opportunity (ACCEPTED, trial to 2027-07-17) and case 9 is not (no
  // compliance opportunity; applied 2027-03-08, after the PP's legacy
  // T-date 2027-03-01): ..."
  std::string explanation;
};

// True when the case is under a compliance opportunity on `today`.
bool UnderComplianceOpportunity(const MasterCaseMember& m, absl::CivilDay today);

// Whether a new schedule for `schedule_case_id` (one of `cases`, the PP's
// every case) is a mixed master case on `today`. INVALID_ARGUMENT when the
// case is not among `cases`.
absl::StatusOr<MixedMasterDecision> JudgeMixedMasterCase(const std::vector<MasterCaseMember>& cases,
                                                         int64_t schedule_case_id,
                                                         absl::CivilDay today);

}  // namespace cms::domain
