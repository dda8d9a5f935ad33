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
// - While a calculation awaits the maximum NDR, its Perform Calculation SR
//   neither closes nor takes a second calculation: closing would complete
//   the SR without the exception resolved, and a second calculation would
//   leave two answers to one question.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/money.h"

namespace cms::domain {

inline constexpr int kNdrMaxPercentOfNetEarnings = 40;
inline constexpr char kDetermineNdrException[] = "Determine NDR";
// The SR type a calculation is recorded through (catalog code).
inline constexpr char kCalculationSrType[] = "PERFORM_CALCULATION";

struct NdrDecision {
  bool exceeds = false;
  std::string exception;  // kDetermineNdrException when `exceeds`, else empty
  std::string rule = "M7.4";
};

// M7.4: INVALID_ARGUMENT naming `ndr_per_period` when negative or
// `net_earnings_per_period` when not positive.
absl::StatusOr<NdrDecision> CheckNdr(Pence ndr_per_period, Pence net_earnings_per_period);

// M7.4: the most an NDR may be: 40% of net earnings, rounded down to the
// penny (so CheckNdr(MaxNdr(e), e) never exceeds). 0 for no earnings.
Pence MaxNdr(Pence net_earnings_per_period);

// M7.4: whether closing an SR of this type waits for its calculations, so
// the app looks for a pending one only then (Perform Calculation SRs).
bool CloseWaitsForCalculation(absl::string_view sr_type_code);

// What is about to happen to a Perform Calculation SR.
enum class CalculationSrStep { kClose, kRecordCalculation };

// M7.4: FAILED_PRECONDITION naming M7.4 and the calculation while one on SR
// `sr_id` awaits the maximum NDR (`pending_calculation_id`, PENDING_NDR:
// "Determine NDR", resolved by ResolveNdr); OK when none does.
absl::Status CheckNoCalculationPending(CalculationSrStep step, int64_t sr_id,
                                       std::optional<int64_t> pending_calculation_id);

}  // namespace cms::domain
