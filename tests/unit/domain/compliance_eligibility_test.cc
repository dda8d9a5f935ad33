// S5.1, S5.2: Segment 5 eligibility as a table: every criterion and
// exclusion alone and in pairs, facts still to come, the voluntary-DEO note
// rule, and the manual look-up rule.
#include "server/domain/compliance_eligibility.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

namespace cms::domain {
namespace {

using cms::v1::CriterionResult;
using cms::v1::EligibilityCriterion;
using cms::v1::PpEligibility;

// A PP every criterion admits: enforced legacy DEO, applied before the
// T-date, PP asks direct pay, RP collect and pay, employed, not on benefit.
EligibilityFacts Eligible() {
  EligibilityFacts f;
  f.legacy.method_of_collection = "DEO";
  f.legacy.deo_kind = cms::v1::LEGACY_DEO_KIND_ENFORCED;
  f.legacy.t_date = absl::CivilDay(2027, 3, 1);
  f.application_date = absl::CivilDay(2027, 1, 10);
  f.pp_requested_service_type = cms::v1::SERVICE_TYPE_DIRECT_PAY;
  f.rp_requested_service_type = cms::v1::SERVICE_TYPE_COLLECT_AND_PAY;
  f.pp_employment = cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
  return f;
}

std::map<EligibilityCriterion, CriterionResult> Results(const EligibilityAssessment& a) {
  std::map<EligibilityCriterion, CriterionResult> out;
  for (const auto& c : a.checks) {
    EXPECT_FALSE(c.explanation().empty()) << c.criterion();
    out[c.criterion()] = c.result();
  }
  return out;
}

struct Exclusion {
  const char* name;
  EligibilityCriterion criterion;  // the criterion it fails
  std::function<void(EligibilityFacts&)> apply;
};

const std::vector<Exclusion>& Exclusions() {
  static const auto* const kExclusions = new std::vector<Exclusion>{
      {"no enforced collection", cms::v1::ELIGIBILITY_CRITERION_LEGACY_ENFORCEMENT,
       [](EligibilityFacts& f) { f.legacy.method_of_collection = "DD"; }},
      {"applied on the T-date", cms::v1::ELIGIBILITY_CRITERION_APPLIED_BEFORE_T_DATE,
       [](EligibilityFacts& f) { f.application_date = *f.legacy.t_date; }},
      {"PP asks collect and pay", cms::v1::ELIGIBILITY_CRITERION_PP_REQUESTS_DIRECT_PAY,
       [](EligibilityFacts& f) {
         f.pp_requested_service_type = cms::v1::SERVICE_TYPE_COLLECT_AND_PAY;
       }},
      {"RP asks direct pay", cms::v1::ELIGIBILITY_CRITERION_RP_REQUESTS_COLLECT_AND_PAY,
       [](EligibilityFacts& f) { f.rp_requested_service_type = cms::v1::SERVICE_TYPE_DIRECT_PAY; }},
      {"PP on benefit", cms::v1::ELIGIBILITY_CRITERION_PP_NOT_ON_BENEFIT,
       [](EligibilityFacts& f) { f.pp_on_benefit = true; }},
      {"PP not in employment", cms::v1::ELIGIBILITY_CRITERION_PP_IN_EMPLOYMENT,
       [](EligibilityFacts& f) { f.pp_employment = cms::v1::EMPLOYMENT_STATUS_UNEMPLOYED; }},
      {"PP nil assessed", cms::v1::ELIGIBILITY_CRITERION_PP_NOT_NIL_ASSESSED,
       [](EligibilityFacts& f) { f.pp_nil_assessed = true; }},
      {"order for sale", cms::v1::ELIGIBILITY_CRITERION_NO_ORDER_FOR_SALE,
       [](EligibilityFacts& f) { f.legacy.order_for_sale = true; }},
      {"committal", cms::v1::ELIGIBILITY_CRITERION_NO_COMMITTAL,
       [](EligibilityFacts& f) { f.legacy.committal = true; }},
      {"sisted", cms::v1::ELIGIBILITY_CRITERION_NOT_SISTED,
       [](EligibilityFacts& f) { f.legacy.sisted = true; }},
      {"driving disqualification", cms::v1::ELIGIBILITY_CRITERION_NO_DRIVING_DISQUALIFICATION,
       [](EligibilityFacts& f) { f.legacy.driving_disqualification = true; }},
      {"PP says DEO voluntary, no RP note", cms::v1::ELIGIBILITY_CRITERION_LEGACY_DEO_NOT_VOLUNTARY,
       [](EligibilityFacts& f) { f.pp_states_deo_voluntary = true; }},
  };
  return *kExclusions;
}

// What the field shows when exactly `failed` criteria fail and every fact
// is known: benefit first, then the RP's direct pay, else NO.
PpEligibility Expected(const std::vector<EligibilityCriterion>& failed) {
  auto has = [&](EligibilityCriterion c) {
    return std::find(failed.begin(), failed.end(), c) != failed.end();
  };
  if (has(cms::v1::ELIGIBILITY_CRITERION_PP_NOT_ON_BENEFIT))
    return cms::v1::PP_ELIGIBILITY_ON_BENEFIT;
  if (has(cms::v1::ELIGIBILITY_CRITERION_RP_REQUESTS_COLLECT_AND_PAY)) {
    return cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY;
  }
  return cms::v1::PP_ELIGIBILITY_NO;
}

TEST(ComplianceEligibility, S5_1_EveryCriterionMetIsYes) {
  const EligibilityAssessment a = AssessEligibility(Eligible());
  EXPECT_EQ(a.eligibility, cms::v1::PP_ELIGIBILITY_YES);
  EXPECT_TRUE(a.final);
  ASSERT_EQ(a.checks.size(), 12u);
  for (const auto& [criterion, result] : Results(a)) {
    EXPECT_EQ(result, cms::v1::CRITERION_RESULT_MET) << criterion;
  }
}

TEST(ComplianceEligibility, S5_1_EachExclusionAloneFailsItsCriterionOnly) {
  for (const Exclusion& e : Exclusions()) {
    SCOPED_TRACE(e.name);
    EligibilityFacts f = Eligible();
    e.apply(f);
    const EligibilityAssessment a = AssessEligibility(f);
    EXPECT_EQ(a.eligibility, Expected({e.criterion}));
    for (const auto& [criterion, result] : Results(a)) {
      EXPECT_EQ(result, criterion == e.criterion ? cms::v1::CRITERION_RESULT_NOT_MET
                                                 : cms::v1::CRITERION_RESULT_MET)
          << criterion;
    }
  }
}

TEST(ComplianceEligibility, S5_1_EveryPairOfExclusionsFailsBoth) {
  const auto& all = Exclusions();
  for (size_t i = 0; i < all.size(); ++i) {
    for (size_t j = i + 1; j < all.size(); ++j) {
      SCOPED_TRACE(std::string(all[i].name) + " + " + all[j].name);
      EligibilityFacts f = Eligible();
      all[i].apply(f);
      all[j].apply(f);
      const EligibilityAssessment a = AssessEligibility(f);
      EXPECT_EQ(a.eligibility, Expected({all[i].criterion, all[j].criterion}));
      const auto results = Results(a);
      EXPECT_EQ(results.at(all[i].criterion), cms::v1::CRITERION_RESULT_NOT_MET);
      EXPECT_EQ(results.at(all[j].criterion), cms::v1::CRITERION_RESULT_NOT_MET);
    }
  }
}

TEST(ComplianceEligibility, S5_1_EnforcementTakesEveryNamedForm) {
  struct Row {
    const char* moc;
    cms::v1::LegacyDeoKind kind;
    std::vector<std::string> actions;
    bool enforced;
  };
  const Row rows[] = {
      {"DEO", cms::v1::LEGACY_DEO_KIND_ENFORCED, {}, true},
      {"DER", cms::v1::LEGACY_DEO_KIND_ENFORCED, {}, true},
      {"DEO", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {}, true},  // no note: assume enforced
      {"DEO", cms::v1::LEGACY_DEO_KIND_VOLUNTARY, {}, false},
      {"RDO", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {}, true},
      {"DD", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"LO"}, true},
      {"SO", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"lsdo"}, true},
      {"DD", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"FREEZING_ORDER"}, true},
      {"DD", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"SETTING_ASIDE"}, true},
      {"DEO", cms::v1::LEGACY_DEO_KIND_VOLUNTARY, {"LO"}, true},
      // The CSA Segment 5 Legal case list holds the PP: on-going legal action.
      {"DD", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"Y"}, true},
      {"DD", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {}, false},
      {"", cms::v1::LEGACY_DEO_KIND_UNKNOWN, {"WARNING_LETTER"}, false},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(std::string(r.moc) + " " + std::to_string(r.kind));
    EligibilityFacts f = Eligible();
    f.legacy.method_of_collection = r.moc;
    f.legacy.deo_kind = r.kind;
    f.legacy.enforcement_actions = r.actions;
    EXPECT_EQ(IsEnforcedCollection(f.legacy), r.enforced);
    EXPECT_EQ(AssessEligibility(f).eligibility,
              r.enforced ? cms::v1::PP_ELIGIBILITY_YES : cms::v1::PP_ELIGIBILITY_NO);
  }
}

