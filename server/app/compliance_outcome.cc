// The end of a Segment 5 trial (S5.8–S5.12, S5.16, S5.17, AR10.9, A6.3):
// the caseworker's outcome and UTP check and what the server then does,
// extensions and early ends, and the team leader's approvals that carry
// out a UTP fail or an extension. ComplianceApp's methods for them.
#include "server/domain/compliance_outcome.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/compliance.h"
#include "server/app/compliance_internal.h"
#include "server/app/dates.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/domain/compliance_decisions.h"
#include "server/domain/sr_rules.h"
#include "server/store/casegroup_repo.h"
#include "server/store/compliance_repo.h"
#include "server/store/mopf_repo.h"
#include "server/store/schedule_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::ComplianceOpportunity;
using compliance_internal::kMopfSrType;
using compliance_internal::kOutcomeSrType;
using compliance_internal::kServiceTypeSrType;
using compliance_internal::Method;
using google::protobuf::util::TimeUtil;

// How the outcome SR's fields word the recorded outcome (catalog/
// sr_types.textproto: "Pass or Fail", "All Payments Received or Payment
// Default", "Not Applicable or NRP Unlikely to Pay").
std::string OutcomeFieldText(cms::v1::ComplianceAction a) {
  switch (a) {
    case cms::v1::COMPLIANCE_ACTION_PASS:
      return "Pass";
    case cms::v1::COMPLIANCE_ACTION_FAIL:
      return "Fail";
    case cms::v1::COMPLIANCE_ACTION_ENDED_EARLY:
      return "Ended Early";
    default:
      return "";
  }
}
std::string OutcomeFieldText(cms::v1::ComplianceReason r) {
  switch (r) {
    case cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED:
      return "All Payments Received";
    case cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT:
      return "Payment Default";
    default:
      return "";
  }
}
std::string OutcomeFieldText(cms::v1::UnlikelyToPayStatus s) {
  switch (s) {
    case cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE:
      return "Not Applicable";
    case cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY:
      return "NRP Unlikely to Pay";
    default:
      return "";
  }
}
constexpr char kPerformCalculationSrType[] = "PERFORM_CALCULATION";
constexpr char kClearArtefactSrType[] = "CLEAR_ARTEFACT";
constexpr char kChangeOfCircumstanceSrType[] = "CHANGE_OF_CIRCUMSTANCE";
constexpr char kChangeOfAddressSrType[] = "CHANGE_OF_ADDRESS";
constexpr char kArrearsReviewSrType[] = "ARREARS_REVIEW";
constexpr char kActionMissedPaymentSrType[] = "ACTION_MISSED_PAYMENT";
constexpr char kManualAllocationReviewSrType[] = "MANUAL_ALLOCATION_REVIEW";
constexpr char kCofCAccepted[] = "CofC Accepted";
constexpr char kCofCRejected[] = "CofC Rejected";
// The outcome SR's Action values, which are also its sub statuses.
constexpr char kEarlyEndAction[] = "Early End of Seg 5";
constexpr char kExtensionAction[] = "Extension of Seg 5";

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

// The procedure's wording of each Early End reason.
std::string EarlyEndText(cms::v1::EarlyEndReason r) {
  switch (r) {
    case cms::v1::EARLY_END_REASON_CHANGE_TO_DIRECT_PAY:
      return "Change to Direct Pay";
    case cms::v1::EARLY_END_REASON_CASE_CLOSED:
      return "Case Closed";
    case cms::v1::EARLY_END_REASON_PAYING_PARENT_NIL_ASSESSED:
      return "Paying Parent Nil Assessed";
    case cms::v1::EARLY_END_REASON_CHANGE_OF_CIRCUMSTANCE:
      return "Change of Circumstance";
    case cms::v1::EARLY_END_REASON_ON_BENEFIT_CHANGE:
      return "On-benefit change";
    case cms::v1::EARLY_END_REASON_MISSED_PAYMENTS:
      return "Missed Payment/s";
    case cms::v1::EARLY_END_REASON_NON_AGREED_METHOD_OF_PAYMENT:
      return "Payment by a non-agreed method";
    default:
      return "";
  }
}

std::string ExtensionText(cms::v1::ExtensionReason r) {
  switch (r) {
    case cms::v1::EXTENSION_REASON_CHANGE_TO_EMPLOYER:
      return "Change to Employer";
    case cms::v1::EXTENSION_REASON_CHANGE_TO_METHOD_OF_PAYMENT_FROM:
      return "Change to Method of Payment From";
    case cms::v1::EXTENSION_REASON_MISSED_PAYMENTS:
      return "Missed Payment/s";
    case cms::v1::EXTENSION_REASON_CHANGE_OF_CIRCUMSTANCE:
      return "Change of Circumstance";
    default:
      return "";
  }
}

// The trial has started and its end date has not come (S5.11, S5.12).
bool Running(const ComplianceOpportunity& opp, absl::CivilDay today) {
  return opp.state() == cms::v1::COMPLIANCE_STATE_ACCEPTED && IsSet(opp.start_date()) &&
         today >= CivilDayOf(opp.start_date()) && today < CivilDayOf(opp.end_date());
}

cms::v1::Extension* PendingExtension(ComplianceOpportunity& opp) {
  for (cms::v1::Extension& e : *opp.mutable_extensions()) {
    if (e.result() == cms::v1::EXTENSION_RESULT_PENDING) return &e;
  }
  return nullptr;
}

void CheckNote(FieldErrors& errors, const std::string& note) {
  if (note.empty()) errors.Add("note", "required: the reason, as recorded in the SR's notes");
  if (note.size() > 2000) errors.Add("note", "at most 2000 characters");
}

// Shares of `methods` rescaled to total 100 (the remainder to the first).
std::vector<cms::v1::MopfMethod> Rescaled(std::vector<cms::v1::MopfMethod> methods) {
  int total = 0;
  for (const auto& m : methods) total += m.share_percent();
  int given = 0;
  for (auto& m : methods) {
    m.set_share_percent(total == 0 ? 0 : m.share_percent() * 100 / total);
    given += m.share_percent();
  }
  if (!methods.empty()) methods[0].set_share_percent(methods[0].share_percent() + 100 - given);
  return methods;
}

}  // namespace

