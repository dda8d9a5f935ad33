// Service type and fees: M7.1 (a case's service type, DIRECT_PAY or
// COLLECT_AND_PAY, effective from a date) and M7.7 (collection fees on
// COLLECT_AND_PAY unless waived, reinstatement never retrospective,
// enforcement charges per action). Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - Service type history is a list of changes, each effective from its
//   date; the type on a day is the latest change effective on or before it
//   (of changes effective the same day, the later in the list wins). None
//   effective yet -> no service type, and no fee.
// - Collection fees (the CMS rates, as parameters): the paying parent pays
//   20% on top of each collection, the receiving parent has 4% deducted
//   from it; each is a percentage of the collected amount rounded half up
//   to the penny. A "collection" is one payment received, charged on its
//   received date. Only the paying parent's fee is a ChargeEntry on the
//   paying parent's account (kind "COLLECTION_FEE"); the receiving parent's
//   deduction is returned for the app layer to apply to the pay-out.
// - A waiver covers [from, to): `to` is the first day fees apply again; an
//   open waiver has no `to`. A waiver waives collection fees; one that
//   covers enforcement charges (a Segment 5 trial's, S5.5) waives those
//   too: a charge effective on a covered day is not applied.
// - ReinstateFees ends every open waiver on `effective`, which may not be
//   before the decision date (FAILED_PRECONDITION, M7.7, "never
//   retrospective"); the usual call has effective == decision date. A
//   later effective date is allowed (fees reinstated from a future date).
//   No open waiver, or an open waiver starting after `effective`, is
//   FAILED_PRECONDITION (M7.7).
// - Enforcement charges (per action, a debit on the effective date): the
//   amounts published for the CMS (gov.uk, "Child Maintenance Service
//   enforcement charges"): deduction from earnings order £50, regular
//   deduction order £50, lump sum deduction order £200, liability order
//   £300. Court and enforcement-agent costs vary and are not in the table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"
#include "server/domain/payments.h"

namespace cms::domain {

enum class ServiceType { kDirectPay, kCollectAndPay };

struct ServiceTypeChange {
  ServiceType type = ServiceType::kDirectPay;
  absl::CivilDay effective;
};

// M7.1: the service type on `day`, or nullopt before the first change.
std::optional<ServiceType> ServiceTypeOn(const std::vector<ServiceTypeChange>& history,
                                         absl::CivilDay day);

struct FeeRates {
  int pp_fee_percent = 20;       // added to what the paying parent pays
  int rp_deduction_percent = 4;  // taken from what the receiving parent gets
};

// [from, to); `to` unset while open.
struct FeeWaiver {
  absl::CivilDay from;
  std::optional<absl::CivilDay> to;
  bool covers_enforcement_charges = false;
  bool operator==(const FeeWaiver&) const = default;
};

// Collection fees are waived on `day`.
bool IsWaivedOn(const std::vector<FeeWaiver>& waivers, absl::CivilDay day);
// S5.5: enforcement charges effective on `day` are waived.
bool AreChargesWaivedOn(const std::vector<FeeWaiver>& waivers, absl::CivilDay day);

inline constexpr char kCollectionFeeKind[] = "COLLECTION_FEE";

struct CollectionFee {
  bool charged = false;
  Pence pp_fee = 0;
  Pence rp_deduction = 0;
  std::string reason;  // why not charged: "DIRECT_PAY", "NO_SERVICE_TYPE", "WAIVED"
};

// M7.7: the fees on one collection of `collected` on `day`. INVALID_ARGUMENT
// naming `collected` (negative) or `rates.*` (outside 0..100).
absl::StatusOr<CollectionFee> CollectionFeeFor(Pence collected, absl::CivilDay day,
                                               const std::vector<ServiceTypeChange>& history,
                                               const std::vector<FeeWaiver>& waivers,
                                               const FeeRates& rates = {});

// M7.7: the paying parent's collection fee for each payment that is charged
// one, as ChargeEntry{kCollectionFeeKind, pp_fee, received}.
absl::StatusOr<std::vector<ChargeEntry>> CollectionFeeCharges(
    const std::vector<Payment>& payments, const std::vector<ServiceTypeChange>& history,
    const std::vector<FeeWaiver>& waivers, const FeeRates& rates = {});

// M7.7: `waivers` with the open waiver ended on `effective`, per the rules
// above.
absl::StatusOr<std::vector<FeeWaiver>> ReinstateFees(const std::vector<FeeWaiver>& waivers,
                                                     absl::CivilDay decision_date,
                                                     absl::CivilDay effective);

// M7.7: enforcement actions that carry a charge.
enum class EnforcementAction { kDeo, kRdo, kLsdo, kLiabilityOrder };

struct EnforcementChargeRow {
  EnforcementAction action;
  absl::string_view kind;  // the ChargeEntry kind
  Pence amount;
};

// The table above, one row per action.
const std::vector<EnforcementChargeRow>& EnforcementChargeTable();

// M7.7: the ledger entry for `action` taken on `effective`.
ChargeEntry EnforcementCharge(EnforcementAction action, absl::CivilDay effective);

}  // namespace cms::domain
