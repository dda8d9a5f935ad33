#include "server/domain/money.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

Pence DivideRoundHalfUp128(absl::int128 numerator, absl::int128 denominator) {
  const bool negative = numerator < 0;
  if (negative) numerator = -numerator;
  absl::int128 q = (numerator + denominator / 2) / denominator;
  return static_cast<Pence>(negative ? -q : q);
}

}  // namespace

absl::string_view PaymentMethodName(PaymentMethod method) {
  switch (method) {
    case PaymentMethod::kDeo:
      return "DEO";
    case PaymentMethod::kDer:
      return "DER";
    case PaymentMethod::kDd:
      return "DD";
    case PaymentMethod::kSo:
      return "SO";
    case PaymentMethod::kDso:
      return "DSO";
    case PaymentMethod::kRdo:
      return "RDO";
    case PaymentMethod::kLsdo:
      return "LSDO";
    case PaymentMethod::kCard:
      return "CARD";
  }
  return "UNKNOWN";
}

Pence DivideRoundHalfUp(Pence numerator, int64_t denominator) {
  return DivideRoundHalfUp128(numerator, denominator);
}

Pence PercentOfRoundHalfUp(Pence amount, int64_t percent) {
  return DivideRoundHalfUp128(absl::int128(amount) * percent, 100);
}

Pence PercentOfRoundDown(Pence amount, int64_t percent) {
  return static_cast<Pence>(absl::int128(amount) * percent / 100);
}

std::optional<std::string> AmountProblem(Pence amount, AmountSign sign) {
  if (sign == AmountSign::kPositive && amount <= 0) return "must be more than 0";
  if (sign == AmountSign::kZeroOrMore && amount < 0) return "must not be negative";
  if (amount > kMaxAmountPence) {
    return absl::StrCat("at most ", kMaxAmountPence, " pence (", FormatPounds(kMaxAmountPence),
                        "), the most one amount may hold");
  }
  if (amount < -kMaxAmountPence) {
    return absl::StrCat("at least -", kMaxAmountPence, " pence (", FormatPounds(-kMaxAmountPence),
                        "), the most one amount may hold");
  }
  return std::nullopt;
}

std::optional<Pence> CheckedAdd(Pence a, Pence b) {
  Pence out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Pence> CheckedSubtract(Pence a, Pence b) {
  Pence out;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<Pence> CheckedMultiply(Pence a, int64_t b) {
  Pence out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

absl::Status AmountOverflow(absl::string_view what) {
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat(what,
                                     " overflows: its amounts sum beyond what the service can hold "
                                     "(each amount is at most ",
                                     FormatPounds(kMaxAmountPence), ")")),
                    "AMOUNT_OVERFLOW");
}

absl::StatusOr<Pence> AddPence(Pence a, Pence b, absl::string_view what) {
  if (std::optional<Pence> sum = CheckedAdd(a, b)) return *sum;
  return AmountOverflow(what);
}

absl::StatusOr<Pence> SubtractPence(Pence a, Pence b, absl::string_view what) {
  if (std::optional<Pence> difference = CheckedSubtract(a, b)) return *difference;
  return AmountOverflow(what);
}

std::string FormatPounds(Pence pence) {
  const bool negative = pence < 0;
  // Unsigned so that the most negative amount has a magnitude.
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  std::string pounds = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(pounds.size()) - 3; i > 0; i -= 3) pounds.insert(i, ",");
  const uint64_t p = magnitude % 100;
  return absl::StrCat(negative ? "-" : "", "£", pounds, ".", p < 10 ? "0" : "", p);
}

}  // namespace cms::domain