// ---------------------------------------------------------------- SRs

absl::StatusOr<int64_t> ComplianceApp::RaiseOutcomeSr(
    Command& c, const ComplianceOpportunity& opp, const std::string& action, int64_t parent_sr,
    cms::v1::SrSource source, std::string description, absl::string_view rule, bool leave_new,
    std::map<std::string, std::string> more_fields) {
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kOutcomeSrType;
  spec.casegroup_id = opp.casegroup_id();
  spec.case_id = opp.case_id();
  spec.subject_person_id = opp.paying_parent_id();
  spec.source = source;
  spec.priority = true;
  spec.parent_id = parent_sr;
  spec.fields = std::move(more_fields);
  spec.fields["Action"] = action;
  spec.description = std::move(description);
  spec.rule = std::string(rule);
  CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
  if (sr.existing()) {
    return RuleViolation(
        rule, absl::StrCat("Compliance Opportunity Outcome SR ", sr.service_request().id(),
                           " is still open on this case: finish it first"));
  }
  const int64_t id = sr.service_request().id();
  if (!leave_new) {
    CMS_RETURN_IF_ERROR(
        srs_.MoveByRule(c, id, cms::v1::SR_STATUS_IN_PROGRESS, action, "", rule).status());
  }
  return id;
}

absl::Status ComplianceApp::CloseOutcomeSrIfDone(Command& c, const ComplianceOpportunity& opp) {
  if (opp.state() != cms::v1::COMPLIANCE_STATE_COMPLETED || opp.outcome_service_request_id() == 0) {
    return absl::OkStatus();
  }
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), opp.outcome_service_request_id()));
  if (domain::IsTerminal(sr.status()) || sr.status() == cms::v1::SR_STATUS_PENDING_APPROVAL) {
    return absl::OkStatus();
  }
  CMS_ASSIGN_OR_RETURN(int64_t open_children, store::CountOpenChildren(c.tx(), sr.id()));
  if (open_children > 0) return absl::OkStatus();
  return srs_
      .CloseByRule(c, sr.id(), kCofCAccepted, "Complete",
                   "The compliance opportunity's outcome is recorded and carried out, and its "
                   "child SRs are closed: CofC Accepted",
                   opp.outcome().utp_status() == cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE
                       ? "S5.9"
                       : "S5.10")
      .status();
}

absl::StatusOr<bool> ComplianceApp::ServiceRequestRaised(Command&,
                                                         const cms::v1::ServiceRequest& sr,
                                                         bool existing) {
  // The outcome SR is the opportunity's: raised by its RPCs, which end or
  // extend the trial with it, or by the server at the scheduled end. One a
  // caller raised by itself would do neither, and, being one open per case
  // (SR5.10), would then stand in the way of both.
  if (sr.type_code() == kOutcomeSrType && sr.created_by_rule().empty() && !existing) {
    return RuleViolation(
        "S5.12",
        "a Compliance Opportunity Outcome SR is raised through the compliance opportunity: "
        "ComplianceService.EndEarly for an early end (S5.12), RequestExtension for an extension "
        "(S5.11); the server raises it at the scheduled end (S5.7)");
  }
  return false;
}

absl::Status ComplianceApp::ServiceRequestEnded(Command& c, const cms::v1::ServiceRequest& sr) {
  if (sr.type_code() == kManualAllocationReviewSrType) {
    // S5.14: the review ends with the schedule's release or replacement
    // (both change the schedule first), never by itself.
    int64_t schedule_id = 0;
    auto field = sr.fields().find("Schedule");
    if (field != sr.fields().end() && absl::SimpleAtoi(field->second, &schedule_id)) {
      CMS_ASSIGN_OR_RETURN(cms::v1::Schedule held, store::GetSchedule(c.tx(), schedule_id));
      if (held.state() == cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW) {
        return RuleViolation("S5.14", absl::StrCat("schedule ", schedule_id,
                                                   " is still held: release it "
                                                   "(PaymentService.ReleaseSchedule) or generate "
                                                   "the schedule again, which ends this SR"));
      }
    }
    return absl::OkStatus();
  }
  if (sr.parent_id() == 0 || sr.case_id() == 0) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(c.tx(), sr.case_id()));
  if (!found || found->outcome_service_request_id() != sr.parent_id()) return absl::OkStatus();
  return CloseOutcomeSrIfDone(c, *found);
}

// ---------------------------------------------------------------- the outcome

