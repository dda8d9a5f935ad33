// Arrears (M7.6) and the account statement: the live arrears of a case, a
// dated statement of what fell due, what was charged and what was paid
// with a running balance, and a casegroup's balance as the sum of its
// cases. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - Boundary: an item is in arrears from its due date, i.e. ArrearsBalance
//   sums expected - paid over items with due <= today. That is consistent
//   with MISSED detection (payments.h): an item is MISSED or PARTIAL only
//   when today > due + tolerance, so every MISSED / PARTIAL shortfall is in
//   arrears, and an unpaid item within the tolerance (PENDING) is already
//   owed but not yet "missed". Pass the classification made for the same
//   `today`.
// - Arrears are scheduled amounts only (M7.6); fees and charges are owed
//   too but shown on the statement, not in the arrears. Unallocated credit
//   does not reduce arrears (there is none while any item is unpaid).
// - Statement: lines dated on or before `today` only (future items are not
//   yet owed). An item's expected amount is a debit on its due date, a
//   charge a debit on its effective date, a payment a credit on its
//   received date. On one date, debits come before credits (items, then
//   charges, then payments; each in input order), so paying on the due
//   date shows the balance back at its old value rather than dipping
//   below. balance = debits - credits so far; negative means in credit.
//   Items of 0p are left off.
// - A casegroup's balance is the sum of its cases' closing balances; its
//   arrears the sum of its cases' arrears.
// - Every sum is checked (money.h): one that overflows 64-bit pence is
//   FAILED_PRECONDITION (AMOUNT_OVERFLOW) naming the sum, never a wrapped
//   balance. Amounts the API takes are bounded, so only rows stored before
//   the bound can get there.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"
#include "server/domain/payments.h"
#include "server/domain/schedule.h"

namespace cms::domain {

// M7.6: sum of (expected - paid) over items due on or before `today`.
absl::StatusOr<Pence> ArrearsBalance(const std::vector<ClassifiedItem>& items,
                                     absl::CivilDay today);

enum class StatementLineKind { kScheduleDue, kCharge, kPayment };

struct StatementLine {
  absl::CivilDay date;
  StatementLineKind kind = StatementLineKind::kScheduleDue;
  std::string description;  // e.g. "Due (DD)", "DEO_CHARGE", "Payment (DEO)"
  Pence debit = 0;
  Pence credit = 0;
  Pence balance = 0;  // running: debits - credits up to and including this line
  bool operator==(const StatementLine&) const = default;
};

struct Statement {
  std::vector<StatementLine> lines;
  Pence closing_balance = 0;
};

// The statement of one case as of `today`, per the rules above.
absl::StatusOr<Statement> BuildStatement(const std::vector<ScheduleItem>& items,
                                         const std::vector<Payment>& payments,
                                         const std::vector<ChargeEntry>& charges,
                                         absl::CivilDay today);

// Sum of the cases' closing balances.
absl::StatusOr<Pence> CasegroupBalance(const std::vector<Statement>& case_statements);

// Sum of the cases' arrears.
absl::StatusOr<Pence> CasegroupArrears(const std::vector<Pence>& case_arrears);

}  // namespace cms::domain
