// Money vocabulary shared by the pure money rules of SPEC §7 (mopf, ndr,
// schedule, payments, arrears, fees): amounts in pence, payment methods, a
// method's share, a ledger charge, and the integer rounding every rule uses.
// Plain data defined here, not proto: the app layer translates. Pure and
// thread-safe.
//
// Decisions where the SPEC is silent:
// - Money is int64 pence everywhere; no floating point is ever used.
// - Rounding is "half up" to the penny (half away from zero for a negative
//   value, which no rule here produces). Intermediate products are computed
//   in 128 bits so no realistic amount can overflow.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace cms::domain {

using Pence = int64_t;

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