absl::Status ComplianceApp::RecordOutcome(const Actor& actor,
                                          const cms::v1::RecordOutcomeRequest& req,
                                          ComplianceOpportunity* out) {
  FieldErrors errors;
  CheckNote(errors, req.note());
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.8"));
  return commands_.Run(
      actor, "RecordOutcome", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        if (opp.state() != cms::v1::COMPLIANCE_STATE_OUTCOME_DUE) {
          return RuleViolation(
              "S5.8", absl::StrCat("the outcome is recorded once the trial has ended and its "
                                   "Compliance Opportunity Outcome SR is open; this "
                                   "opportunity is ",
                                   ShortName(opp.state())));
        }
        FieldErrors problems;
        for (const auto& [field, why] :
             domain::OutcomeProblems(req.action(), req.reason(), req.utp_status(),
                                     req.dp_rejected_reason(), opp.has_early_end())) {
          problems.Add(field, why);
        }
        CMS_RETURN_IF_ERROR(problems.ToStatus(
            req.utp_status() == cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY ? "S5.10"
                                                                                    : "S5.8"));
        const ComplianceOpportunity before = opp;
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const int64_t sr_id = opp.outcome_service_request_id();
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr, store::GetServiceRequest(c.tx(), sr_id));
        if (sr.status() == cms::v1::SR_STATUS_OPEN) {
          CMS_RETURN_IF_ERROR(
              srs_.MoveByRule(c, sr_id, cms::v1::SR_STATUS_IN_PROGRESS,
                              opp.has_early_end() ? kEarlyEndAction : "End of Seg 5", "", "S5.8")
                  .status());
        }
        cms::v1::RecordedOutcome o;
        o.set_action(req.action());
        o.set_reason(req.reason());
        o.set_utp_status(req.utp_status());
        o.set_dp_rejected_reason(req.dp_rejected_reason());
        *o.mutable_effective_date() = DateOf(today);
        o.set_note(req.note());
        o.set_recorded_by(c.actor().staff_id);
        *o.mutable_record_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
        const bool utp_pass = req.utp_status() == cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE;
        CMS_RETURN_IF_ERROR(AddSrNote(
            c, sr_id,
            absl::StrCat(
                "Compliance Action ", ShortName(req.action()), ", Compliance Reason ",
                ShortName(req.reason()), "; Unlikely to Pay Status ", ShortName(req.utp_status()),
                utp_pass ? "" : absl::StrCat(" (DP rejected: ", req.dp_rejected_reason(), ")"),
                "; effective ", Day(today), ". ", req.note())));
        opp.set_utp_status(req.utp_status());
        *opp.mutable_utp_effective_date() = DateOf(today);
        // The outcome SR's fields, as the procedure has them filled in.
        CMS_RETURN_IF_ERROR(
            srs_.SetFieldsByRule(c, sr_id,
                                 {{"Compliance Action", OutcomeFieldText(req.action())},
                                  {"Compliance Reason", OutcomeFieldText(req.reason())},
                                  {"Unlikely to Pay Status", OutcomeFieldText(req.utp_status())},
                                  {"DP Rejected Reason", utp_pass ? "" : req.dp_rejected_reason()},
                                  {"Effective Date", Day(today)}},
                                 "S5.8"));
        std::string proposed;
        if (opp.has_proposal() &&
            (opp.proposal().action() != req.action() || opp.proposal().reason() != req.reason())) {
          proposed = absl::StrCat(" (the server proposed ", ShortName(opp.proposal().action()),
                                  " / ", ShortName(opp.proposal().reason()), ")");
        }
        if (utp_pass) {
          // S5.9: carried out now.
          CMS_RETURN_IF_ERROR(CarryOutPass(c, opp, o));
          opp.set_state(cms::v1::COMPLIANCE_STATE_COMPLETED);
        } else {
          // S5.10, A6.3: the TL approves reapplying fees and charges;
          // nothing changes before that.
          cms::v1::ApprovalAction action;
          action.mutable_compliance_fail()->set_opportunity_id(opp.id());
          CMS_ASSIGN_OR_RETURN(
              cms::v1::Approval approval,
              approvals_.SubmitIn(c, sr_id,
                                  "Seg 5 Unlikely to Pay check failed: reapply collection fees "
                                  "and enforcement charges",
                                  req.note(), std::move(action)));
          o.set_approval_id(approval.id());
          o.add_consequences(absl::StrCat(
              "outcome SR submitted for team leader approval ", approval.id(),
              " to reapply collection fees and enforcement charges (S5.10); nothing changes "
              "before it is approved"));
          opp.set_state(cms::v1::COMPLIANCE_STATE_PENDING_APPROVAL);
        }
        *opp.mutable_outcome() = o;
        CMS_RETURN_IF_ERROR(
            Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_RECORDED,
                 absl::StrCat(ShortName(req.action()), " / ", ShortName(req.reason()), proposed,
                              "; Unlikely to Pay Status ", ShortName(req.utp_status()), ": ",
                              absl::StrJoin(o.consequences(), "; ")),
                 sr_id));
        CMS_RETURN_IF_ERROR(CloseOutcomeSrIfDone(c, opp));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

absl::Status ComplianceApp::CalculationAndLetters(Command& c, const ComplianceOpportunity& opp,
                                                  cms::v1::RecordedOutcome& o) {
  const int64_t sr_id = opp.outcome_service_request_id();
  const bool pass = o.utp_status() == cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE;
  ServiceRequestApp::RuleSr calc;
  calc.type_code = kPerformCalculationSrType;
  calc.casegroup_id = opp.casegroup_id();
  calc.case_id = opp.case_id();
  calc.parent_id = sr_id;
  calc.description = absl::StrCat(
      "Recalculate after the Segment 5 compliance opportunity outcome and issue the calculation "
      "letters (",
      pass ? "S5.9: the case moves to direct pay" : "S5.10: the case stays collect and pay", ")");
  calc.rule = pass ? "S5.9" : "S5.10";
  CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse made, srs_.RaiseByRule(c, calc));
  o.add_child_service_request_ids(made.service_request().id());
  o.add_consequences(
      absl::StrCat("Perform Calculation child SR ", made.service_request().id(), " raised"));
  for (const char* code : {"CMSL0136", "CMSL0137"}) {
    CMS_ASSIGN_OR_RETURN(cms::v1::Letter letter,
                         letters_.IssueLetterIn(c, code, opp.case_id(), 0, sr_id));
    o.add_consequences(absl::StrCat(code, " issued (letter ", letter.id(), ")"));
  }
  return absl::OkStatus();
}

