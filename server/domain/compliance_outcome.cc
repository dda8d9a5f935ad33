#include "server/domain/compliance_outcome.h"

#include "absl/strings/str_cat.h"
#include "server/base/enum_names.h"

namespace cms::domain {
namespace {

absl::CivilDay Day(const cms::v1::Date& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }

cms::v1::Date DateOf(absl::CivilDay d) {
  cms::v1::Date out;
  out.set_year(static_cast<int32_t>(d.year()));
  out.set_month(d.month());
  out.set_day(d.day());
  return out;
}

// Why a non-enforced item fails the period, or "" when it does not.
std::string Default(const cms::v1::ScheduleItem& i) {
  if (i.paid_pence() == 0) return "nothing paid";
  if (!i.in_full()) {
    return absl::StrCat("part paid: ", i.paid_pence(), "p of ", i.expected_pence(), "p");
  }
  if (!i.on_time()) return "paid in full but late";
  if (!i.agreed_method()) return "paid by a method other than the agreed one";
  return "";
}

}  // namespace

bool TrialRunsOn(const cms::v1::ComplianceOpportunity& opp, absl::CivilDay day) {
  if (opp.state() != cms::v1::COMPLIANCE_STATE_ACCEPTED || opp.start_date().year() == 0 ||
      opp.end_date().year() == 0) {
    return false;
  }
  return Day(opp.start_date()) <= day && day < Day(opp.end_date());
}

bool IsEnforcedMethod(cms::v1::PaymentMethod method) {
  return method == cms::v1::PAYMENT_METHOD_DEO || method == cms::v1::PAYMENT_METHOD_DER ||
         method == cms::v1::PAYMENT_METHOD_RDO || method == cms::v1::PAYMENT_METHOD_LSDO;
}

cms::v1::ProposedOutcome ProposeOutcome(const std::vector<cms::v1::ScheduleItem>& items,
                                        absl::CivilDay start, absl::CivilDay end) {
  cms::v1::ProposedOutcome out;
  *out.mutable_period_start() = DateOf(start);
  *out.mutable_period_end() = DateOf(end);
  int counted = 0, defaults = 0, enforced_short = 0;
  for (const cms::v1::ScheduleItem& i : items) {
    const absl::CivilDay due = Day(i.due_date());
    if (due < start || due >= end || i.status() == cms::v1::ITEM_STATUS_SUPERSEDED) continue;
    cms::v1::ProposalItem* p = out.add_items();
    p->set_schedule_item_id(i.id());
    *p->mutable_due_date() = i.due_date();
    p->set_expected_method(i.expected_method());
    p->set_expected_pence(i.expected_pence());
    p->set_paid_pence(i.paid_pence());
    p->set_on_time(i.on_time());
    p->set_in_full(i.in_full());
    p->set_agreed_method(i.agreed_method());
    const std::string fault = Default(i);
    if (IsEnforcedMethod(i.expected_method())) {
      p->set_counted(false);
      if (!fault.empty()) ++enforced_short;
      p->set_finding(fault.empty() ? "collected by the enforced method"
                                   : absl::StrCat(fault,
                                                  ": an enforced method's shortfall is "
                                                  "outside the PP's control (S5.18)"));
      continue;
    }
    p->set_counted(true);
    ++counted;
    if (fault.empty()) {
      p->set_finding("paid on time, in full and by the agreed method");
    } else {
      ++defaults;
      p->set_finding(fault);
    }
  }
  const bool pass = defaults == 0;
  out.set_action(pass ? cms::v1::COMPLIANCE_ACTION_PASS : cms::v1::COMPLIANCE_ACTION_FAIL);
  out.set_reason(pass ? cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED
                      : cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT);
  out.set_explanation(absl::StrCat(
      pass ? "All Payments Received: " : "Payment Default: ", counted - defaults, " of ", counted,
      " non-enforced payments due from ", absl::FormatCivilTime(start), " to ",
      absl::FormatCivilTime(end - 1), " were on time, in full and by the agreed method",
      enforced_short > 0
          ? absl::StrCat("; ", enforced_short,
                         " enforced collection(s) fell short, which does not fail the PP (S5.18)")
          : ""));
  return out;
}

}  // namespace cms::domain
