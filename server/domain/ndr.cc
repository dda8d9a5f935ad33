#include "server/domain/ndr.h"

#include "absl/numeric/int128.h"
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

}  // namespace cms::domain