absl::Status ComplianceApp::CarryOutPass(Command& c, ComplianceOpportunity& opp,
                                         cms::v1::RecordedOutcome& o) {
  const absl::CivilDay today = commands_.clock().Today(c.now());
  const int64_t sr_id = opp.outcome_service_request_id();
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), opp.case_id(), true));
  o.add_consequences("Unlikely to Pay Status Not Applicable");

  // The Change to Service Type child SR, made and closed: direct pay.
  {
    CMS_ASSIGN_OR_RETURN(
        const int64_t child,
        RaiseWorkingSr(
            c, opp, kServiceTypeSrType, sr_id,
            {{"New Service Type", "Direct Pay"}, {"Effective Date", Day(today)}},
            "Segment 5 compliance opportunity passed: the case moves to direct pay (S5.9)",
            "S5.9"));
    CMS_RETURN_IF_ERROR(
        mopf_.ChangeServiceTypeIn(c, opp.case_id(), child, cms::v1::SERVICE_TYPE_DIRECT_PAY, today)
            .status());
    CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, child, "Service Type Changed", "Complete",
                                         "Service type DIRECT_PAY from " + Day(today) + " (S5.9)",
                                         "S5.9")
                            .status());
    o.add_child_service_request_ids(child);
    o.add_consequences(absl::StrCat("Change to Service Type child SR ", child,
                                    " made and closed: service type DIRECT_PAY from ", Day(today)));
  }

  if (k.legacy().transitional_legal_case() && k.legacy().bailiff_activity()) {
    // S5.17: the bailiffs hold the case: its recall first; the MOPFs end
    // when the case comes back.
    ServiceRequestApp::RuleSr spec;
    spec.type_code = kClearArtefactSrType;
    spec.casegroup_id = opp.casegroup_id();
    spec.case_id = opp.case_id();
    spec.description =
        "Segment 5 pass on a transitional legal case with bailiff activity: recall the case from "
        "the bailiffs, then end every MOPF (S5.17)";
    spec.rule = "S5.17";
    CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse made, srs_.RaiseByRule(c, spec));
    o.add_child_service_request_ids(made.service_request().id());
    o.add_consequences(absl::StrCat(
        "Clear Artefact SR ", made.service_request().id(),
        " raised: the bailiffs recall the case; the MOPFs end when it returns (S5.17)"));
  } else {
    // One Amend Existing MOPF child SR per active method; a DEO's
    // cancellation waits for the team leader (A6.3).
    CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::MopfMethod> active,
                         mopf_.ActiveMethods(c, opp.casegroup_id()));
    std::vector<int64_t> deos;
    for (const auto& m : active) {
      if (m.method() == cms::v1::PAYMENT_METHOD_DEO) deos.push_back(m.id());
    }
    for (const cms::v1::MopfMethod& m : active) {
      const bool deo = m.method() == cms::v1::PAYMENT_METHOD_DEO;
      CMS_ASSIGN_OR_RETURN(
          const int64_t child,
          RaiseWorkingSr(c, opp, kMopfSrType, sr_id, {{"MOPF Action", "Cancel"}},
                         absl::StrCat("Segment 5 pass: cancel the ", m.share_percent(), "% ",
                                      ShortName(m.method()), " method (S5.9)"),
                         "S5.9"));
      o.add_child_service_request_ids(child);
      if (deo) {
        cms::v1::ApprovalAction action;
        action.mutable_deo_cancellation()->set_casegroup_id(opp.casegroup_id());
        action.mutable_deo_cancellation()->set_method_id(m.id());
        CMS_ASSIGN_OR_RETURN(
            cms::v1::Approval approval,
            approvals_.SubmitIn(c, child, "DEO cancellation (Seg 5 pass)",
                                "Segment 5 compliance opportunity passed: cancel the DEO (S5.9)",
                                std::move(action)));
        o.add_consequences(absl::StrCat("Amend Existing MOPF child SR ", child,
                                        ": DEO cancellation submitted for team leader approval ",
                                        approval.id(), " (A6.3)"));
      } else {
        CMS_RETURN_IF_ERROR(
            mopf_.CancelMopfMethodIn(c, opp.casegroup_id(), child, m.id(), today, deos).status());
        CMS_RETURN_IF_ERROR(
            srs_.CloseByRule(c, child, "MOPF Cancelled", "Complete", "", "S5.9").status());
        o.add_consequences(absl::StrCat("Amend Existing MOPF child SR ", child, ": ",
                                        ShortName(m.method()), " cancelled, last day ",
                                        Day(today)));
      }
    }
  }

  // The RP's MOPT (Direct Payment - Cancel).
  CMS_ASSIGN_OR_RETURN(auto periods, store::ListMoptPeriods(c.tx(), opp.case_id()));
  const bool open_mopt =
      std::any_of(periods.begin(), periods.end(),
                  [](const cms::v1::MoptPeriod& p) { return !IsSet(p.end_date()); });
  if (open_mopt) {
    CMS_ASSIGN_OR_RETURN(
        const int64_t child,
        RaiseWorkingSr(c, opp, kMopfSrType, sr_id, {{"MOPF Action", "Cancel MOPT"}},
                       "Segment 5 pass: cancel the receiving parent's method of payment to (S5.9)",
                       "S5.9"));
    CMS_RETURN_IF_ERROR(mopf_.CancelMoptIn(c, opp.case_id(), child, today).status());
    CMS_RETURN_IF_ERROR(
        srs_.CloseByRule(c, child, "MOPF Cancelled", "Complete", "", "S5.9").status());
    o.add_child_service_request_ids(child);
    o.add_consequences(
        absl::StrCat("the RP's MOPT cancelled through SR ", child, ", last day ", Day(today)));
  }

  // The case may move from Enforcement back to Maintenance.
  if (k.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_ENFORCEMENT) {
    const cms::v1::Case case_before = k;
    k.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_MAINTENANCE);
    CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), k));
    CMS_ASSIGN_OR_RETURN(k, store::GetCase(c.tx(), k.id()));
    c.Audit("case", absl::StrCat(k.id()), &case_before, k);
    CMS_ASSIGN_OR_RETURN(bool moved, Reroute(c, opp.casegroup_id(),
                                             "Segment 5 compliance opportunity passed (S5.9)"));
    o.add_consequences(absl::StrCat("case lifecycle ENFORCEMENT -> MAINTENANCE",
                                    moved ? "; the casegroup moved as routing says"
                                          : "; routing keeps the casegroup where it is"));
  }
  return CalculationAndLetters(c, opp, o);
}

