#include "server/domain/fees.h"

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"

namespace cms::domain {
namespace {

constexpr char kRule[] = "M7.7";

}  // namespace

std::optional<ServiceType> ServiceTypeOn(const std::vector<ServiceTypeChange>& history,
                                         absl::CivilDay day) {
  const ServiceTypeChange* best = nullptr;
  for (const ServiceTypeChange& change : history) {
    if (change.effective > day) continue;
    if (best == nullptr || change.effective >= best->effective) best = &change;
  }
  if (best == nullptr) return std::nullopt;
  return best->type;
}

bool IsWaivedOn(const std::vector<FeeWaiver>& waivers, absl::CivilDay day) {
  for (const FeeWaiver& w : waivers) {
    if (w.from <= day && (!w.to.has_value() || day < *w.to)) return true;
  }
  return false;
}

bool AreChargesWaivedOn(const std::vector<FeeWaiver>& waivers, absl::CivilDay day) {
  for (const FeeWaiver& w : waivers) {
    if (w.covers_enforcement_charges && w.from <= day && (!w.to.has_value() || day < *w.to)) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<CollectionFee> CollectionFeeFor(Pence collected, absl::CivilDay day,
                                               const std::vector<ServiceTypeChange>& history,
                                               const std::vector<FeeWaiver>& waivers,
                                               const FeeRates& rates) {
  FieldErrors errors;
  if (collected < 0) errors.Add("collected", "cannot be negative");
  if (rates.pp_fee_percent < 0 || rates.pp_fee_percent > 100) {
    errors.Add("rates.pp_fee_percent", "is 0 to 100");
  }
  if (rates.rp_deduction_percent < 0 || rates.rp_deduction_percent > 100) {
    errors.Add("rates.rp_deduction_percent", "is 0 to 100");
  }
  if (!errors.empty()) return errors.ToStatus(kRule);

  CollectionFee fee;
  const std::optional<ServiceType> type = ServiceTypeOn(history, day);
  if (!type.has_value()) {
    fee.reason = "NO_SERVICE_TYPE";
  } else if (*type != ServiceType::kCollectAndPay) {
    fee.reason = "DIRECT_PAY";
  } else if (IsWaivedOn(waivers, day)) {
    fee.reason = "WAIVED";
  } else {
    fee.charged = true;
    fee.pp_fee = PercentOfRoundHalfUp(collected, rates.pp_fee_percent);
    fee.rp_deduction = PercentOfRoundHalfUp(collected, rates.rp_deduction_percent);
  }
  return fee;
}

absl::StatusOr<std::vector<ChargeEntry>> CollectionFeeCharges(
    const std::vector<Payment>& payments, const std::vector<ServiceTypeChange>& history,
    const std::vector<FeeWaiver>& waivers, const FeeRates& rates) {
  FieldErrors errors;
  for (size_t i = 0; i < payments.size(); ++i) {
    if (payments[i].amount < 0) {
      errors.Add(absl::StrCat("payments[", i, "].amount"), "cannot be negative");
    }
  }
  if (!errors.empty()) return errors.ToStatus(kRule);
  std::vector<ChargeEntry> out;
  for (const Payment& payment : payments) {
    CMS_ASSIGN_OR_RETURN(const CollectionFee fee, CollectionFeeFor(payment.amount, payment.received,
                                                                   history, waivers, rates));
    if (fee.charged && fee.pp_fee > 0) {
      out.push_back({kCollectionFeeKind, fee.pp_fee, payment.received});
    }
  }
  return out;
}

absl::StatusOr<std::vector<FeeWaiver>> ReinstateFees(const std::vector<FeeWaiver>& waivers,
                                                     absl::CivilDay decision_date,
                                                     absl::CivilDay effective) {
  if (effective < decision_date) {
    return RuleViolation(kRule, absl::StrCat("fees are reinstated from the decision date ",
                                             absl::FormatCivilTime(decision_date),
                                             ", never retrospectively (asked for ",
                                             absl::FormatCivilTime(effective), ")"));
  }
  std::vector<FeeWaiver> out = waivers;
  bool ended = false;
  for (FeeWaiver& w : out) {
    if (w.to.has_value()) continue;
    if (w.from > effective) {
      return RuleViolation(
          kRule, absl::StrCat("the open waiver starts ", absl::FormatCivilTime(w.from), ", after ",
                              absl::FormatCivilTime(effective)));
    }
    w.to = effective;
    ended = true;
  }
  if (!ended) return RuleViolation(kRule, "no open fee waiver to end");
  return out;
}

const std::vector<EnforcementChargeRow>& EnforcementChargeTable() {
  static const auto* const kTable = new std::vector<EnforcementChargeRow>{
      {EnforcementAction::kDeo, "DEO_CHARGE", 5000},
      {EnforcementAction::kRdo, "RDO_CHARGE", 5000},
      {EnforcementAction::kLsdo, "LSDO_CHARGE", 20000},
      {EnforcementAction::kLiabilityOrder, "LIABILITY_ORDER_CHARGE", 30000},
  };
  return *kTable;
}

ChargeEntry EnforcementCharge(EnforcementAction action, absl::CivilDay effective) {
  for (const EnforcementChargeRow& row : EnforcementChargeTable()) {
    if (row.action == action) return {std::string(row.kind), row.amount, effective};
  }
  return {"UNKNOWN_CHARGE", 0, effective};
}

}  // namespace cms::domain
