// The Segment 5 trial itself (S5.5, S5.7, S5.8, S5.13, S5.18): its dates
// from the first schedule after the acceptance, its scheduled end, and the
// missed payments during it. ComplianceApp's methods for the trial; the
// offer's are in compliance.cc.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/compliance.h"
#include "server/app/compliance_internal.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/domain/compliance_outcome.h"
#include "server/store/compliance_repo.h"

namespace cms::app {
namespace {

using cms::v1::ComplianceOpportunity;
using google::protobuf::util::TimeUtil;

using compliance_internal::kOutcomeSrType;

constexpr char kEmployerMissedPaymentSrType[] = "EMPLOYER_MISSED_PAYMENT";
// S5.18: three DEO collections not made in full raise an Arrears Review.
constexpr int kDeoMissesForArrears = 3;

}  // namespace

// ---------------------------------------------------------------- the trial

absl::Status ComplianceApp::ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) {
  CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(
                                       c.tx(), schedule.case_id(), /*for_update=*/true));
  if (!found || found->state() != cms::v1::COMPLIANCE_STATE_ACCEPTED ||
      IsSet(found->start_date())) {
    return absl::OkStatus();  // the first schedule after the acceptance sets the dates
  }
  // S5.5: the trial starts on the first collection by the non-enforced
  // method (the DEO half of a 50:50 split does not start it).
  const cms::v1::ScheduleItem* first = nullptr;
  for (const cms::v1::ScheduleItem& i : schedule.items()) {
    if (domain::IsEnforcedMethod(i.expected_method())) continue;
    if (first == nullptr || CivilDayOf(i.due_date()) < CivilDayOf(first->due_date())) first = &i;
  }
  if (first == nullptr) return absl::OkStatus();  // nothing collected by a non-enforced method
  ComplianceOpportunity opp = *std::move(found);
  const ComplianceOpportunity before = opp;
  const absl::CivilDay start = CivilDayOf(first->due_date());
  const absl::CivilDay end = start + kCompliancePeriodDays;
  *opp.mutable_start_date() = DateOf(start);
  *opp.mutable_end_date() = DateOf(end);
  const std::string end_text = absl::FormatCivilTime(end);
  CMS_RETURN_IF_ERROR(
      store::ScheduleTimer(
          c.tx(),
          {kComplianceScheduledEndTimer, opp.id(), commands_.clock().StartOf(end), end_text,
           absl::StrCat(kComplianceScheduledEndTimer, "/", opp.id(), "/", end_text)},
          c.now_us())
          .status());
  return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_TRIAL_DATES_SET,
              absl::StrCat("schedule ", schedule.id(), ": the trial runs from the first ",
                           ShortName(first->expected_method()), " collection on ",
                           absl::FormatCivilTime(start), " to ", end_text, " (start + ",
                           kCompliancePeriodDays, " days, S5.5)"),
              0);
}

absl::Status ComplianceApp::ScheduledEnd(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                       store::GetComplianceOpportunity(c.tx(), timer.subject, /*for_update=*/true));
  if (opp.state() != cms::v1::COMPLIANCE_STATE_ACCEPTED || !IsSet(opp.end_date()) ||
      absl::FormatCivilTime(CivilDayOf(opp.end_date())) != timer.payload) {
    return absl::OkStatus();
  }
  for (const cms::v1::Extension& e : opp.extensions()) {
    // S5.11: an extension awaiting the team leader decides the end; its
    // rejection raises the outcome SR then.
    if (e.result() == cms::v1::EXTENSION_RESULT_PENDING) return absl::OkStatus();
  }
  const ComplianceOpportunity before = opp;
  // S5.8: the period's items as the payment history stands today (their
  // written standing: one index range, not every item and payment of the
  // case).
  const absl::CivilDay start = CivilDayOf(opp.start_date()), end = CivilDayOf(opp.end_date());
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::ScheduleItem> items,
                       payments_.StandingItemsDue(c.tx(), opp.case_id(), start, end));
  cms::v1::ProposedOutcome proposal = domain::ProposeOutcome(items, start, end);
  *proposal.mutable_propose_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  // S5.7: the outcome SR, system-made, priority, action End of Seg 5.
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kOutcomeSrType;
  spec.casegroup_id = opp.casegroup_id();
  spec.case_id = opp.case_id();
  spec.subject_person_id = opp.paying_parent_id();
  spec.source = cms::v1::SR_SOURCE_INTERNAL_SYSTEM;
  spec.priority = true;
  spec.fields = {{"Action", "End of Seg 5"}};
  spec.description = absl::StrCat(
      "The Segment 5 compliance opportunity ended on ", timer.payload,
      ": record the Compliance Action and Reason and the Unlikely to Pay check. Proposed: ",
      proposal.explanation(), " (S5.7, S5.8)");
  spec.rule = "S5.7";
  CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
  opp.set_outcome_service_request_id(sr.service_request().id());
  *opp.mutable_proposal() = proposal;
  opp.set_state(cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_SR_RAISED,
              absl::StrCat("trial ended ", timer.payload, ": Compliance Opportunity Outcome SR ",
                           sr.service_request().id(), " raised (S5.7); proposed ",
                           ShortName(proposal.action()), " / ", ShortName(proposal.reason()), ": ",
                           proposal.explanation()),
              sr.service_request().id());
}