absl::Status ComplianceApp::CarryOutFail(Command& c, ComplianceOpportunity& opp,
                                         cms::v1::RecordedOutcome& o) {
  const absl::CivilDay today = commands_.clock().Today(c.now());
  const int64_t sr_id = opp.outcome_service_request_id();
  // Fees and charges from today, the approval's day: never earlier, and
  // nothing for the trial (S5.10, M7.7).
  CMS_ASSIGN_OR_RETURN(auto waiver, OpenFeeWaiver(c.tx(), opp.case_id()));
  if (waiver) {
    CMS_RETURN_IF_ERROR(payments_.ReinstateFeesIn(c, opp.case_id(), today).status());
    o.add_consequences(absl::StrCat("collection fees and enforcement charges payable from ",
                                    Day(today), " (the day of approval; never retrospective)"));
  }
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::MopfMethod> active,
                       mopf_.ActiveMethods(c, opp.casegroup_id()));
  std::vector<cms::v1::MopfMethod> enforced, voluntary;
  for (const auto& m : active) {
    (domain::IsEnforcedMethod(m.method()) ? enforced : voluntary).push_back(m);
  }
  bool deo_stays = false;
  for (const auto& m : enforced) deo_stays |= m.method() == cms::v1::PAYMENT_METHOD_DEO;
  if (!voluntary.empty() || enforced.empty()) {
    CMS_ASSIGN_OR_RETURN(
        const int64_t child,
        RaiseWorkingSr(c, opp, kMopfSrType, sr_id, {{"MOPF Action", "Amend"}},
                       enforced.empty()
                           ? "Segment 5 fail: the MOPF becomes a default standing order (S5.10)"
                           : "Segment 5 fail: end the non-enforced MOPF, leaving the DEO (S5.10)",
                       "S5.10"));
    std::string what;
    if (enforced.empty()) {
      CMS_RETURN_IF_ERROR(mopf_
                              .SetMopfIn(c, opp.casegroup_id(), child, today,
                                         {Method(cms::v1::PAYMENT_METHOD_DSO, 100, false)})
                              .status());
      CMS_RETURN_IF_ERROR(
          employment_.SetDeoDesireIn(c, opp.casegroup_id(), cms::v1::DEO_DESIRE_MANDATORY)
              .status());
      what = "the MOPF becomes 100% DSO; DEO desire flag MANDATORY";
    } else {
      std::vector<cms::v1::MopfMethod> keep = Rescaled(enforced);
      CMS_RETURN_IF_ERROR(mopf_.SetMopfIn(c, opp.casegroup_id(), child, today, keep).status());
      std::vector<std::string> parts;
      for (const auto& m : keep) {
        parts.push_back(absl::StrCat(m.share_percent(), "% ", ShortName(m.method())));
      }
      what = absl::StrCat("the non-enforced MOPF ended; ", absl::StrJoin(parts, " + "), " stays");
    }
    CMS_RETURN_IF_ERROR(
        srs_.CloseByRule(c, child, "MOPF Amended", "Complete", what + " (S5.10)", "S5.10")
            .status());
    o.add_child_service_request_ids(child);
    o.add_consequences(absl::StrCat("Amend Existing MOPF child SR ", child, ": ", what));
  }
  if (deo_stays) {
    CMS_ASSIGN_OR_RETURN(
        cms::v1::LedgerEntry charge,
        payments_.AddChargeIn(c, opp.case_id(), cms::v1::CHARGE_KIND_DEO_CHARGE, today));
    o.add_consequences(absl::StrCat("DEO enforcement charge applied from ", Day(today),
                                    " (ledger entry ", charge.id(), ")"));
  } else {
    o.add_consequences(
        "no DEO in place: the DEO enforcement charge applies when one is set up (desire flag)");
  }
  return CalculationAndLetters(c, opp, o);
}

// ---------------------------------------------------------------- approvals (A6.3)

absl::Status ComplianceApp::CheckSubmit(Command&, const cms::v1::ServiceRequest&,
                                        const cms::v1::ApprovalAction& action) {
  return action.has_compliance_fail()
             ? RuleViolation("S5.10",
                             "a Segment 5 UTP fail is submitted by ComplianceService.RecordOutcome")
             : RuleViolation("S5.11",
                             "a Segment 5 extension is submitted by "
                             "ComplianceService.RequestExtension");
}

absl::StatusOr<std::string> ComplianceApp::ApprovalApproved(Command& c,
                                                            const cms::v1::Approval& approval) {
  const bool fail = approval.action().has_compliance_fail();
  const int64_t id = fail ? approval.action().compliance_fail().opportunity_id()
                          : approval.action().compliance_extension().opportunity_id();
  CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                       store::GetComplianceOpportunity(c.tx(), id, /*for_update=*/true));
  const ComplianceOpportunity before = opp;
  if (fail) {
    if (opp.state() != cms::v1::COMPLIANCE_STATE_PENDING_APPROVAL ||
        opp.outcome().approval_id() != approval.id()) {
      return RuleViolation("S5.10",
                           absl::StrCat("opportunity ", id, " no longer awaits this approval"));
    }
    cms::v1::RecordedOutcome o = opp.outcome();
    CMS_RETURN_IF_ERROR(CarryOutFail(c, opp, o));
    *opp.mutable_outcome() = o;
    opp.set_state(cms::v1::COMPLIANCE_STATE_COMPLETED);
    const std::string done = absl::StrJoin(o.consequences(), "; ");
    CMS_RETURN_IF_ERROR(Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_APPROVED,
                             absl::StrCat("approved by ", c.actor().staff_id, ": ", done),
                             opp.outcome_service_request_id()));
    CMS_RETURN_IF_ERROR(CloseOutcomeSrIfDone(c, opp));
    return done;
  }
  // S5.11: the extension.
  cms::v1::Extension* e = PendingExtension(opp);
  if (e == nullptr || e->approval_id() != approval.id()) {
    return RuleViolation(
        "S5.11", absl::StrCat("opportunity ", id, " has no extension awaiting this approval"));
  }
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), opp.case_id()));
  const absl::CivilDay end = CivilDayOf(opp.end_date());
  const absl::CivilDay proposed = CivilDayOf(e->proposed_revised_date());
  std::optional<absl::CivilDay> review;
  if (IsSet(k.annual_review_date())) review = CivilDayOf(k.annual_review_date());
  const domain::ExtensionCheck check = domain::CheckExtension(end, proposed, review);
  if (!check.problem.empty()) {
    return RuleViolation("S5.11",
                         absl::StrCat("the proposed revised date ", Day(proposed),
                                      " is no longer allowed: ", check.problem, "; reject it"));
  }
  e->set_result(cms::v1::EXTENSION_RESULT_APPROVED);
  e->set_decided_by(c.actor().staff_id);
  e->set_decision_comment(approval.decision_comment());
  *e->mutable_decide_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  *opp.mutable_end_date() = DateOf(proposed);
  const int64_t sr_id = e->service_request_id();
  // The scheduled end's timer moves: the old one finds the date changed.
  CMS_RETURN_IF_ERROR(store::ScheduleTimer(c.tx(),
                                           {kComplianceScheduledEndTimer, opp.id(),
                                            commands_.clock().StartOf(proposed), Day(proposed),
                                            absl::StrCat(kComplianceScheduledEndTimer, "/",
                                                         opp.id(), "/", Day(proposed))},
                                           c.now_us())
                          .status());
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, sr_id, kCofCAccepted, "Complete",
                                       absl::StrCat("Extension approved: the trial now ends ",
                                                    Day(proposed), " (S5.11)"),
                                       "S5.11")
                          .status());
  const std::string done = absl::StrCat("end date moved from ", Day(end), " to ", Day(proposed),
                                        " (", check.months, " month", check.months == 1 ? "" : "s",
                                        "); SR ", sr_id, " closed CofC Accepted");
  CMS_RETURN_IF_ERROR(Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_EXTENSION_APPROVED,
                           absl::StrCat("extension approved by ", c.actor().staff_id, ": ", done),
                           sr_id));
  return done;
}

