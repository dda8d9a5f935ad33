#include "server/domain/compliance_eligibility.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cms::domain {
namespace {

using cms::v1::CriterionResult;
using cms::v1::EligibilityCheck;
using cms::v1::EligibilityCriterion;

std::string Upper(absl::string_view s) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(s));
}

// In-flight enforcement the procedure names: liability order, lump sum
// deduction order, freezing order, setting aside of a disposition.
// "If a paying parent national insurance number in the new application is
// held on [the CSA Segment 5 Legal case list], update the Active Legacy
// Enforcement Actions field with Y": Y is on-going CSA legal action.
bool IsInFlightEnforcement(absl::string_view action) {
  const std::string a = Upper(action);
  return a == "LO" || a == "LIABILITY_ORDER" || a == "LSDO" || a == "FREEZING_ORDER" ||
         a == "SETTING_ASIDE" || a == "Y" || a == "YES";
}

std::vector<std::string> InFlight(const LegacyFacts& legacy) {
  std::vector<std::string> out;
  for (const std::string& a : legacy.enforcement_actions) {
    if (IsInFlightEnforcement(a)) out.push_back(Upper(a));
  }
  return out;
}

bool IsDeoOrDer(const LegacyFacts& legacy) {
  const std::string moc = Upper(legacy.method_of_collection);
  return moc == "DEO" || moc == "DER";
}

EligibilityCheck Check(EligibilityCriterion criterion, CriterionResult result,
                       std::string explanation) {
  EligibilityCheck c;
  c.set_criterion(criterion);
  c.set_result(result);
  c.set_explanation(std::move(explanation));
  return c;
}

constexpr CriterionResult kMet = cms::v1::CRITERION_RESULT_MET;
constexpr CriterionResult kNotMet = cms::v1::CRITERION_RESULT_NOT_MET;
constexpr CriterionResult kUnknown = cms::v1::CRITERION_RESULT_UNKNOWN;

EligibilityCheck LegacyEnforcement(const EligibilityFacts& f) {
  const auto criterion = cms::v1::ELIGIBILITY_CRITERION_LEGACY_ENFORCEMENT;
  if (f.legacy_lookup_outstanding) {
    return Check(criterion, kUnknown,
                 "the legacy method of collection and enforcement are being looked up by hand "
                 "(Manual Handling SR, S5.2)");
  }
  const std::string moc = Upper(f.legacy.method_of_collection);
  const std::vector<std::string> in_flight = InFlight(f.legacy);
  if (IsDeoOrDer(f.legacy) && f.legacy.deo_kind != cms::v1::LEGACY_DEO_KIND_VOLUNTARY) {
    return Check(criterion, kMet,
                 absl::StrCat("the legacy case collects by ", moc,
                              f.legacy.deo_kind == cms::v1::LEGACY_DEO_KIND_ENFORCED
                                  ? ", enforced"
                                  : ", with no record of it being voluntary (taken as enforced)"));
  }
  if (moc == "RDO") return Check(criterion, kMet, "the legacy case collects by RDO");
  if (!in_flight.empty()) {
    return Check(criterion, kMet,
                 absl::StrCat("in-flight legacy enforcement: ", absl::StrJoin(in_flight, ", ")));
  }
  return Check(
      criterion, kNotMet,
      absl::StrCat("the legacy case has no enforced DEO/DER/RDO (method of collection ",
                   moc.empty() ? "not recorded" : moc, IsDeoOrDer(f.legacy) ? ", voluntary" : "",
                   ") and no in-flight enforcement"));
}

EligibilityCheck AppliedBeforeTDate(const EligibilityFacts& f) {
  const auto criterion = cms::v1::ELIGIBILITY_CRITERION_APPLIED_BEFORE_T_DATE;
  if (!f.legacy.t_date) {
    return Check(criterion, kUnknown, "the legacy end-of-liability date (T-date) is not known");
  }
  const std::string dates = absl::StrCat("applied ", absl::FormatCivilTime(f.application_date),
                                         ", T-date ", absl::FormatCivilTime(*f.legacy.t_date));
  if (f.application_date < *f.legacy.t_date) return Check(criterion, kMet, dates);
  return Check(criterion, kNotMet, absl::StrCat(dates, ": not before the T-date"));
}

EligibilityCheck Requests(EligibilityCriterion criterion, absl::string_view who,
                          cms::v1::ServiceType requested, cms::v1::ServiceType wanted) {
  auto name = [](cms::v1::ServiceType t) {
    return t == cms::v1::SERVICE_TYPE_DIRECT_PAY ? "direct pay" : "collect and pay";
  };
  if (requested == cms::v1::SERVICE_TYPE_UNSPECIFIED) {
    return Check(criterion, kUnknown,
                 absl::StrCat("the ", who, "'s service type is not known yet"));
  }
  return Check(criterion, requested == wanted ? kMet : kNotMet,
               absl::StrCat("the ", who, " asks for ", name(requested)));
}

EligibilityCheck Flag(EligibilityCriterion criterion, bool excluded, absl::string_view met,
                      absl::string_view not_met) {
  return excluded ? Check(criterion, kNotMet, std::string(not_met))
                  : Check(criterion, kMet, std::string(met));
}

EligibilityCheck InEmployment(const EligibilityFacts& f) {
  const auto criterion = cms::v1::ELIGIBILITY_CRITERION_PP_IN_EMPLOYMENT;
  switch (f.pp_employment) {
    case cms::v1::EMPLOYMENT_STATUS_EMPLOYED:
      return Check(criterion, kMet, "the PP is employed");
    case cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED:
      return Check(criterion, kMet, "the PP is self-employed");
    case cms::v1::EMPLOYMENT_STATUS_UNEMPLOYED:
      return Check(criterion, kNotMet, "the PP is not in employment");
    default:
      // The procedure excludes a PP known to be out of work; an unknown
      // status is found out on the offer call (step 4), not presumed.
      return Check(criterion, kMet, "the PP is not known to be out of work");
  }
}

