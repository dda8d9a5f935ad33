// AR10.6: compliance with a regular deduction order (RDO) as DOT reports it,
// and the date of the RDO review. Less than 90% of a scheduled RDO payment
// the first time → negotiate the shortfall; a second time, or a failed
// negotiation → the liability order path; the third full RDO payment (or a
// lump sum deduction order paid in full) → compliant, the case goes back to
// MAINTENANCE. The review is due at the third scheduled payment + 5 working
// days. Pure and thread-safe; AssessRdoCompliance allocates nothing but its
// reason (it runs for every RDO schedule in a nightly batch).
//
// Decisions where the SPEC and the procedure are silent:
// - The 90% boundary: a receipt is short when received < 90% of expected,
//   computed exactly in integers (received * 10 < expected * 9): 89.99% is
//   short, exactly 90% is not. A receipt with nothing expected is never
//   short.
// - A "full payment" is a receipt that is not short: the 90% is DOT's
//   tolerance, and counting only exact payments would leave a PP who pays
//   95% every time neither compliant nor in default for ever.
// - Only decided receipts count (its tolerance passed, or paid in full);
//   undecided ones (still due, or within the tolerance) are skipped.
// - Receipts are read in due order and the first decisive one wins: a
//   second shortfall → kLiabilityOrder; the third full payment (counting
//   all full payments, before or after a first shortfall) → kCompliant.
//   After them: a failed negotiation with a shortfall → kLiabilityOrder;
//   one shortfall → kNegotiate (until the third full payment clears it);
//   else kMonitoring. A failed negotiation without a shortfall is not
//   about the RDO and is ignored.
// - An LSDO receipt (lump_sum) received in full (received >= expected, no
//   tolerance: a lump sum is taken whole) → kCompliant; one not in full is
//   judged like any receipt.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"
#include "server/domain/schedule.h"
#include "server/domain/working_days.h"

namespace cms::domain {

inline constexpr int kRdoFullPaymentsForCompliance = 3;
inline constexpr int kRdoReviewWorkingDays = 5;

struct RdoReceipt {
  absl::CivilDay due;
  Pence expected = 0;
  Pence received = 0;
  bool decided = false;   // its tolerance passed, or paid in full
  bool lump_sum = false;  // an LSDO's single payment rather than an RDO's
};

enum class RdoDecision { kMonitoring, kNegotiate, kLiabilityOrder, kCompliant };

struct RdoCompliance {
  int full_payments = 0;
  int shortfalls = 0;
  RdoDecision decision = RdoDecision::kMonitoring;
  std::string reason;  // names AR10.6 and the receipt that decided
};

// received < 90% of expected (exact integer arithmetic).
bool IsRdoShortfall(Pence expected, Pence received);

// AR10.6, per the rules above; `receipts` in due order.
RdoCompliance AssessRdoCompliance(const std::vector<RdoReceipt>& receipts, bool negotiation_failed);

// The nightly RDO compliance check (AR10.6). DOT monitors the RDO and
// tells the case owner; the server does the same from the payments it
// receives by method RDO. Each scheduled payment is judged once its due
// date + the missed-payment tolerance has passed, on the RDO payments
// received in its window: after the previous payment's window up to its
// own due date + the tolerance (the first: from the day the RDO was set
// up). So a payment a few days late still counts for the payment it was
// meant for, and no receipt counts twice.
struct RdoSchedule {
  absl::CivilDay set_up;  // the day DOT reported it set up
  absl::CivilDay first;   // the first scheduled payment
  Frequency frequency = Frequency::kMonthly;
};

// The n-th scheduled payment (n = 0 is the first), on the schedules'
// calendar (DueDate).
absl::CivilDay RdoPaymentDue(const RdoSchedule& rdo, int n);

// The index of the scheduled payment due on `day`, or -1 when none is.
int RdoPaymentIndex(const RdoSchedule& rdo, absl::CivilDay day);

// The days (inclusive) whose RDO receipts count for payment n.
struct DayRange {
  absl::CivilDay from;
  absl::CivilDay to;
};
DayRange RdoReceiptWindow(const RdoSchedule& rdo, int n, int tolerance_days);

// The day payment n is judged: its due date + the tolerance + 1 (the
// tolerance's last day has passed).
absl::CivilDay RdoJudgedOn(const RdoSchedule& rdo, int n, int tolerance_days);

// AR10.6: the RDO review, the third scheduled payment's due date + 5
// working days of the PP's jurisdiction (OUT_OF_RANGE past the calendar).
absl::StatusOr<absl::CivilDay> RdoReviewDate(absl::CivilDay third_due, Jurisdiction j,
                                             const WorkingDayCalendar& calendar);

}  // namespace cms::domain