absl::StatusOr<std::string> ComplianceApp::ApprovalRejected(Command& c,
                                                            const cms::v1::Approval& approval) {
  const bool fail = approval.action().has_compliance_fail();
  const int64_t id = fail ? approval.action().compliance_fail().opportunity_id()
                          : approval.action().compliance_extension().opportunity_id();
  CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                       store::GetComplianceOpportunity(c.tx(), id, /*for_update=*/true));
  const ComplianceOpportunity before = opp;
  if (fail) {
    if (opp.state() != cms::v1::COMPLIANCE_STATE_PENDING_APPROVAL ||
        opp.outcome().approval_id() != approval.id()) {
      return std::string("the opportunity no longer awaits this approval: nothing recorded");
    }
    // A6.2: back to the caseworker, who amends and records it again.
    opp.set_state(cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
    opp.clear_outcome();
    opp.clear_utp_status();  // recorded with the rejected outcome
    opp.clear_utp_effective_date();
    const std::string done = absl::StrCat(
        "fees and charges not reapplied; the outcome is to be amended and recorded again (A6.2): ",
        approval.decision_comment());
    CMS_RETURN_IF_ERROR(Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_REJECTED,
                             absl::StrCat("rejected by ", c.actor().staff_id, ": ", done),
                             opp.outcome_service_request_id()));
    return done;
  }
  cms::v1::Extension* e = PendingExtension(opp);
  if (e == nullptr || e->approval_id() != approval.id()) {
    return std::string("no extension awaits this approval: nothing recorded");
  }
  e->set_result(cms::v1::EXTENSION_RESULT_REJECTED);
  e->set_decided_by(c.actor().staff_id);
  e->set_decision_comment(approval.decision_comment());
  *e->mutable_decide_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  const int64_t sr_id = e->service_request_id();
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, sr_id, kCofCRejected, "Complete",
                                       absl::StrCat("Extension rejected: ",
                                                    approval.decision_comment(), " (S5.11)"),
                                       "S5.11")
                          .status());
  std::string done = absl::StrCat("the trial still ends ", Day(CivilDayOf(opp.end_date())), "; SR ",
                                  sr_id, " closed CofC Rejected");
  const absl::CivilDay today = commands_.clock().Today(c.now());
  if (opp.state() == cms::v1::COMPLIANCE_STATE_ACCEPTED && today >= CivilDayOf(opp.end_date())) {
    // The end date came while the extension waited: the scheduled end now.
    const std::string end = Day(CivilDayOf(opp.end_date()));
    CMS_RETURN_IF_ERROR(
        store::ScheduleTimer(c.tx(),
                             {kComplianceScheduledEndTimer, opp.id(), c.now(), end,
                              absl::StrCat(kComplianceScheduledEndTimer, "/", opp.id(), "/", end,
                                           "/after-approval-", approval.id())},
                             c.now_us())
            .status());
    absl::StrAppend(&done, "; the end date has passed: the outcome SR is raised now");
  }
  CMS_RETURN_IF_ERROR(Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_EXTENSION_REJECTED,
                           absl::StrCat("extension rejected by ", c.actor().staff_id, ": ", done),
                           sr_id));
  return done;
}

// ---------------------------------------------------------------- extension (S5.11)

