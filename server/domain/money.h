// Money vocabulary shared by the pure money rules of SPEC §7 (mopf, ndr,
// schedule, payments, arrears, fees): amounts in pence, the largest amount
// one item may hold and the check every amount the API takes goes through,
// checked sums, payment methods, a method's share, a ledger charge, and the
// integer rounding every rule uses. Plain data defined here, not proto: the
// app layer translates. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - Money is int64 pence everywhere; no floating point is ever used.
// - Rounding is "half up" to the penny (half away from zero for a negative
//   value, which no rule here produces). Intermediate products are computed
//   in 128 bits so no realistic amount can overflow.
// - Bounds (issue 17, defect 5: two payments of 2^63-1 pence once drove a
//   statement's running balance through signed overflow). Every amount the
//   API takes is at most kMaxAmountPence (£10,000,000.00) in size
//   (AmountProblem): the app refuses anything larger with INVALID_ARGUMENT
//   naming the field, before anything is written. What the service derives
//   from bounded amounts stays small too: a monthly schedule item is at
//   most 52/12 of a weekly liability (under £43.4 million), a collection
//   fee 20% of a payment. Every sum over amounts (a running balance, the
//   arrears, a casegroup's total, the receipts in a window) still goes
//   through AddPence / SubtractPence, so rows written before the bound (or
//   by hand) give a FAILED_PRECONDITION naming the sum, never undefined
//   behaviour.
// - SQL: amounts are BIGINT columns (signed 64 bits, as Pence) and no
//   statement sums them (every sum is made here, checked). A SUM() over
//   bounded items could not overflow anyway: 2^63 pence is over two
//   billion of the largest monthly items, and MariaDB sums BIGINT as
//   DECIMAL(65) (reading one back into Pence would then need this check).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace cms::domain {

using Pence = int64_t;

// The largest amount one item may hold: £10,000,000.00. A payment, a
// liability, a lump sum, a debt, an income, a claim: each is at most this
// in size.
inline constexpr Pence kMaxAmountPence = 1'000'000'000;

// Which amounts a field takes, besides the bound.
enum class AmountSign {
  kPositive,    // more than 0: a payment, a liability, a lump sum
  kZeroOrMore,  // 0 allowed: an RDO payment that did not come, a debt
  kAny,         // either sign: only the bound applies
};

// Why `amount` is refused for a field taking `sign` (not positive, negative,
// or beyond ±kMaxAmountPence), or nullopt when it is acceptable. The
// values.h vocabulary: the caller names the field.
std::optional<std::string> AmountProblem(Pence amount, AmountSign sign);

// Checked arithmetic (__builtin_*_overflow): nullopt when the exact result
// is not a Pence.
std::optional<Pence> CheckedAdd(Pence a, Pence b);
std::optional<Pence> CheckedSubtract(Pence a, Pence b);
std::optional<Pence> CheckedMultiply(Pence a, int64_t b);

// The same for sums the service reports: FAILED_PRECONDITION (reason
// AMOUNT_OVERFLOW) saying which sum (`what`, e.g. "the running balance of
// case 12's statement") went beyond what the service can hold.
absl::StatusOr<Pence> AddPence(Pence a, Pence b, absl::string_view what);
absl::StatusOr<Pence> SubtractPence(Pence a, Pence b, absl::string_view what);
absl::Status AmountOverflow(absl::string_view what);

// M7.2: the methods of payment a MOPF may hold.
enum class PaymentMethod { kDeo, kDer, kDd, kSo, kDso, kRdo, kLsdo, kCard };

// "DEO", "DER", "DD", "SO", "DSO", "RDO", "LSDO", "CARD".
absl::string_view PaymentMethodName(PaymentMethod method);

// A method and its share of each collection, in whole percent (M7.2).
struct MethodShare {
  PaymentMethod method = PaymentMethod::kDd;
  int share_percent = 0;
  bool operator==(const MethodShare&) const = default;
};

// A dated debit on a paying parent's account other than a scheduled
// payment: a collection fee or an enforcement charge (M7.7). `kind` is a
// stable code such as "DEO_CHARGE" or "COLLECTION_FEE".
struct ChargeEntry {
  std::string kind;
  Pence amount = 0;
  absl::CivilDay effective;
  bool operator==(const ChargeEntry&) const = default;
};

// numerator / denominator rounded half up (denominator > 0).
Pence DivideRoundHalfUp(Pence numerator, int64_t denominator);

// `percent`% of `amount`, rounded half up to the penny.
Pence PercentOfRoundHalfUp(Pence amount, int64_t percent);

// `percent`% of `amount`, rounded down (toward zero) to the penny.
Pence PercentOfRoundDown(Pence amount, int64_t percent);

// "£1,234.56" (thousands grouped, always two decimals; "-£0.50" below zero):
// how messages, notes and facts show money.
std::string FormatPounds(Pence pence);

}  // namespace cms::domain
