#include "server/domain/de_minimis.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

using cms::v1::EnforcementAction;

struct Row {
  EnforcementAction action;
  absl::string_view name;
  Pence threshold;  // 0 for the charging order: configured
};

// AR10.8, as the procedure lists it.
constexpr Row kTable[] = {
    {cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER, "liability order", 50000},
    {cms::v1::ENFORCEMENT_ACTION_LSDO, "lump sum deduction order", 50000},
    {cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER, "charging order", 0},
    {cms::v1::ENFORCEMENT_ACTION_ORDER_FOR_SALE, "order for sale", 300000},
    {cms::v1::ENFORCEMENT_ACTION_COMMITMENT, "commitment", 100000},
};

const Row* Find(EnforcementAction action) {
  for (const Row& r : kTable) {
    if (r.action == action) return &r;
  }
  return nullptr;
}

}  // namespace

absl::Status ValidateDeMinimisThresholds(const DeMinimisThresholds& t) {
  if (t.charging_order < kMinChargingOrderThreshold ||
      t.charging_order > kMaxChargingOrderThreshold) {
    return absl::InvalidArgumentError(
        absl::StrCat("the charging order de minimis is ", FormatPounds(kMinChargingOrderThreshold),
                     " to ", FormatPounds(kMaxChargingOrderThreshold),
                     " depending on the court, not ", FormatPounds(t.charging_order), " (AR10.8)"));
  }
  return absl::OkStatus();
}

absl::string_view EnforcementActionName(EnforcementAction action) {
  const Row* r = Find(action);
  return r == nullptr ? "enforcement action" : r->name;
}

Pence DeMinimisThreshold(EnforcementAction action, const DeMinimisThresholds& t) {
  const Row* r = Find(action);
  if (r == nullptr) return 0;
  if (action == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER) {
    return std::clamp(t.charging_order, kMinChargingOrderThreshold, kMaxChargingOrderThreshold);
  }
  return r->threshold;
}

std::optional<std::string> DeMinimisRefusal(EnforcementAction action, Pence arrears,
                                            const DeMinimisThresholds& t) {
  const Pence threshold = DeMinimisThreshold(action, t);
  if (arrears >= threshold) return std::nullopt;
  const absl::string_view name = EnforcementActionName(action);
  // "an order for sale", "a liability order".
  const absl::string_view article = name.front() == 'o' ? "an " : "a ";
  return absl::StrCat(article, name, " needs arrears of at least ", FormatPounds(threshold),
                      "; the arrears are ", FormatPounds(arrears), " (AR10.8 de minimis)");
}

}  // namespace cms::domain
