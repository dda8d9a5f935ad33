// The caseworker's decisions on an arrears action (AR10.1, AR10.3–AR10.5,
// AR10.13): each RPC is one command that checks the action's etag and the
// caller's segment, does what the procedure says, records the step in the
// action's history and audits it.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/arrears_letters.h"
#include "server/domain/money.h"
#include "server/store/arrears_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/employment_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::ArrearsContactOutcome;

// AR10.5: the reminder the procedure has the caseworker raise by hand.
constexpr int kDesireReminderDays = 42;  // 6 weeks
constexpr char kDesireReminder[] =
    "Prompt: no employment details from HMRC when the DEO desire flag was set. Get Employment "
    "Status again; if there are still none, raise an incident with AAC and go on with RDO/LSDO "
    "action (AR10.5)";

bool ValidOutcome(ArrearsContactOutcome o) {
  return o != cms::v1::ARREARS_CONTACT_OUTCOME_UNSPECIFIED &&
         cms::v1::ArrearsContactOutcome_IsValid(o);
}

}  // namespace

absl::StatusOr<ArrearsAction> ArrearsApp::LoadForDecision(Command& c, int64_t case_id,
                                                          const std::string& etag) {
  if (case_id <= 0) return InvalidField("case_id", "required", "AR10.2");
  // SR5.7: the segment owning the case's casegroup decides.
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), case_id, c.actor()));
  CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(c.tx(), k.id(), true));
  if (!found) {
    return absl::NotFoundError(absl::StrCat("case ", k.id(), " has no arrears action (AR10.1)"));
  }
  CMS_RETURN_IF_ERROR(
      CheckEtag(etag, found->etag(), "etag", "arrears action", absl::StrCat(found->id())));
  return *std::move(found);
}

// ---------------------------------------------------------------- AR10.1

absl::Status ArrearsApp::RecordContact(const Actor& actor,
                                       const cms::v1::RecordArrearsContactRequest& req,
                                       ArrearsAction* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (!ValidOutcome(req.outcome())) {
    errors.Add("outcome",
               "REFUSES_TO_PAY, ASKS_TO_RENEGOTIATE, CLAIMS_DIRECT_PAYMENT, AGREES_TO_PAY or "
               "NO_CONTACT");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  const bool claim = req.outcome() == cms::v1::ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT;
  if (claim) {
    // The amount the PP says they paid.
    if (auto problem = domain::AmountProblem(req.claimed_pence(), domain::AmountSign::kPositive)) {
      errors.Add("claimed_pence", *problem);
    }
    CheckDate(errors, "claimed_date", req.claimed_date());
  } else {
    if (req.claimed_pence() != 0) errors.Add("claimed_pence", "only with CLAIMS_DIRECT_PAYMENT");
    if (IsSet(req.claimed_date())) errors.Add("claimed_date", "only with CLAIMS_DIRECT_PAYMENT");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.1"));
  return commands_.Run(
      actor, "RecordArrearsContact", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (claim && CivilDayOf(req.claimed_date()) > today) {
          return InvalidField("claimed_date", "today or earlier: a payment already made", "AR10.1");
        }
        CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(c.tx(), k.id(), true));
        if (found) {
          CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), found->etag(), "etag", "arrears action",
                                        absl::StrCat(found->id())));
        } else if (!req.etag().empty()) {
          return InvalidField("etag", "the case has no arrears action yet: leave etag empty",
                              "AR10.1");
        } else {
          CMS_RETURN_IF_ERROR(LoadOrMake(c, k).status());
        }
        // What the outcome raises (the raise may update the action: the
        // review's figures, SR5.10), then the contact on the action as it
        // then stands.
        int64_t raised = 0;
        std::string done;
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
        switch (req.outcome()) {
          case cms::v1::ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY: {
            // The review is the maintenance segment's: a casegroup AR10.1
            // placed in COLLECTIONS goes back where R3.2 puts it first.
            if (g.routing_rule() == "AR10.1") {
              CMS_RETURN_IF_ERROR(Reroute(c, g.id(), "the PP refused to pay (AR10.1)").status());
            }
            ServiceRequestApp::RuleSr spec;
            spec.type_code = kArrearsReviewSrType;
            spec.casegroup_id = g.id();
            spec.case_id = k.id();
            spec.fields = {{"Reason", "Refusal to Pay"}};
            spec.description = absl::StrCat("The paying parent refused to pay: ", req.note());
            spec.rule = "AR10.1";
            CMS_ASSIGN_OR_RETURN(auto created, srs_.RaiseByRule(c, spec));
            raised = created.service_request().id();
            done = absl::StrCat(
                "Arrears Review SR ", raised,
                created.existing() ? " already open (SR5.10)" : " raised, reason Refusal to Pay");
            break;
          }
          case cms::v1::ARREARS_CONTACT_OUTCOME_ASKS_TO_RENEGOTIATE: {
            ServiceRequestApp::RuleSr spec;
            spec.type_code = kActionMissedPaymentSrType;
            spec.casegroup_id = g.id();
            spec.case_id = k.id();
            spec.description = absl::StrCat(
                "The paying parent asks to renegotiate the missed payment: ", req.note());
            spec.rule = "AR10.1";
            CMS_ASSIGN_OR_RETURN(auto created, srs_.RaiseByRule(c, spec));
            raised = created.service_request().id();
            done = absl::StrCat("Action Missed Payment SR ", raised, " raised to renegotiate");
            break;
          }
          case cms::v1::ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT:
            done = absl::StrCat("the PP says they paid the RP ",
                                domain::FormatPounds(req.claimed_pence()), " direct on ",
                                absl::FormatCivilTime(CivilDayOf(req.claimed_date())),
                                ": to confirm with the RP; repeated instances are grounds to "
                                "consider direct pay");
            break;
          default:
            done = absl::StrCat("contact recorded: ", ShortName(req.outcome()));
            break;
        }
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadOrMake(c, k));
        const ArrearsAction before = action;
        cms::v1::ArrearsContact* contact = action.add_contacts();
        contact->set_outcome(req.outcome());
        *contact->mutable_contact_date() = DateOf(today);
        contact->set_note(req.note());
        contact->set_recorded_by(c.actor().staff_id);
        contact->set_raised_service_request_id(raised);
        if (claim) {
          contact->set_claimed_pence(req.claimed_pence());
          *contact->mutable_claimed_date() = req.claimed_date();
        }
        CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_CONTACT_RECORDED,
                                 absl::StrCat(ShortName(req.outcome()), ": ", done, " (AR10.1)"),
                                 raised));
        *out = action;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- AR10.3

