#include "server/domain/compliance_decisions.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"
#include "server/domain/compliance_outcome.h"

namespace cms::domain {

using cms::v1::ComplianceAction;
using cms::v1::ComplianceReason;

std::vector<FieldProblem> OutcomeProblems(ComplianceAction action, ComplianceReason reason,
                                          cms::v1::UnlikelyToPayStatus utp,
                                          const std::string& dp_rejected_reason, bool ended_early) {
  std::vector<FieldProblem> out;
  const bool fail = action == cms::v1::COMPLIANCE_ACTION_FAIL;
  if (ended_early && action == cms::v1::COMPLIANCE_ACTION_PASS) {
    out.push_back({"action", "the trial ended early: ENDED_EARLY or FAIL (S5.12)"});
  } else if (!ended_early && action == cms::v1::COMPLIANCE_ACTION_ENDED_EARLY) {
    out.push_back({"action", "the trial ran to its end date: PASS or FAIL (S5.8)"});
  } else if (action == cms::v1::COMPLIANCE_ACTION_UNSPECIFIED ||
             !cms::v1::ComplianceAction_IsValid(action)) {
    out.push_back({"action", ended_early ? "ENDED_EARLY or FAIL" : "PASS or FAIL"});
  }
  const ComplianceReason want = fail ? cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT
                                     : cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED;
  if (reason == cms::v1::COMPLIANCE_REASON_UNSPECIFIED ||
      !cms::v1::ComplianceReason_IsValid(reason)) {
    out.push_back({"reason", "ALL_PAYMENTS_RECEIVED or PAYMENT_DEFAULT"});
  } else if (action != cms::v1::COMPLIANCE_ACTION_UNSPECIFIED && reason != want) {
    out.push_back(
        {"reason", absl::StrCat(ShortName(action), " goes with ", ShortName(want), " (S5.8)")});
  }
  if (utp != cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE &&
      utp != cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY) {
    out.push_back({"utp_status", "NOT_APPLICABLE (pass) or NRP_UNLIKELY_TO_PAY (fail)"});
  } else if (fail && utp != cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY) {
    out.push_back({"utp_status", "a FAIL fails the Unlikely to Pay check too (S5.10)"});
  }
  if (utp == cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY && dp_rejected_reason.empty()) {
    out.push_back({"dp_rejected_reason", "required with a failed Unlikely to Pay check (S5.10)"});
  }
  if (dp_rejected_reason.size() > 2000) {
    out.push_back({"dp_rejected_reason", "at most 2000 characters"});
  }
  return out;
}

absl::CivilDay AddMonths(absl::CivilDay day, int months) {
  const absl::CivilMonth month = absl::CivilMonth(day) + months;
  const absl::CivilDay last = absl::CivilDay(month + 1) - 1;
  const absl::CivilDay same(month.year(), month.month(), day.day());
  // CivilDay normalises 30 February to early March: clip to the month.
  return same > last ? last : same;
}

ExtensionCheck CheckExtension(absl::CivilDay end, absl::CivilDay proposed,
                              std::optional<absl::CivilDay> annual_review) {
  ExtensionCheck out;
  if (proposed <= end) {
    out.problem =
        absl::StrCat("after the current end date ", absl::FormatCivilTime(end), " (S5.11)");
    return out;
  }
  int months = 0;
  for (int n = 1; AddMonths(end, n) <= proposed; ++n) {
    if (AddMonths(end, n) == proposed) months = n;
  }
  if (months == 0) {
    out.problem =
        absl::StrCat("whole calendar months after the end date ", absl::FormatCivilTime(end),
                     ", e.g. ", absl::FormatCivilTime(AddMonths(end, 1)), " (S5.11)");
    return out;
  }
  if (annual_review.has_value() && proposed > *annual_review) {
    out.problem = absl::StrCat("never past the annual review date ",
                               absl::FormatCivilTime(*annual_review), " (S5.11)");
    return out;
  }
  out.months = months;
  return out;
}

cms::v1::ProposedOutcome ProposeEarlyEnd(cms::v1::EarlyEndReason reason,
                                         const std::vector<cms::v1::ScheduleItem>& items,
                                         absl::CivilDay start, absl::CivilDay day) {
  cms::v1::ProposedOutcome p = ProposeOutcome(items, start, day);
  const bool paid = p.action() == cms::v1::COMPLIANCE_ACTION_PASS;
  switch (reason) {
    case cms::v1::EARLY_END_REASON_CHANGE_TO_DIRECT_PAY:
      p.set_action(cms::v1::COMPLIANCE_ACTION_ENDED_EARLY);
      p.set_reason(cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED);
      p.set_explanation(absl::StrCat(
          "the RP asked for direct pay: Ended Early / All Payments Received (S5.12); the "
          "payments so far: ",
          p.explanation()));
      return p;
    case cms::v1::EARLY_END_REASON_MISSED_PAYMENTS:
      p.set_action(cms::v1::COMPLIANCE_ACTION_FAIL);
      p.set_reason(cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT);
      p.set_explanation(absl::StrCat(
          "a missed payment with no valid reason to extend: Fail / Payment Default (S5.12); the "
          "payments so far: ",
          p.explanation()));
      return p;
    default:
      p.set_action(paid ? cms::v1::COMPLIANCE_ACTION_ENDED_EARLY : cms::v1::COMPLIANCE_ACTION_FAIL);
      p.set_explanation(absl::StrCat(
          ShortName(reason), ": ",
          paid ? "every expected payment so far was made: Ended Early / All Payments Received"
               : "not every expected payment so far was made: Fail / Payment Default",
          " (S5.12); ", p.explanation()));
      return p;
  }
}

}  // namespace cms::domain
