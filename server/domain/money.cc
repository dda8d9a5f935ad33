#include "server/domain/money.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"

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

std::string FormatPounds(Pence amount) {
  // Unsigned, so the most negative amount has a magnitude too.
  const uint64_t magnitude =
      amount < 0 ? uint64_t{0} - static_cast<uint64_t>(amount) : static_cast<uint64_t>(amount);
  const std::string pounds = std::to_string(magnitude / 100);
  std::string grouped;
  for (size_t i = 0; i < pounds.size(); ++i) {
    if (i > 0 && (pounds.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(pounds[i]);
  }
  const unsigned pence = static_cast<unsigned>(magnitude % 100);
  return absl::StrCat(amount < 0 ? "-" : "", "£", grouped, ".", pence < 10 ? "0" : "", pence);
}

}  // namespace cms::domain