absl::StatusOr<std::optional<std::string>> ComplianceApp::MissedPayment(Command& c, int64_t case_id,
                                                                        absl::CivilDay day) {
  CMS_ASSIGN_OR_RETURN(
      auto found, store::FindComplianceOpportunityByCase(c.tx(), case_id, /*for_update=*/true));
  if (!found || !domain::TrialRunsOn(*found, day)) return std::optional<std::string>();
  ComplianceOpportunity opp = *std::move(found);
  const ComplianceOpportunity before = opp;
  // Which of the trial's collections are down: the PP's own (non-enforced)
  // or only the employer's.
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::ScheduleItem> items,
                       payments_.ClassifiedItems(c.tx(), case_id, day));
  std::vector<std::string> own, employer;
  int deo_short = 0;  // S5.18: DEO collections of the trial not made in full
  for (const cms::v1::ScheduleItem& i : items) {
    const absl::CivilDay due = CivilDayOf(i.due_date());
    if (due < CivilDayOf(opp.start_date()) || due > day) continue;
    if (i.status() != cms::v1::ITEM_STATUS_MISSED && i.status() != cms::v1::ITEM_STATUS_PARTIAL) {
      continue;
    }
    (domain::IsEnforcedMethod(i.expected_method()) ? employer : own)
        .push_back(
            absl::StrCat(ShortName(i.expected_method()), " due ", absl::FormatCivilTime(due)));
    if (i.expected_method() == cms::v1::PAYMENT_METHOD_DEO) ++deo_short;
  }
  std::vector<std::string> done;
  int64_t sr_id = 0;
  if (!employer.empty()) {
    // S5.18: the Employer Support Team contacts the employer.
    ServiceRequestApp::RuleSr spec;
    spec.type_code = kEmployerMissedPaymentSrType;
    spec.casegroup_id = opp.casegroup_id();
    spec.case_id = case_id;
    spec.subject_person_id = opp.paying_parent_id();
    spec.description = absl::StrCat(
        "DEO collection missed during the Segment 5 trial: ", absl::StrJoin(employer, ", "),
        ". Contact the employer (S5.18)");
    spec.rule = "S5.18";
    CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse est, srs_.RaiseByRule(c, spec));
    sr_id = est.service_request().id();
    done.push_back(absl::StrCat("Action Missed Payment SR ", sr_id,
                                est.existing() ? " already open" : " raised",
                                " to the Employer Support Team for the DEO (S5.18)"));
    if (deo_short >= kDeoMissesForArrears) {
      ServiceRequestApp::RuleSr review;
      review.type_code = "ARREARS_REVIEW";
      review.casegroup_id = opp.casegroup_id();
      review.case_id = case_id;
      review.fields = {{"Reason", "DEO payments missed"}, {"Segment 5 Case", "Y"}};
      review.description = absl::StrCat(deo_short,
                                        " DEO collections of the Segment 5 trial not made in "
                                        "full: investigate (S5.18)");
      review.rule = "S5.18";
      CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse ar, srs_.RaiseByRule(c, review));
      done.push_back(absl::StrCat("Arrears Review SR ", ar.service_request().id(),
                                  ar.existing() ? " already open" : " raised", " after ", deo_short,
                                  " DEO collections short (S5.18)"));
    }
  }
  std::string outcome;
  if (!own.empty()) {
    ServiceRequestApp::RuleSr spec;
    spec.type_code = "ARREARS_REVIEW";
    spec.casegroup_id = opp.casegroup_id();
    spec.case_id = case_id;
    spec.fields = {{"Reason", "Segment 5 Compliance Opportunity missed payment"},
                   {"Segment 5 Case", "Y"}};
    spec.description = absl::StrCat(
        "Missed during the Segment 5 compliance opportunity: ", absl::StrJoin(own, ", "),
        ". Do not contact the paying parent to ask for the payment before the Compliance Action "
        "and Reason are recorded (S5.13, AR10.9)");
    spec.rule = "S5.13";
    CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
    sr_id = sr.service_request().id();
    outcome = absl::StrCat("Segment 5 trial: Arrears Review SR ", sr_id,
                           sr.existing() ? " already open (SR5.10)" : " raised",
                           " with the Segment 5 Case flag; the casegroup stays where it is and "
                           "the PP is not contacted for the payment (S5.13)");
  } else {
    outcome = absl::StrCat("Segment 5 trial: only the enforced collection is down (",
                           absl::StrJoin(employer, ", "),
                           "): the employer's, which does not fail the PP (S5.18); the casegroup "
                           "stays where it is (S5.13)");
  }
  if (!done.empty()) absl::StrAppend(&outcome, "; ", absl::StrJoin(done, "; "));
  CMS_RETURN_IF_ERROR(
      Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_MISSED_PAYMENT, outcome, sr_id));
  return std::optional<std::string>(outcome);
}

}  // namespace cms::app