TEST(ComplianceEligibility, S5_1_FactsStillToComeGiveLikelyOrNotLikely) {
  struct Row {
    const char* name;
    std::function<void(EligibilityFacts&)> apply;
    PpEligibility expected;
  };
  const Row rows[] = {
      {"RP's service type not known",
       [](EligibilityFacts& f) { f.rp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED; },
       cms::v1::PP_ELIGIBILITY_LIKELY},
      {"PP's service type not known",
       [](EligibilityFacts& f) { f.pp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED; },
       cms::v1::PP_ELIGIBILITY_LIKELY},
      {"legacy look-up outstanding",
       [](EligibilityFacts& f) { f.legacy_lookup_outstanding = true; },
       cms::v1::PP_ELIGIBILITY_LIKELY},
      {"T-date not known", [](EligibilityFacts& f) { f.legacy.t_date.reset(); },
       cms::v1::PP_ELIGIBILITY_LIKELY},
      {"RP's type unknown, after the T-date",
       [](EligibilityFacts& f) {
         f.rp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
         f.application_date = absl::CivilDay(2027, 4, 1);
       },
       cms::v1::PP_ELIGIBILITY_NOT_LIKELY},
      {"RP's type unknown, on benefit",
       [](EligibilityFacts& f) {
         f.rp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
         f.pp_on_benefit = true;
       },
       cms::v1::PP_ELIGIBILITY_ON_BENEFIT},
      {"PP's type unknown, RP asks direct pay",
       [](EligibilityFacts& f) {
         f.pp_requested_service_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;
         f.rp_requested_service_type = cms::v1::SERVICE_TYPE_DIRECT_PAY;
       },
       cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.name);
    EligibilityFacts f = Eligible();
    r.apply(f);
    const EligibilityAssessment a = AssessEligibility(f);
    EXPECT_EQ(a.eligibility, r.expected);
    EXPECT_FALSE(a.final);
  }
}

