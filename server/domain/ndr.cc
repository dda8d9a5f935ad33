#include "server/domain/ndr.h"

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "server/base/errors.h"

namespace cms::domain {

absl::StatusOr<NdrDecision> CheckNdr(Pence ndr_per_period, Pence net_earnings_per_period) {
  FieldErrors errors;
  if (ndr_per_period < 0) errors.Add("ndr_per_period", "cannot be negative");
  if (net_earnings_per_period <= 0) {
    errors.Add("net_earnings_per_period", "must be more than zero for a DEO");
  }
  if (!errors.empty()) return errors.ToStatus("M7.4");
  NdrDecision decision;
  decision.exceeds = absl::int128(ndr_per_period) * 100 >
                     absl::int128(net_earnings_per_period) * kNdrMaxPercentOfNetEarnings;
  if (decision.exceeds) decision.exception = kDetermineNdrException;
  return decision;
}

Pence MaxNdr(Pence net_earnings_per_period) {
  if (net_earnings_per_period <= 0) return 0;
  // 128-bit, as CheckNdr: no overflow near the int64 maximum.
  return static_cast<Pence>(absl::int128(net_earnings_per_period) * kNdrMaxPercentOfNetEarnings /
                            100);
}

bool CloseWaitsForCalculation(absl::string_view sr_type_code) {
  return sr_type_code == kCalculationSrType;
}

absl::Status CheckNoCalculationPending(CalculationSrStep step, int64_t sr_id,
                                       std::optional<int64_t> pending_calculation_id) {
  if (!pending_calculation_id.has_value()) return absl::OkStatus();
  switch (step) {
    case CalculationSrStep::kClose:
      return RuleViolation(
          "M7.4", absl::StrCat("SR ", sr_id, " cannot close: calculation ", *pending_calculation_id,
                               " awaits the maximum NDR (Determine NDR; "
                               "ResolveNdr)"));
    case CalculationSrStep::kRecordCalculation:
      return RuleViolation("M7.4",
                           absl::StrCat("calculation ", *pending_calculation_id, " on SR ", sr_id,
                                        " awaits the maximum NDR (ResolveNdr) first"));
  }
  return absl::OkStatus();
}

}  // namespace cms::domain
