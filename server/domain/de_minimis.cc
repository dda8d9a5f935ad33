#include "server/domain/de_minimis.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/base/status_macros.h"

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

absl::Status CheckChargingOrderThreshold(Pence p, absl::string_view court) {
  if (p >= kMinChargingOrderThreshold && p <= kMaxChargingOrderThreshold) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "the charging order de minimis is ", FormatPounds(kMinChargingOrderThreshold), " to ",
      FormatPounds(kMaxChargingOrderThreshold), " depending on the court, not ", FormatPounds(p),
      court.empty() ? "" : absl::StrCat(" for ", court), " (AR10.8)"));
}

}  // namespace

absl::Status ValidateDeMinimisThresholds(const DeMinimisThresholds& t) {
  CMS_RETURN_IF_ERROR(CheckChargingOrderThreshold(t.charging_order, ""));
  for (const auto& [court, p] : t.charging_order_by_court) {
    CMS_RETURN_IF_ERROR(CheckChargingOrderThreshold(p, court));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, Pence>> ParseCourtThresholds(absl::string_view text) {
  std::map<std::string, Pence> out;
  for (absl::string_view entry : absl::StrSplit(text, ';', absl::SkipWhitespace())) {
    const std::vector<absl::string_view> parts = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    const std::string court = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    Pence p = 0;
    if (parts.size() != 2 || court.empty() ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(parts[1]), &p)) {
      return absl::InvalidArgumentError(
          absl::StrCat("a charging order court threshold is \"court name=pence\", not \"", entry,
                       "\" (AR10.8)"));
    }
    CMS_RETURN_IF_ERROR(CheckChargingOrderThreshold(p, court));
    if (!out.emplace(court, p).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("the court \"", court, "\" has two charging order thresholds (AR10.8)"));
    }
  }
  return out;
}

absl::string_view EnforcementActionName(EnforcementAction action) {
  const Row* r = Find(action);
  return r == nullptr ? "enforcement action" : r->name;
}

Pence DeMinimisThreshold(EnforcementAction action, const DeMinimisThresholds& t,
                         absl::string_view court) {
  const Row* r = Find(action);
  if (r == nullptr) return 0;
  if (action == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER) {
    Pence p = t.charging_order;
    auto it =
        t.charging_order_by_court.find(absl::AsciiStrToLower(absl::StripAsciiWhitespace(court)));
    if (it != t.charging_order_by_court.end()) p = it->second;
    return std::clamp(p, kMinChargingOrderThreshold, kMaxChargingOrderThreshold);
  }
  return r->threshold;
}

std::optional<std::string> DeMinimisRefusal(EnforcementAction action, Pence arrears,
                                            const DeMinimisThresholds& t, absl::string_view court) {
  const Pence threshold = DeMinimisThreshold(action, t, court);
  if (arrears >= threshold) return std::nullopt;
  const absl::string_view name = EnforcementActionName(action);
  // "an order for sale", "a liability order".
  const absl::string_view article = name.front() == 'o' ? "an " : "a ";
  const std::string in_court =
      action == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER && !court.empty()
          ? absl::StrCat(" in ", court)
          : "";
  return absl::StrCat(article, name, in_court, " needs arrears of at least ",
                      FormatPounds(threshold), "; the arrears are ", FormatPounds(arrears),
                      " (AR10.8 de minimis)");
}

}  // namespace cms::domain