TEST(ComplianceEligibility, S5_1_EmploymentNotKnownIsNoExclusion) {
  for (auto status : {cms::v1::EMPLOYMENT_STATUS_UNKNOWN, cms::v1::EMPLOYMENT_STATUS_UNSPECIFIED,
                      cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED}) {
    EligibilityFacts f = Eligible();
    f.pp_employment = status;
    EXPECT_EQ(AssessEligibility(f).eligibility, cms::v1::PP_ELIGIBILITY_YES) << status;
  }
}

// The voluntary-DEO rule: the PP's statement stands unless the RP's note
// disputes it; then the legacy record decides, no record meaning enforced.
TEST(ComplianceEligibility, S5_1_VoluntaryDeoStatementAndTheRpNote) {
  struct Row {
    bool pp_says_voluntary;
    bool rp_note;
    cms::v1::LegacyDeoKind legacy_kind;
    PpEligibility expected;
  };
  const Row rows[] = {
      {false, false, cms::v1::LEGACY_DEO_KIND_ENFORCED, cms::v1::PP_ELIGIBILITY_YES},
      {false, true, cms::v1::LEGACY_DEO_KIND_ENFORCED, cms::v1::PP_ELIGIBILITY_YES},
      {true, false, cms::v1::LEGACY_DEO_KIND_ENFORCED, cms::v1::PP_ELIGIBILITY_NO},
      {true, false, cms::v1::LEGACY_DEO_KIND_UNKNOWN, cms::v1::PP_ELIGIBILITY_NO},
      {true, true, cms::v1::LEGACY_DEO_KIND_ENFORCED, cms::v1::PP_ELIGIBILITY_YES},
      {true, true, cms::v1::LEGACY_DEO_KIND_UNKNOWN, cms::v1::PP_ELIGIBILITY_YES},
      // A voluntary legacy DEO fails the enforcement criterion as well.
      {true, true, cms::v1::LEGACY_DEO_KIND_VOLUNTARY, cms::v1::PP_ELIGIBILITY_NO},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(::testing::Message() << r.pp_says_voluntary << r.rp_note << r.legacy_kind);
    EligibilityFacts f = Eligible();
    f.pp_states_deo_voluntary = r.pp_says_voluntary;
    f.rp_dissatisfied_note = r.rp_note;
    f.legacy.deo_kind = r.legacy_kind;
    const EligibilityAssessment a = AssessEligibility(f);
    EXPECT_EQ(a.eligibility, r.expected);
    EXPECT_EQ(Results(a).at(cms::v1::ELIGIBILITY_CRITERION_LEGACY_DEO_NOT_VOLUNTARY),
              r.expected == cms::v1::PP_ELIGIBILITY_YES || !r.pp_says_voluntary
                  ? cms::v1::CRITERION_RESULT_MET
                  : cms::v1::CRITERION_RESULT_NOT_MET);
  }
}

