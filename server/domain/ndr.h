// The NDR check of M7.4: a DEO's normal deduction rate (NDR) may not exceed
// 40% of the paying parent's net earnings; when it does, the Perform
// Calculation SR raises the exception "Determine NDR" instead of
// completing. Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - Both amounts are per the same pay period (the caller converts).
// - Exactly 40% does not exceed; the comparison is ndr * 100 > 40 *
//   earnings in 128-bit integers (no rounding, no floating point).
// - An NDR of 0 is valid (and never exceeds). Net earnings of 0 or less are
//   refused: a DEO needs earnings to deduct from.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "server/domain/money.h"

namespace cms::domain {

inline constexpr int kNdrMaxPercentOfNetEarnings = 40;
inline constexpr char kDetermineNdrException[] = "Determine NDR";

struct NdrDecision {
  bool exceeds = false;
  std::string exception;  // kDetermineNdrException when `exceeds`, else empty
  std::string rule = "M7.4";
};

// M7.4: INVALID_ARGUMENT naming `ndr_per_period` when negative or
// `net_earnings_per_period` when not positive.
absl::StatusOr<NdrDecision> CheckNdr(Pence ndr_per_period, Pence net_earnings_per_period);

}  // namespace cms::domain
