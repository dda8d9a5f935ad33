#include "server/domain/arrears.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "server/base/status_macros.h"

namespace cms::domain {

absl::StatusOr<Pence> ArrearsBalance(const std::vector<ClassifiedItem>& items,
                                     absl::CivilDay today) {
  Pence total = 0;
  for (const ClassifiedItem& c : items) {
    if (c.item.due > today) continue;
    CMS_ASSIGN_OR_RETURN(const Pence owed,
                         SubtractPence(c.item.expected_amount, c.paid, "an item's shortfall"));
    CMS_ASSIGN_OR_RETURN(total, AddPence(total, std::max<Pence>(0, owed), "the arrears"));
  }
  return total;
}

absl::StatusOr<Statement> BuildStatement(const std::vector<ScheduleItem>& items,
                                         const std::vector<Payment>& payments,
                                         const std::vector<ChargeEntry>& charges,
                                         absl::CivilDay today) {
  Statement out;
  for (const ScheduleItem& item : items) {
    if (item.due > today || item.expected_amount == 0) continue;
    out.lines.push_back({item.due, StatementLineKind::kScheduleDue,
                         absl::StrCat("Due (", PaymentMethodName(item.expected_method), ")"),
                         item.expected_amount, 0, 0});
  }
  for (const ChargeEntry& charge : charges) {
    if (charge.effective > today) continue;
    out.lines.push_back(
        {charge.effective, StatementLineKind::kCharge, charge.kind, charge.amount, 0, 0});
  }
  for (const Payment& payment : payments) {
    if (payment.received > today) continue;
    out.lines.push_back({payment.received, StatementLineKind::kPayment,
                         absl::StrCat("Payment (", PaymentMethodName(payment.method), ")"), 0,
                         payment.amount, 0});
  }
  // Kinds are declared in the order they go on one date.
  std::stable_sort(out.lines.begin(), out.lines.end(),
                   [](const StatementLine& a, const StatementLine& b) {
                     if (a.date != b.date) return a.date < b.date;
                     return a.kind < b.kind;
                   });
  Pence balance = 0;
  for (StatementLine& line : out.lines) {
    CMS_ASSIGN_OR_RETURN(balance, AddPence(balance, line.debit, "the statement's running balance"));
    CMS_ASSIGN_OR_RETURN(balance,
                         SubtractPence(balance, line.credit, "the statement's running balance"));
    line.balance = balance;
  }
  out.closing_balance = balance;
  return out;
}

absl::StatusOr<Pence> CasegroupBalance(const std::vector<Statement>& case_statements) {
  Pence total = 0;
  for (const Statement& s : case_statements) {
    CMS_ASSIGN_OR_RETURN(total, AddPence(total, s.closing_balance, "the casegroup's balance"));
  }
  return total;
}

absl::StatusOr<Pence> CasegroupArrears(const std::vector<Pence>& case_arrears) {
  Pence total = 0;
  for (Pence a : case_arrears) {
    CMS_ASSIGN_OR_RETURN(total, AddPence(total, a, "the casegroup's arrears"));
  }
  return total;
}

}  // namespace cms::domain
