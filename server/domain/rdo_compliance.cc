#include "server/domain/rdo_compliance.h"

#include <algorithm>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

// "£81.00 of £90.00 due 2027-03-01".
std::string Receipt(const RdoReceipt& r) {
  return absl::StrCat(FormatPounds(r.received), " of ", FormatPounds(r.expected), " due ",
                      absl::FormatCivilTime(r.due));
}

const char* Kind(const RdoReceipt& r) { return r.lump_sum ? "LSDO" : "RDO"; }

}  // namespace

bool IsRdoShortfall(Pence expected, Pence received) {
  if (expected <= 0) return false;
  return absl::int128(received) * 10 < absl::int128(expected) * 9;
}

RdoCompliance AssessRdoCompliance(const std::vector<RdoReceipt>& receipts,
                                  bool negotiation_failed) {
  RdoCompliance out;
  // The receipts the reason names, found in one pass; formatted once.
  const RdoReceipt* first_short = nullptr;
  for (const RdoReceipt& r : receipts) {
    if (!r.decided) continue;
    if (r.lump_sum && r.received >= r.expected && r.expected > 0) {
      out.decision = RdoDecision::kCompliant;
      out.reason = absl::StrCat("the LSDO was paid in full (", Receipt(r),
                                "): the case returns to MAINTENANCE (AR10.6)");
      return out;
    }
    if (IsRdoShortfall(r.expected, r.received)) {
      ++out.shortfalls;
      if (first_short == nullptr) {
        first_short = &r;
        continue;
      }
      out.decision = RdoDecision::kLiabilityOrder;
      out.reason =
          absl::StrCat("a second ", Kind(r), " payment below 90% (", Receipt(r), "; the first ",
                       Receipt(*first_short), "): the liability order path (AR10.6)");
      return out;
    }
    if (++out.full_payments == kRdoFullPaymentsForCompliance) {
      out.decision = RdoDecision::kCompliant;
      out.reason = absl::StrCat("the third full RDO payment (", Receipt(r),
                                "): the case returns to MAINTENANCE (AR10.6)");
      return out;
    }
  }
  if (first_short != nullptr && negotiation_failed) {
    out.decision = RdoDecision::kLiabilityOrder;
    out.reason = absl::StrCat("the negotiation of the RDO shortfall (", Receipt(*first_short),
                              ") failed: the liability order path (AR10.6)");
  } else if (first_short != nullptr) {
    out.decision = RdoDecision::kNegotiate;
    out.reason =
        absl::StrCat("the first ", Kind(*first_short), " payment below 90% (",
                     Receipt(*first_short), "): negotiate the shortfall with the PP (AR10.6)");
  } else {
    out.reason = absl::StrCat(out.full_payments, " of ", kRdoFullPaymentsForCompliance,
                              " full RDO payments so far and no shortfall: DOT monitors (AR10.6)");
  }
  return out;
}

absl::StatusOr<absl::CivilDay> RdoReviewDate(absl::CivilDay third_due, Jurisdiction j,
                                             const WorkingDayCalendar& calendar) {
  return calendar.AddWorkingDays(j, third_due, kRdoReviewWorkingDays);
}

absl::CivilDay RdoPaymentDue(const RdoSchedule& rdo, int n) {
  return DueDate(rdo.first, rdo.frequency, n);
}

int RdoPaymentIndex(const RdoSchedule& rdo, absl::CivilDay day) {
  int n = 0;
  absl::CivilDay due = rdo.first;
  while (due < day) due = RdoPaymentDue(rdo, ++n);
  return due == day ? n : -1;
}

DayRange RdoReceiptWindow(const RdoSchedule& rdo, int n, int tolerance_days) {
  const absl::CivilDay to = RdoPaymentDue(rdo, n) + tolerance_days;
  if (n == 0) return {std::min(rdo.set_up, to), to};
  return {RdoPaymentDue(rdo, n - 1) + tolerance_days + 1, to};
}

absl::CivilDay RdoJudgedOn(const RdoSchedule& rdo, int n, int tolerance_days) {
  return RdoPaymentDue(rdo, n) + tolerance_days + 1;
}

}  // namespace cms::domain
