#include "server/domain/compliance_mixed_master.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "server/base/enum_names.h"

namespace cms::domain {
namespace {

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

std::string Pounds(int64_t pence) { return absl::StrFormat("£%d.%02d", pence / 100, pence % 100); }

std::string StateName(cms::v1::ComplianceState s) { return ShortName(s); }

// "case 7 (ACCEPTED, trial to 2027-07-17)"
std::string UnderText(const MasterCaseMember& m) {
  std::string text = absl::StrCat("case ", m.case_id, " (", StateName(*m.opportunity_state));
  if (m.opportunity_state == cms::v1::COMPLIANCE_STATE_ACCEPTED) {
    absl::StrAppend(&text, m.trial_end.has_value() ? absl::StrCat(", trial to ", Day(*m.trial_end))
                                                   : ", trial not yet started");
  }
  return absl::StrCat(text, ")");
}

// "case 9 (no compliance opportunity; applied 2027-03-08, after the PP's
// legacy T-date 2027-03-01; 2012 arrears £12.00)"
std::string NotUnderText(const MasterCaseMember& m, std::optional<absl::CivilDay> pp_t_date) {
  std::vector<std::string> facts;
  facts.push_back(m.opportunity_state.has_value()
                      ? absl::StrCat("compliance opportunity ", StateName(*m.opportunity_state))
                      : "no compliance opportunity");
  if (m.application_date.has_value()) {
    std::string applied = absl::StrCat("applied ", Day(*m.application_date));
    if (pp_t_date.has_value()) {
      absl::StrAppend(&applied, *m.application_date > *pp_t_date ? ", after" : ", not after",
                      " the PP's legacy T-date ", Day(*pp_t_date));
    }
    facts.push_back(std::move(applied));
  }
  if (m.legacy_link) facts.push_back("linked to a legacy CSA case (CSA arrears may exist)");
  facts.push_back(m.arrears_2012_pence > 0
                      ? absl::StrCat("2012 arrears ", Pounds(m.arrears_2012_pence))
                      : "no 2012 arrears");
  return absl::StrCat("case ", m.case_id, " (", absl::StrJoin(facts, "; "), ")");
}

}  // namespace

bool UnderComplianceOpportunity(const MasterCaseMember& m, absl::CivilDay today) {
  if (!m.opportunity_state.has_value()) return false;
  switch (*m.opportunity_state) {
    case cms::v1::COMPLIANCE_STATE_ACCEPTED:
      return !m.trial_end.has_value() || today < *m.trial_end;
    case cms::v1::COMPLIANCE_STATE_OUTCOME_DUE:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<MixedMasterDecision> JudgeMixedMasterCase(const std::vector<MasterCaseMember>& cases,
                                                         int64_t schedule_case_id,
                                                         absl::CivilDay today) {
  const auto self = std::find_if(cases.begin(), cases.end(), [&](const MasterCaseMember& m) {
    return m.case_id == schedule_case_id;
  });
  if (self == cases.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("case ", schedule_case_id, " is not one of the paying parent's cases"));
  }
  MixedMasterDecision d;
  std::vector<std::string> under_text;
  std::vector<const MasterCaseMember*> others;
  // The PP's legacy end-of-liability date: the earliest T-date of a case
  // under the opportunity (the legacy case the trial came from).
  std::optional<absl::CivilDay> pp_t_date;
  for (const MasterCaseMember& m : cases) {
    if (m.closed && m.case_id != schedule_case_id) continue;
    if (UnderComplianceOpportunity(m, today)) {
      d.under.push_back(m.case_id);
      under_text.push_back(UnderText(m));
      if (m.legacy_t_date.has_value() && (!pp_t_date || *m.legacy_t_date < *pp_t_date)) {
        pp_t_date = m.legacy_t_date;
      }
    } else {
      d.not_under.push_back(m.case_id);
      others.push_back(&m);
    }
  }
  d.mixed = !d.under.empty() && !d.not_under.empty();
  if (d.under.empty()) {
    d.explanation = "no case of the paying parent is under a Segment 5 compliance opportunity";
    return d;
  }
  if (d.not_under.empty()) {
    d.explanation = absl::StrCat("every case of the paying parent is under a Segment 5 compliance ",
                                 "opportunity: ", absl::StrJoin(under_text, ", "));
    return d;
  }
  std::vector<std::string> other_text;
  for (const MasterCaseMember* m : others) other_text.push_back(NotUnderText(*m, pp_t_date));
  d.explanation = absl::StrCat(
      "mixed master case (S5.14): ", absl::StrJoin(under_text, ", "),
      d.under.size() == 1 ? " is" : " are", " under a Segment 5 compliance opportunity and ",
      absl::StrJoin(other_text, ", "), d.not_under.size() == 1 ? " is" : " are",
      " not; the new schedule for case ", schedule_case_id,
      " is held for manual allocation review before anything is collected on it");
  return d;
}

}  // namespace cms::domain