absl::Status ComplianceApp::RequestExtension(const Actor& actor,
                                             const cms::v1::RequestExtensionRequest& req,
                                             ComplianceOpportunity* out) {
  FieldErrors errors;
  if (ExtensionText(req.reason()).empty()) {
    errors.Add("reason",
               "CHANGE_TO_EMPLOYER, CHANGE_TO_METHOD_OF_PAYMENT_FROM, "
               "MISSED_PAYMENTS or CHANGE_OF_CIRCUMSTANCE");
  }
  CheckDate(errors, "proposed_revised_date", req.proposed_revised_date());
  CheckNote(errors, req.note());
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.11"));
  return commands_.Run(
      actor, "RequestExtension", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (!Running(opp, today)) {
          return RuleViolation("S5.11", absl::StrCat("only a running trial is extended; this "
                                                     "opportunity is ",
                                                     ShortName(opp.state())));
        }
        if (const cms::v1::Extension* pending = PendingExtension(opp)) {
          return RuleViolation(
              "S5.11",
              absl::StrCat("an extension to ", Day(CivilDayOf(pending->proposed_revised_date())),
                           " already awaits the team leader (approval ", pending->approval_id(),
                           ")"));
        }
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), opp.case_id()));
        const absl::CivilDay end = CivilDayOf(opp.end_date());
        const absl::CivilDay proposed = CivilDayOf(req.proposed_revised_date());
        std::optional<absl::CivilDay> review;
        if (IsSet(k.annual_review_date())) review = CivilDayOf(k.annual_review_date());
        const domain::ExtensionCheck check = domain::CheckExtension(end, proposed, review);
        if (!check.problem.empty()) {
          return InvalidField("proposed_revised_date", check.problem, "S5.11");
        }
        const ComplianceOpportunity before = opp;
        CMS_ASSIGN_OR_RETURN(
            int64_t sr_id,
            RaiseOutcomeSr(
                c, opp, kExtensionAction, 0, cms::v1::SR_SOURCE_NRP,
                absl::StrCat("Extension of the Segment 5 compliance opportunity to ", Day(proposed),
                             ": ", ExtensionText(req.reason()), " (S5.11)"),
                "S5.11", /*leave_new=*/false,
                {{"Reason", ExtensionText(req.reason())},
                 {"Proposed Revised Date", Day(proposed)}}));
        CMS_RETURN_IF_ERROR(AddSrNote(
            c, sr_id,
            absl::StrCat("Extension of Seg 5: reason ", ExtensionText(req.reason()),
                         ", Proposed Revised Date ", Day(proposed), " (", check.months,
                         " whole month", check.months == 1 ? "" : "s", "). ", req.note())));
        cms::v1::ApprovalAction action;
        action.mutable_compliance_extension()->set_opportunity_id(opp.id());
        *action.mutable_compliance_extension()->mutable_proposed_revised_date() =
            req.proposed_revised_date();
        CMS_ASSIGN_OR_RETURN(
            cms::v1::Approval approval,
            approvals_.SubmitIn(c, sr_id, absl::StrCat("Seg 5 extension to ", Day(proposed)),
                                req.note(), std::move(action)));
        cms::v1::Extension* e = opp.add_extensions();
        e->set_reason(req.reason());
        *e->mutable_proposed_revised_date() = req.proposed_revised_date();
        *e->mutable_previous_end_date() = opp.end_date();
        e->set_note(req.note());
        e->set_service_request_id(sr_id);
        e->set_approval_id(approval.id());
        e->set_result(cms::v1::EXTENSION_RESULT_PENDING);
        e->set_requested_by(c.actor().staff_id);
        *e->mutable_request_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
        CMS_RETURN_IF_ERROR(Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_EXTENSION_REQUESTED,
                                 absl::StrCat(ExtensionText(req.reason()), ": to ", Day(proposed),
                                              "; outcome SR ", sr_id,
                                              " (Extension of Seg 5) with the team "
                                              "leader, approval ",
                                              approval.id()),
                                 sr_id));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- early end (S5.12)

absl::Status ComplianceApp::EndTrialEarly(Command& c, ComplianceOpportunity& opp,
                                          cms::v1::EarlyEndReason reason, int64_t trigger_sr,
                                          const std::string& note) {
  const ComplianceOpportunity before = opp;
  const absl::CivilDay today = commands_.clock().Today(c.now());
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::ScheduleItem> items,
                       payments_.ClassifiedItems(c.tx(), opp.case_id(), today));
  cms::v1::ProposedOutcome proposal =
      domain::ProposeEarlyEnd(reason, items, CivilDayOf(opp.start_date()), today);
  *proposal.mutable_propose_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  const bool by_system = c.actor().staff_id == "system";
  CMS_ASSIGN_OR_RETURN(
      int64_t sr_id,
      RaiseOutcomeSr(c, opp, kEarlyEndAction, trigger_sr,
                     by_system ? cms::v1::SR_SOURCE_INTERNAL_SYSTEM : cms::v1::SR_SOURCE_CASEWORKER,
                     absl::StrCat("Early End of Seg 5: ", EarlyEndText(reason),
                                  ". Record the Compliance Action and Reason and the Unlikely to "
                                  "Pay check. Proposed: ",
                                  proposal.explanation(), " (S5.12)"),
                     "S5.12", /*leave_new=*/false, {{"Early End Reason", EarlyEndText(reason)}}));
  CMS_RETURN_IF_ERROR(
      AddSrNote(c, sr_id, absl::StrCat("Early End reason: ", EarlyEndText(reason), ". ", note)));
  cms::v1::EarlyEnd* e = opp.mutable_early_end();
  e->set_reason(reason);
  *e->mutable_end_date() = DateOf(today);
  e->set_trigger_service_request_id(trigger_sr);
  e->set_note(note);
  e->set_ended_by(c.actor().staff_id);
  opp.set_outcome_service_request_id(sr_id);
  *opp.mutable_proposal() = proposal;
  opp.set_state(cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_ENDED_EARLY,
              absl::StrCat("ended early on ", Day(today), ": ", EarlyEndText(reason),
                           trigger_sr != 0 ? absl::StrCat(" (trigger SR ", trigger_sr, ")") : "",
                           "; outcome SR ", sr_id, " raised; proposed ",
                           ShortName(proposal.action()), " / ", ShortName(proposal.reason())),
              sr_id);
}