absl::Status ArrearsApp::RecordBusinessStructure(
    const Actor& actor, const cms::v1::RecordPpBusinessStructureRequest& req, ArrearsAction* out) {
  FieldErrors errors;
  if (req.business_structure() == cms::v1::BUSINESS_STRUCTURE_UNSPECIFIED ||
      !cms::v1::BusinessStructure_IsValid(req.business_structure())) {
    errors.Add("business_structure", "EMPLOYEE, SOLE_TRADER or MULTIPLE_DIRECTOR");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.3"));
  return commands_.Run(
      actor, "RecordPpBusinessStructure", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        const ArrearsAction before = action;
        action.set_business_structure(req.business_structure());
        CMS_RETURN_IF_ERROR(Save(c, before, action,
                                 cms::v1::ARREARS_EVENT_KIND_BUSINESS_STRUCTURE_RECORDED,
                                 absl::StrCat("the PP is ", ShortName(req.business_structure()),
                                              ": ", req.note(), " (AR10.3)"),
                                 0));
        *out = action;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- AR10.4

absl::Status ArrearsApp::IssueLetter(const Actor& actor,
                                     const cms::v1::IssueArrearsLetterRequest& req,
                                     ArrearsAction* out) {
  return commands_.Run(
      actor, "IssueArrearsLetter", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_RETURN_IF_ERROR(domain::RefuseOnSegment5Review(action, "an arrears letter (AR10.4)"));
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, OpenReview(c, action, "AR10.4"));
        if (review.status() == cms::v1::SR_STATUS_WAIT) {
          return RuleViolation(
              "AR10.4", absl::StrCat("Arrears Review SR ", review.id(), " is waiting (",
                                     review.sub_status(), "): no second letter before it wakes"));
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::ScheduleItem> items,
                             payments_.ClassifiedItems(c.tx(), action.case_id(), today));
        const domain::ArrearsLetterChoice choice =
            domain::ChooseArrearsLetter(LetterHistoryOf(action, items, today));
        if (choice.code.empty()) {
          return RuleViolation("AR10.4", absl::StrCat("no arrears letter is due: ", choice.reason));
        }
        CMS_ASSIGN_OR_RETURN(
            cms::v1::Letter letter,
            letters_.IssueLetterIn(c, choice.code, action.case_id(), 0, review.id()));
        const std::string note =
            absl::StrCat(choice.code, " issued (", choice.reason, "): the review waits ",
                         domain::kArrearsNoticeWaitDays, " days for the PP (AR10.4)");
        CMS_RETURN_IF_ERROR(srs_.MoveByRule(c, review.id(), cms::v1::SR_STATUS_WAIT,
                                            kArrearsNoticeSubStatus, note, "AR10.4")
                                .status());
        const ArrearsAction before = action;
        cms::v1::ArrearsLetter* sent = action.add_letters();
        sent->set_template_code(choice.code);
        sent->set_letter_id(letter.id());
        *sent->mutable_issue_date() = DateOf(today);
        sent->set_service_request_id(review.id());
        sent->set_reason(choice.reason);
        action.set_state(cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
        CMS_RETURN_IF_ERROR(
            Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_LETTER_ISSUED, note, review.id()));
        *out = action;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- AR10.5

absl::Status ArrearsApp::RequestEmploymentStatus(const Actor& actor,
                                                 const cms::v1::RequestEmploymentStatusRequest& req,
                                                 ArrearsAction* out) {
  return commands_.Run(
      actor, "RequestEmploymentStatus", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_RETURN_IF_ERROR(domain::RefuseOnSegment5Review(
            action, "an employment status request to HMRC (AR10.5)"));
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, OpenReview(c, action, "AR10.5"));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_ASSIGN_OR_RETURN(HmrcEmployment answer,
                             employment_.LookUpNow(c, action.casegroup_id()));
        const ArrearsAction before = action;
        cms::v1::DeoAttempt* deo = action.mutable_deo();
        deo->set_hmrc_answer(answer.kind);
        *deo->mutable_hmrc_answer_date() = DateOf(today);
        deo->set_employer_name(answer.employer_name);
        action.set_state(cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
        std::string detail;
        switch (answer.kind) {
          case cms::v1::HMRC_ANSWER_EMPLOYER:
            action.set_rung(cms::v1::ARREARS_RUNG_DEO_DER);
            detail = absl::StrCat("HMRC returned employer ", answer.employer_name,
                                  ": set up a DEO/DER (AR10.5)");
            break;
          case cms::v1::HMRC_ANSWER_SELF_EMPLOYED:
            action.set_rung(cms::v1::ARREARS_RUNG_DISCLOSURE);
            detail =
                "HMRC returned self-employed: no DEO; on to disclosure for a deduction order "
                "(AR10.5)";
            break;
          default: {
            // "If HMRC updates status to No employment details, set the
            // Desire for DEO/DER flag ... Select either Mandatory or Self
            // Selected ... Raise an activity reminder at Case level for 6
            // weeks after the Desire Flag was set." A flag the caseworker
            // has set already (Self Selected, say) stays as they chose it;
            // none set becomes Mandatory.
            CMS_ASSIGN_OR_RETURN(auto chosen,
                                 store::CurrentDeoDesire(c.tx(), action.casegroup_id()));
            const cms::v1::DeoDesire desire =
                chosen.has_value() ? chosen->desire : cms::v1::DEO_DESIRE_MANDATORY;
            if (!chosen.has_value()) {
              CMS_RETURN_IF_ERROR(
                  employment_.SetDeoDesireIn(c, action.casegroup_id(), desire).status());
            }
            const absl::CivilDay due = today + kDesireReminderDays;
            CMS_ASSIGN_OR_RETURN(
                int32_t seq, srs_.AddActivityByRule(c, review.id(), kDesireReminder, due, true));
            deo->set_desire_flag_set(true);
            *deo->mutable_reminder_due_date() = DateOf(due);
            deo->set_reminder_service_request_id(review.id());
            deo->set_reminder_activity_seq(seq);
            action.set_rung(cms::v1::ARREARS_RUNG_DISCLOSURE);
            detail = absl::StrCat(
                "HMRC returned no employment details (a sensitive employer looks the same): DEO "
                "desire flag ",
                ShortName(desire), chosen.has_value() ? " (as set)" : "",
                ", HMRC asked again every 2 weeks, reminder due ", absl::FormatCivilTime(due),
                "; on to disclosure for a deduction order (AR10.5)");
            break;
          }
        }
        CMS_RETURN_IF_ERROR(Save(c, before, action,
                                 cms::v1::ARREARS_EVENT_KIND_EMPLOYMENT_REQUESTED, detail,
                                 review.id()));
        *out = action;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- AR10.13

absl::Status ArrearsApp::SetMonitor(const Actor& actor,
                                    const cms::v1::SetMissedPaymentMonitorRequest& req,
                                    ArrearsAction* out) {
  if (req.reason().empty() || req.reason().size() > 2000) {
    return InvalidField("reason", "1..2000 characters", "AR10.13");
  }
  return commands_.Run(
      actor, "SetMissedPaymentMonitor", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        if (action.monitor().disabled() == req.disabled()) {
          return RuleViolation("AR10.13",
                               absl::StrCat("the Disable Missed Payment Monitor is already ",
                                            req.disabled() ? "set" : "clear"));
        }
        const ArrearsAction before = action;
        cms::v1::MissedPaymentMonitor* m = action.mutable_monitor();
        m->set_disabled(req.disabled());
        m->set_reason(req.reason());
        m->set_set_by(c.actor().staff_id);
        *m->mutable_set_time() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
        CMS_RETURN_IF_ERROR(
            Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_MONITOR_CHANGED,
                 absl::StrCat(req.disabled() ? "Disable Missed Payment Monitor set: "
                                             : "Disable Missed Payment Monitor cleared: ",
                              req.reason(),
                              req.disabled() ? " (AR10.13: the daily job raises no missed-payment "
                                               "event for the case while it is set)"
                                             : " (AR10.13)"),
                 0));
        *out = action;
        return absl::OkStatus();
      });
}

}  // namespace cms::app