// The voluntary-DEO rule: the PP's statement is accepted, unless the RP's
// note says the DEO was enforced; then the legacy record decides, and no
// record of a voluntary DEO means it was enforced.
EligibilityCheck DeoNotVoluntary(const EligibilityFacts& f) {
  const auto criterion = cms::v1::ELIGIBILITY_CRITERION_LEGACY_DEO_NOT_VOLUNTARY;
  if (!f.pp_states_deo_voluntary) {
    return Check(criterion, kMet, "the PP has not said the legacy DEO was voluntary");
  }
  if (!f.rp_dissatisfied_note) {
    return Check(criterion, kNotMet,
                 "the PP says the legacy DEO was voluntary and no RP note says otherwise: the "
                 "statement is accepted");
  }
  if (f.legacy.deo_kind == cms::v1::LEGACY_DEO_KIND_VOLUNTARY) {
    return Check(criterion, kNotMet,
                 "the PP says the legacy DEO was voluntary; the RP's note disputes it and the "
                 "legacy record confirms it was voluntary");
  }
  return Check(criterion, kMet,
               "the PP says the legacy DEO was voluntary, but the RP's note disputes it and the "
               "legacy record holds no voluntary DEO: it was enforced");
}

}  // namespace

bool IsEnforcedCollection(const LegacyFacts& legacy) {
  if (IsDeoOrDer(legacy) && legacy.deo_kind != cms::v1::LEGACY_DEO_KIND_VOLUNTARY) return true;
  return Upper(legacy.method_of_collection) == "RDO" || !InFlight(legacy).empty();
}

bool NeedsManualLegacyLookup(cms::v1::LegacySystem system, const LegacyFacts& legacy) {
  if (system == cms::v1::LEGACY_SYSTEM_CCD) return true;
  return system == cms::v1::LEGACY_SYSTEM_CSCS && !IsDeoOrDer(legacy);
}

EligibilityAssessment AssessEligibility(const EligibilityFacts& f) {
  EligibilityAssessment out;
  out.checks = {
      LegacyEnforcement(f),
      AppliedBeforeTDate(f),
      Requests(cms::v1::ELIGIBILITY_CRITERION_PP_REQUESTS_DIRECT_PAY, "PP",
               f.pp_requested_service_type, cms::v1::SERVICE_TYPE_DIRECT_PAY),
      Requests(cms::v1::ELIGIBILITY_CRITERION_RP_REQUESTS_COLLECT_AND_PAY, "RP",
               f.rp_requested_service_type, cms::v1::SERVICE_TYPE_COLLECT_AND_PAY),
      Flag(cms::v1::ELIGIBILITY_CRITERION_PP_NOT_ON_BENEFIT, f.pp_on_benefit,
           "the PP is not on benefit", "the PP is in receipt of a benefit"),
      InEmployment(f),
      Flag(cms::v1::ELIGIBILITY_CRITERION_PP_NOT_NIL_ASSESSED, f.pp_nil_assessed,
           "the PP is not nil assessed", "the PP is nil assessed"),
      Flag(cms::v1::ELIGIBILITY_CRITERION_NO_ORDER_FOR_SALE, f.legacy.order_for_sale,
           "no legacy order for sale", "the legacy case has order for sale action"),
      Flag(cms::v1::ELIGIBILITY_CRITERION_NO_COMMITTAL, f.legacy.committal, "no legacy committal",
           "the legacy case has committal action"),
      Flag(cms::v1::ELIGIBILITY_CRITERION_NOT_SISTED, f.legacy.sisted,
           "the legacy case is not sisted", "the legacy case is sisted"),
      Flag(cms::v1::ELIGIBILITY_CRITERION_NO_DRIVING_DISQUALIFICATION,
           f.legacy.driving_disqualification, "no legacy driving disqualification",
           "the legacy case has driving disqualification action"),
      DeoNotVoluntary(f),
  };
  auto result_of = [&](EligibilityCriterion criterion) {
    for (const EligibilityCheck& c : out.checks) {
      if (c.criterion() == criterion) return c.result();
    }
    return cms::v1::CRITERION_RESULT_UNSPECIFIED;
  };
  const bool any_failed =
      std::any_of(out.checks.begin(), out.checks.end(),
                  [](const EligibilityCheck& c) { return c.result() == kNotMet; });
  out.final = std::none_of(out.checks.begin(), out.checks.end(),
                           [](const EligibilityCheck& c) { return c.result() == kUnknown; });
  if (result_of(cms::v1::ELIGIBILITY_CRITERION_PP_NOT_ON_BENEFIT) == kNotMet) {
    out.eligibility = cms::v1::PP_ELIGIBILITY_ON_BENEFIT;
  } else if (result_of(cms::v1::ELIGIBILITY_CRITERION_RP_REQUESTS_COLLECT_AND_PAY) == kNotMet) {
    out.eligibility = cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY;
  } else if (any_failed) {
    out.eligibility = out.final ? cms::v1::PP_ELIGIBILITY_NO : cms::v1::PP_ELIGIBILITY_NOT_LIKELY;
  } else {
    out.eligibility = out.final ? cms::v1::PP_ELIGIBILITY_YES : cms::v1::PP_ELIGIBILITY_LIKELY;
  }
  return out;
}

}  // namespace cms::domain