absl::Status ComplianceApp::EndEarly(const Actor& actor, const cms::v1::EndEarlyRequest& req,
                                     ComplianceOpportunity* out) {
  FieldErrors errors;
  if (EarlyEndText(req.reason()).empty()) errors.Add("reason", "one of the Early End reasons");
  if (req.trigger_service_request_id() < 0) errors.Add("trigger_service_request_id", "0 or an SR");
  CheckNote(errors, req.note());
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.12"));
  return commands_.Run(
      actor, "EndEarly", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (!Running(opp, today)) {
          return RuleViolation("S5.12", absl::StrCat("only a running trial ends early; this "
                                                     "opportunity is ",
                                                     ShortName(opp.state())));
        }
        if (const cms::v1::Extension* pending = PendingExtension(opp)) {
          return RuleViolation("S5.12", absl::StrCat("an extension awaits the team leader "
                                                     "(approval ",
                                                     pending->approval_id(), "): decide it first"));
        }
        if (req.trigger_service_request_id() != 0) {
          auto trigger = store::GetServiceRequest(c.tx(), req.trigger_service_request_id());
          if (absl::IsNotFound(trigger.status()) ||
              (trigger.ok() && trigger->casegroup_id() != opp.casegroup_id())) {
            return InvalidField("trigger_service_request_id",
                                "an SR of the opportunity's casegroup", "S5.12");
          }
          CMS_RETURN_IF_ERROR(trigger.status());
        }
        CMS_RETURN_IF_ERROR(
            EndTrialEarly(c, opp, req.reason(), req.trigger_service_request_id(), req.note()));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

absl::Status ComplianceApp::TrialFactsChanged(Command& c, ComplianceOpportunity& opp,
                                              const cms::v1::Person& pp, absl::string_view what) {
  if (pp.on_benefit() && PendingExtension(opp) == nullptr) {
    // S5.12: the benefit notification raises the Change of Circumstance SR
    // and the outcome SR by itself.
    ServiceRequestApp::RuleSr spec;
    spec.type_code = kChangeOfCircumstanceSrType;
    spec.casegroup_id = opp.casegroup_id();
    spec.case_id = opp.case_id();
    spec.subject_person_id = opp.paying_parent_id();
    spec.fields = {{"Change Type", "On benefit"}};
    spec.description = "Benefit notification: the paying parent now receives a benefit (S5.12)";
    spec.rule = "S5.12";
    CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse cofc, srs_.RaiseByRule(c, spec));
    return EndTrialEarly(c, opp, cms::v1::EARLY_END_REASON_ON_BENEFIT_CHANGE,
                         cofc.service_request().id(),
                         absl::StrCat("benefit notification (", what, ")"));
  }
  if (pp.in_prison() && opp.prison_service_request_id() == 0) {
    // S5.16: a Change of Address SR; the outcome SR is made by hand as its
    // child (EndEarly, CHANGE_OF_CIRCUMSTANCE).
    const ComplianceOpportunity before = opp;
    ServiceRequestApp::RuleSr spec;
    spec.type_code = kChangeOfAddressSrType;
    spec.casegroup_id = opp.casegroup_id();
    spec.case_id = opp.case_id();
    spec.subject_person_id = opp.paying_parent_id();
    spec.description =
        "The paying parent is recorded as in prison during the Segment 5 compliance "
        "opportunity: update the address, and raise the Compliance Opportunity Outcome SR as "
        "this SR's child to end the trial early (S5.16)";
    spec.rule = "S5.16";
    CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse coa, srs_.RaiseByRule(c, spec));
    opp.set_prison_service_request_id(coa.service_request().id());
    return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_PRISON_NOTIFIED,
                absl::StrCat("the PP is recorded as in prison (", what, "): Change of Address SR ",
                             coa.service_request().id(),
                             " raised; the outcome SR is made by hand as its child (S5.16)"),
                coa.service_request().id());
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- AR10.9

absl::Status ComplianceApp::RecordMissedPaymentReason(
    const Actor& actor, const cms::v1::RecordMissedPaymentReasonRequest& req,
    ComplianceOpportunity* out) {
  FieldErrors errors;
  if (req.arrears_review_service_request_id() <= 0) {
    errors.Add("arrears_review_service_request_id", "required");
  }
  if (req.contact() == cms::v1::MISSED_PAYMENT_CONTACT_UNSPECIFIED ||
      !cms::v1::MissedPaymentContact_IsValid(req.contact())) {
    errors.Add("contact", "NO_CONTACT, ACCEPTABLE_REASON or UNACCEPTABLE_REASON");
  }
  CheckNote(errors, req.note());
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.9"));
  return commands_.Run(
      actor, "RecordMissedPaymentReason", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (!Running(opp, today)) {
          return RuleViolation("AR10.9", absl::StrCat("only a running trial's missed payment is "
                                                      "decided here; this opportunity is ",
                                                      ShortName(opp.state())));
        }
        const int64_t review_id = req.arrears_review_service_request_id();
        auto review = store::GetServiceRequest(c.tx(), review_id);
        if (absl::IsNotFound(review.status()) ||
            (review.ok() &&
             (review->type_code() != kArrearsReviewSrType || review->case_id() != opp.case_id() ||
              review->fields().count("Segment 5 Case") == 0 ||
              review->fields().at("Segment 5 Case") != "Y" ||
              domain::IsTerminal(review->status())))) {
          return InvalidField("arrears_review_service_request_id",
                              "the open Arrears Review SR of the case with the Segment 5 Case "
                              "flag (S5.13)",
                              "AR10.9");
        }
        CMS_RETURN_IF_ERROR(review.status());
        const ComplianceOpportunity before = opp;
        CMS_RETURN_IF_ERROR(AddSrNote(c, review_id,
                                      absl::StrCat("Segment 5 missed payment: ",
                                                   ShortName(req.contact()), ". ", req.note())));
        if (req.contact() == cms::v1::MISSED_PAYMENT_CONTACT_ACCEPTABLE_REASON) {
          ServiceRequestApp::RuleSr spec;
          spec.type_code = kActionMissedPaymentSrType;
          spec.casegroup_id = opp.casegroup_id();
          spec.case_id = opp.case_id();
          spec.parent_id = review_id;
          spec.description =
              "Segment 5 trial: the paying parent gave an acceptable reason for the missed "
              "payment: negotiate a new schedule; consider an extension (AR10.9, S5.11)";
          spec.rule = "AR10.9";
          CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse made,
                               srs_.RaiseByRule(c, spec));
          CMS_RETURN_IF_ERROR(
              Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_MISSED_PAYMENT_REASON_RECORDED,
                   absl::StrCat("acceptable reason for the missed payment: Action Missed "
                                "Payment SR ",
                                made.service_request().id(),
                                " raised to negotiate a new schedule; the trial runs on (AR10.9)"),
                   review_id));
          *out = opp;
          return absl::OkStatus();
        }
        CMS_RETURN_IF_ERROR(
            Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_MISSED_PAYMENT_REASON_RECORDED,
                 absl::StrCat(req.contact() == cms::v1::MISSED_PAYMENT_CONTACT_NO_CONTACT
                                  ? "no contact about the missed payment"
                                  : "an unacceptable reason for the missed payment",
                              ": the trial ends early with Fail / Payment Default (AR10.9, S5.12)"),
                 review_id));
        CMS_RETURN_IF_ERROR(EndTrialEarly(c, opp, cms::v1::EARLY_END_REASON_MISSED_PAYMENTS,
                                          review_id, req.note()));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

}  // namespace cms::app