// S5.1: a PP with two RPs is judged per case.
TEST(ComplianceEligibility, S5_1_EachCaseOfAPayingParentIsJudgedAlone) {
  EligibilityFacts first = Eligible();
  EligibilityFacts second = Eligible();
  second.rp_requested_service_type = cms::v1::SERVICE_TYPE_DIRECT_PAY;
  EXPECT_EQ(AssessEligibility(first).eligibility, cms::v1::PP_ELIGIBILITY_YES);
  EXPECT_EQ(AssessEligibility(second).eligibility, cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY);
}

TEST(ComplianceEligibility, S5_2_ManualLookupForCcdAndCscsWithoutDeo) {
  LegacyFacts deo;
  deo.method_of_collection = "DEO";
  LegacyFacts dd;
  dd.method_of_collection = "DD";
  EXPECT_TRUE(NeedsManualLegacyLookup(cms::v1::LEGACY_SYSTEM_CCD, deo));
  EXPECT_TRUE(NeedsManualLegacyLookup(cms::v1::LEGACY_SYSTEM_CCD, dd));
  EXPECT_FALSE(NeedsManualLegacyLookup(cms::v1::LEGACY_SYSTEM_CSCS, deo));
  EXPECT_TRUE(NeedsManualLegacyLookup(cms::v1::LEGACY_SYSTEM_CSCS, dd));
  EXPECT_FALSE(NeedsManualLegacyLookup(cms::v1::LEGACY_SYSTEM_CS2, dd));
}

}  // namespace
}  // namespace cms::domain
