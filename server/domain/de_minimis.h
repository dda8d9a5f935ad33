// AR10.8 de minimis: enforcement refuses an action whose arrears are below
// its threshold. One table, keyed by cms.v1.EnforcementAction (the API's
// enum; domain::EnforcementAction in fees.h is the charge table's and names
// other actions). Pure and thread-safe.
//
// The table (the procedure's "de minimis values for different enforcement
// actions"): liability order £500, lump sum deduction order £500, charging
// order £500 to £750 depending on the court, order for sale £3,000,
// commitment £1,000.
//
// Decisions where the SPEC is silent:
// - Exactly at the threshold is allowed: "below" the threshold is refused,
//   so £500.00 of arrears may go to a liability order and £499.99 may not.
// - The charging order's threshold depends on the court: a configured
//   value per court (by name, compared case-insensitively; the server's
//   --charging_order_court_thresholds), and a default for any other court
//   (--charging_order_threshold_pence, £500). ValidateDeMinimisThresholds
//   refuses a value outside [£500, £750], and DeMinimisThreshold clamps
//   into that range so an unchecked value can never take the threshold
//   outside what the procedure allows.
// - UNSPECIFIED (or an unknown value) has no threshold (0): nothing is
//   refused on its account; the caller validates the action itself.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/arrears.pb.h"
#include "server/domain/money.h"

namespace cms::domain {

inline constexpr Pence kMinChargingOrderThreshold = 50000;  // £500
inline constexpr Pence kMaxChargingOrderThreshold = 75000;  // £750

struct DeMinimisThresholds {
  // Any court not in charging_order_by_court; within [50000, 75000].
  Pence charging_order = kMinChargingOrderThreshold;
  // Lower-cased court name → its threshold, each within [50000, 75000].
  std::map<std::string, Pence> charging_order_by_court;
};

// Parses --charging_order_court_thresholds: "Court name=pence" entries
// separated by ';' (e.g. "Leeds County Court=75000;Cardiff County
// Court=60000"), the names lower-cased; "" is none. INVALID_ARGUMENT naming
// AR10.8 for a malformed entry, a repeated court or a value outside [£500,
// £750].
absl::StatusOr<std::map<std::string, Pence>> ParseCourtThresholds(absl::string_view text);

// INVALID_ARGUMENT naming AR10.8 when the charging order's threshold is
// outside [£500, £750].
absl::Status ValidateDeMinimisThresholds(const DeMinimisThresholds& t);

// "liability order", "lump sum deduction order", "charging order",
// "order for sale", "commitment"; "enforcement action" for UNSPECIFIED.
absl::string_view EnforcementActionName(cms::v1::EnforcementAction action);

// The least arrears `action` may be taken for (0: no threshold); `court`
// matters to a charging order only.
Pence DeMinimisThreshold(cms::v1::EnforcementAction action, const DeMinimisThresholds& t,
                         absl::string_view court = "");

// nullopt when `arrears` >= the threshold; else why not, naming AR10.8, the
// action, the threshold and the balance, e.g. "a liability order needs
// arrears of at least £500.00; the arrears are £499.99 (AR10.8 de minimis)".
std::optional<std::string> DeMinimisRefusal(cms::v1::EnforcementAction action, Pence arrears,
                                            const DeMinimisThresholds& t = {},
                                            absl::string_view court = "");

}  // namespace cms::domain
