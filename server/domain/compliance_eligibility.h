// Segment 5 compliance opportunity eligibility (S5.1): a pure function from
// the facts of one case to the procedure's "PP Eligibility" field and the
// judgement of every criterion behind it. The app layer gathers the facts
// (the case, its PP, its legacy CSA link, the case notes) whenever one of
// them changes. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/compliance.pb.h"

namespace cms::domain {

// The legacy CSA case as the look-up (or a caseworker, S5.2) found it.
struct LegacyFacts {
  // "DEO", "DER", "RDO", "DD", ...; empty when not known.
  std::string method_of_collection;
  cms::v1::LegacyDeoKind deo_kind = cms::v1::LEGACY_DEO_KIND_UNKNOWN;
  // In-flight enforcement: "LO", "LSDO", "FREEZING_ORDER", "SETTING_ASIDE".
  std::vector<std::string> enforcement_actions;
  std::optional<absl::CivilDay> t_date;  // end of legacy liability
  bool order_for_sale = false;
  bool committal = false;
  bool sisted = false;
  bool driving_disqualification = false;
};

struct EligibilityFacts {
  LegacyFacts legacy;
  // S5.2: a Manual Handling SR is still to establish the legacy method of
  // collection and enforcement: those criteria are unknown until it does.
  bool legacy_lookup_outstanding = false;
  absl::CivilDay application_date;
  cms::v1::ServiceType pp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
  cms::v1::ServiceType rp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
  bool pp_on_benefit = false;
  cms::v1::EmploymentStatus pp_employment = cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED;
  bool pp_nil_assessed = false;
  // The PP says the legacy DEO was voluntary.
  bool pp_states_deo_voluntary = false;
  // The case carries the RP's note "RP dissatisfied with potential direct
  // pay due to CSA non-compliance" (kRpDissatisfiedNote).
  bool rp_dissatisfied_note = false;
};

// The case note an RP's application leaves when they say the legacy DEO
// was enforced (reference, "Voluntary CSA DEO"); matched case-insensitively
// anywhere in a note.
inline constexpr char kRpDissatisfiedNote[] =
    "RP dissatisfied with potential direct pay due to CSA non-compliance";

struct EligibilityAssessment {
  cms::v1::PpEligibility eligibility = cms::v1::PP_ELIGIBILITY_UNSPECIFIED;
  // Every criterion of S5.1, in the order the enum declares them.
  std::vector<cms::v1::EligibilityCheck> checks;
  // True when no criterion is UNKNOWN: the answer is final (YES, NO,
  // RP_REQUESTED_DIRECT_PAY, ON_BENEFIT) rather than LIKELY / NOT_LIKELY.
  bool final = false;
};

// S5.1. The PP is eligible (YES) when every criterion is met. A criterion
// not met excludes them: ON_BENEFIT when they are on benefit, else
// RP_REQUESTED_DIRECT_PAY when the RP asked for direct pay, else NO — or
// NOT_LIKELY while some other fact is still to come. With nothing failed
// and some fact to come, LIKELY.
EligibilityAssessment AssessEligibility(const EligibilityFacts& facts);

// Whether a legacy method of collection / enforcement action counts as
// enforcement for S5.1 (exposed for the look-up's S5.2 test).
bool IsEnforcedCollection(const LegacyFacts& legacy);

// S5.2: a Manual Handling SR is needed to look the legacy case up by hand:
// every CCD case, and CSCS cases whose recorded method of collection is not
// a DEO/DER.
bool NeedsManualLegacyLookup(cms::v1::LegacySystem system, const LegacyFacts& legacy);

}  // namespace cms::domain
