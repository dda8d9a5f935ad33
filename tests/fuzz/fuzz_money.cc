// libFuzzer target (issue 17, defect 5): the money rules of SPEC §7 over
// any amounts and dates. The first byte picks one:
//   checked arithmetic and rounding (domain/money.h), compared with 128-bit
//   sums; a P2P schedule (M7.5) from a fuzzed liability, frequency, dates
//   and method shares, then payments against it (allocation and PAID /
//   PARTIAL / MISSED), its arrears and statement (M7.6), collection fees
//   (M7.7); and the same over fuzzed stored rows (items and charges of any
//   amount, as rows written before the bound could hold), which must give
//   AMOUNT_OVERFLOW, never a wrapped balance (UBSan traps on signed
//   overflow).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "absl/time/civil_time.h"
#include "server/domain/arrears.h"
#include "server/domain/fees.h"
#include "server/domain/money.h"
#include "server/domain/payments.h"
#include "server/domain/schedule.h"

namespace {

namespace d = cms::domain;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

absl::CivilDay Day(FuzzedDataProvider& in) {
  return absl::CivilDay(2020, 1, 1) + in.ConsumeIntegralInRange<int>(-5000, 20000);
}

d::Pence Amount(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      return in.ConsumeIntegralInRange<d::Pence>(-d::kMaxAmountPence, d::kMaxAmountPence);
    case 1:
      return in.ConsumeIntegralInRange<d::Pence>(0, 100'000);
    case 2:
      return in.PickValueInArray({std::numeric_limits<d::Pence>::max(),
                                  std::numeric_limits<d::Pence>::min(), d::kMaxAmountPence,
                                  d::kMaxAmountPence + 1, d::Pence{0}, d::Pence{1}, d::Pence{-1}});
    default:
      return in.ConsumeIntegral<d::Pence>();
  }
}

d::PaymentMethod Method(FuzzedDataProvider& in) {
  return static_cast<d::PaymentMethod>(in.ConsumeIntegralInRange<int>(0, 7));
}

void Arithmetic(FuzzedDataProvider& in) {
  const d::Pence a = Amount(in);
  const d::Pence b = Amount(in);
  const __int128 sum = static_cast<__int128>(a) + b;
  const __int128 difference = static_cast<__int128>(a) - b;
  const __int128 product = static_cast<__int128>(a) * b;
  auto fits = [](__int128 v) {
    return v >= std::numeric_limits<d::Pence>::min() && v <= std::numeric_limits<d::Pence>::max();
  };
  const auto checked_sum = d::CheckedAdd(a, b);
  Check(checked_sum.has_value() == fits(sum) && (!checked_sum || *checked_sum == sum));
  const auto checked_difference = d::CheckedSubtract(a, b);
  Check(checked_difference.has_value() == fits(difference) &&
        (!checked_difference || *checked_difference == difference));
  const auto checked_product = d::CheckedMultiply(a, b);
  Check(checked_product.has_value() == fits(product) &&
        (!checked_product || *checked_product == product));
  Check(d::AddPence(a, b, "sum").ok() == fits(sum));
  Check(d::SubtractPence(a, b, "difference").ok() == fits(difference));
  for (auto sign : {d::AmountSign::kPositive, d::AmountSign::kZeroOrMore, d::AmountSign::kAny}) {
    const bool refused = d::AmountProblem(a, sign).has_value();
    if (a > d::kMaxAmountPence || a < -d::kMaxAmountPence) Check(refused);
  }
  // Rounding takes bounded amounts: what the API holds, or products of them.
  const d::Pence bounded = a % (d::kMaxAmountPence * 100);
  (void)d::DivideRoundHalfUp(bounded, in.ConsumeIntegralInRange<int64_t>(1, 1'000'000));
  const int64_t percent = in.ConsumeIntegralInRange<int64_t>(0, 100);
  (void)d::PercentOfRoundHalfUp(bounded, percent);
  (void)d::PercentOfRoundDown(bounded, percent);
  (void)d::FormatPounds(a);
  (void)d::PaymentMethodName(Method(in));
}

std::vector<d::Payment> Payments(FuzzedDataProvider& in) {
  std::vector<d::Payment> payments(in.ConsumeIntegralInRange<size_t>(0, 12));
  for (d::Payment& p : payments) {
    p.received = Day(in);
    p.amount = Amount(in);
    p.method = Method(in);
  }
  return payments;
}

std::vector<d::ChargeEntry> Charges(FuzzedDataProvider& in) {
  std::vector<d::ChargeEntry> charges(in.ConsumeIntegralInRange<size_t>(0, 4));
  for (d::ChargeEntry& c : charges) {
    c.kind = "DEO_CHARGE";
    c.amount = Amount(in);
    c.effective = Day(in);
  }
  return charges;
}

// Payments against `items`, then arrears, the statement and the casegroup's
// sums: each either succeeds or says which sum overflowed.
void PayAndReport(FuzzedDataProvider& in, const std::vector<d::ScheduleItem>& items) {
  const std::vector<d::Payment> payments = Payments(in);
  const absl::CivilDay today = Day(in);
  const int tolerance = in.ConsumeIntegralInRange<int>(-2, 60);
  auto classified = d::ClassifySchedule(items, payments, today, tolerance);
  if (classified.ok()) {
    Check(classified->items.size() == items.size());
    (void)d::ArrearsBalance(classified->items, today);
  }
  auto statement = d::BuildStatement(items, payments, Charges(in), today);
  if (statement.ok()) {
    (void)d::CasegroupBalance({*statement, *statement, *statement});
    if (!statement->lines.empty())
      Check(statement->lines.back().balance == statement->closing_balance);
  }
  std::vector<d::Pence> arrears(in.ConsumeIntegralInRange<size_t>(0, 5));
  for (d::Pence& a : arrears) a = Amount(in);
  (void)d::CasegroupArrears(arrears);
}

void Schedule(FuzzedDataProvider& in) {
  d::ScheduleInput input;
  input.weekly_liability = Amount(in);
  input.frequency = static_cast<d::Frequency>(in.ConsumeIntegralInRange<int>(0, 3));
  input.first_collection = Day(in);
  input.next_annual_review =
      input.first_collection + in.ConsumeIntegralInRange<int>(-10, 2 * d::kMaxScheduleDays);
  const size_t shares = in.ConsumeIntegralInRange<size_t>(0, 5);
  for (size_t i = 0; i < shares; ++i) {
    input.shares.push_back({Method(in), in.ConsumeIntegralInRange<int>(-5, 105)});
  }
  if (in.ConsumeBool() && !input.shares.empty()) {  // often a valid split
    input.shares.resize(1);
    input.shares[0].share_percent = 100;
  }
  auto items = d::GenerateSchedule(input);
  if (!items.ok()) return;
  for (const d::ScheduleItem& item : *items) {
    Check(item.due >= input.first_collection && item.due < input.next_annual_review);
    Check(item.expected_amount >= 0);
  }
  PayAndReport(in, *items);
}

void StoredRows(FuzzedDataProvider& in) {
  std::vector<d::ScheduleItem> items(in.ConsumeIntegralInRange<size_t>(0, 12));
  int sequence = 0;
  for (d::ScheduleItem& item : items) {
    item.sequence = ++sequence;
    item.period = sequence;
    item.due = Day(in);
    item.expected_amount = Amount(in);
    item.expected_method = Method(in);
  }
  PayAndReport(in, items);
}

void Fees(FuzzedDataProvider& in) {
  std::vector<d::ServiceTypeChange> history(in.ConsumeIntegralInRange<size_t>(0, 4));
  for (auto& h : history) {
    h.type = in.ConsumeBool() ? d::ServiceType::kCollectAndPay : d::ServiceType::kDirectPay;
    h.effective = Day(in);
  }
  std::vector<d::FeeWaiver> waivers(in.ConsumeIntegralInRange<size_t>(0, 3));
  for (auto& w : waivers) {
    w.from = Day(in);
    if (in.ConsumeBool()) w.to = Day(in);
    w.covers_enforcement_charges = in.ConsumeBool();
  }
  d::FeeRates rates;
  if (in.ConsumeBool()) {
    rates.pp_fee_percent = in.ConsumeIntegralInRange<int>(-5, 150);
    rates.rp_deduction_percent = in.ConsumeIntegralInRange<int>(-5, 150);
  }
  (void)d::CollectionFeeFor(Amount(in), Day(in), history, waivers, rates);
  (void)d::CollectionFeeCharges(Payments(in), history, waivers, rates);
  (void)d::ReinstateFees(waivers, Day(in), Day(in));
  (void)d::ServiceTypeOn(history, Day(in));
  (void)d::AreChargesWaivedOn(waivers, Day(in));
  (void)d::EnforcementCharge(
      static_cast<d::EnforcementAction>(in.ConsumeIntegralInRange<int>(0, 3)), Day(in));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      Arithmetic(in);
      break;
    case 1:
      Schedule(in);
      break;
    case 2:
      StoredRows(in);
      break;
    default:
      Fees(in);
  }
  return 0;
}
