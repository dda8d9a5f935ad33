// The final chance to negotiate and the liability order referral (AR10.6,
// AR10.7, AR10.8, AR10.10): the Action Missed Payment SR, the Review LO SR
// and its team leader approval (A6.3), and the overnight move to
// ENFORCEMENT.
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/arrears_facts.h"
#include "server/app/dates.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/de_minimis.h"
#include "server/domain/money.h"
#include "server/store/arrears_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"
#include "server/store/timer_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;

constexpr char kReviewLoSrType[] = "REVIEW_LO";
constexpr char kRecommendLoSrType[] = "RECOMMEND_LO";
constexpr char kReviewCaseSrType[] = "REVIEW_CASE_DECIDE_NEXT_ACTION";
constexpr char kGatherInfo[] = "Gather Additional Info";
constexpr char kAwaitingLo[] = "Awaiting LO authorisation";

std::string Day(absl::CivilDay d) { return absl::FormatCivilTime(d); }

bool OpenNegotiation(const ArrearsAction& a) {
  return a.negotiation().service_request_id() != 0 &&
         a.negotiation().outcome() == cms::v1::NEGOTIATION_OUTCOME_UNSPECIFIED;
}

}  // namespace

// ---------------------------------------------------------------- the final chance

absl::Status ArrearsApp::StartFinalNegotiation(const Actor& actor,
                                               const cms::v1::StartFinalNegotiationRequest& req,
                                               ArrearsAction* out) {
  if (req.purpose() != cms::v1::ARREARS_RUNG_DISCLOSURE &&
      req.purpose() != cms::v1::ARREARS_RUNG_LIABILITY_ORDER) {
    return InvalidField(
        "purpose", "DISCLOSURE or LIABILITY_ORDER: what a failed negotiation leads to", "AR10.6");
  }
  const absl::string_view rule =
      req.purpose() == cms::v1::ARREARS_RUNG_DISCLOSURE ? "AR10.6" : "AR10.7";
  return commands_.Run(
      actor, "StartFinalNegotiation", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_RETURN_IF_ERROR(domain::RefuseOnSegment5Review(
            action, "the ladder's final-chance negotiation (AR10.6, AR10.7)"));
        CMS_RETURN_IF_ERROR(OpenReview(c, action, rule).status());
        if (OpenNegotiation(action)) {
          return RuleViolation(rule, absl::StrCat("Action Missed Payment SR ",
                                                  action.negotiation().service_request_id(),
                                                  " is already the final chance: record its "
                                                  "outcome first"));
        }
        if (action.lo().state() == cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL ||
            action.lo().state() == cms::v1::LO_REFERRAL_STATE_APPROVED) {
          return RuleViolation(rule, "a liability order referral is under way");
        }
        // AR10.3: an employed PP's DEO comes first; disclosure and an LO are
        // for when it cannot be (self-employed, sole trader, no employer
        // from HMRC, a DEO that failed) or in parallel with one in place.
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id()));
        CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
        CMS_ASSIGN_OR_RETURN(domain::LadderFacts facts,
                             LadderFactsOf(c.tx(), k, g, action, c.now()));
        facts.letter = {};  // the ladder's own step, whatever letter is due
        facts.letter_wait_running = false;
        const cms::v1::ArrearsRecommendation next = domain::RecommendArrearsStep(facts);
        if (next.step() == cms::v1::ARREARS_STEP_GET_EMPLOYMENT_STATUS ||
            next.step() == cms::v1::ARREARS_STEP_SET_UP_DEO) {
          return RuleViolation("AR10.3", absl::StrCat("a DEO/DER comes first: ", next.why()));
        }
        if (req.purpose() == cms::v1::ARREARS_RUNG_LIABILITY_ORDER &&
            action.lo().state() == cms::v1::LO_REFERRAL_STATE_REJECTED) {
          action.clear_lo();  // a new attempt after the TL's alternative
        }
        CMS_RETURN_IF_ERROR(StartNegotiationIn(c, action, req.purpose(), req.note()));
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id()));
        *out = action;
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::StartNegotiationIn(Command& c, ArrearsAction& action,
                                            cms::v1::ArrearsRung purpose, const std::string& note) {
  const std::string rule = purpose == cms::v1::ARREARS_RUNG_DISCLOSURE ? "AR10.6" : "AR10.7";
  const int64_t review = action.review_service_request_id();
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kActionMissedPaymentSrType;
  spec.casegroup_id = action.casegroup_id();
  spec.case_id = action.case_id();
  spec.parent_id = review;
  spec.description =
      absl::StrCat("Final chance for the paying parent to negotiate the arrears before ",
                   purpose == cms::v1::ARREARS_RUNG_DISCLOSURE ? "disclosure for a deduction order"
                                                               : "a liability order referral",
                   " (", rule, ")", note.empty() ? "" : ": ", note);
  spec.rule = rule;
  CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
  const int64_t amp = raised.service_request().id();
  CMS_RETURN_IF_ERROR(
      srs_.MoveByRule(c, amp, cms::v1::SR_STATUS_IN_PROGRESS, "Negotiation Initiated", "", rule)
          .status());
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review_sr, store::GetServiceRequest(c.tx(), review));
  if (review_sr.status() == cms::v1::SR_STATUS_IN_PROGRESS) {
    CMS_RETURN_IF_ERROR(srs_.SetSubStatusByRule(
        c, review, kGatherInfo, absl::StrCat("Final negotiation on SR ", amp), rule));
  }
  const cms::v1::LoReferral lo = action.lo();  // as the caller left it
  CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
  const ArrearsAction before = action;
  *action.mutable_lo() = lo;
  cms::v1::FinalNegotiation* n = action.mutable_negotiation();
  n->Clear();
  n->set_service_request_id(amp);
  n->set_purpose(purpose);
  *n->mutable_start_date() = DateOf(commands_.clock().Today(c.now()));
  action.set_state(cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  action.set_rung(purpose);
  return Save(
      c, before, action, cms::v1::ARREARS_EVENT_KIND_NEGOTIATION_STARTED,
      absl::StrCat("Action Missed Payment SR ", amp, " raised: the PP's final chance before ",
                   ShortName(purpose), note.empty() ? "" : ": ", note, " (", rule, ")"),
      amp);
}

absl::Status ArrearsApp::RecordNegotiationOutcome(
    const Actor& actor, const cms::v1::RecordNegotiationOutcomeRequest& req, ArrearsAction* out) {
  FieldErrors errors;
  if (req.outcome() != cms::v1::NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED &&
      req.outcome() != cms::v1::NEGOTIATION_OUTCOME_FAILED) {
    errors.Add("outcome", "NEW_SCHEDULE_AGREED or FAILED");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.6"));
  return commands_.Run(
      actor, "RecordNegotiationOutcome", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        if (!OpenNegotiation(action)) {
          return RuleViolation("AR10.6", "no final negotiation is under way: start one first");
        }
        const int64_t amp = action.negotiation().service_request_id();
        const bool agreed = req.outcome() == cms::v1::NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED;
        if (agreed) {
          // "If negotiation is successful" the arrears are paid by the new
          // schedule (Arrears Negotiation and Missed Payments).
          CMS_RETURN_IF_ERROR(
              srs_.CloseByRule(c, amp, "New Schedule Agreed", "Complete", req.note(), "AR10.6")
                  .status());
        } else {
          // "Once negotiation attempted complete, do not close the Action
          // Missed Payment SR": the Disclosure or Review LO SR comes from it.
          CMS_RETURN_IF_ERROR(AddSrNote(c, amp, absl::StrCat("Negotiation failed: ", req.note())));
        }
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::FinalNegotiation* n = action.mutable_negotiation();
        n->set_outcome(req.outcome());
        *n->mutable_outcome_date() = DateOf(commands_.clock().Today(c.now()));
        n->set_note(req.note());
        CMS_RETURN_IF_ERROR(Save(
            c, before, action, cms::v1::ARREARS_EVENT_KIND_NEGOTIATION_ENDED,
            agreed ? absl::StrCat("a new schedule agreed on Action Missed Payment SR ", amp,
                                  ": generate it; the review closes Arrears Paid once it is set "
                                  "up (AR10.6)")
                   : absl::StrCat("the final negotiation failed: next, ",
                                  n->purpose() == cms::v1::ARREARS_RUNG_DISCLOSURE
                                      ? "the Disclosure SR (AR10.6)"
                                      : "the Review LO SR (AR10.7)"),
            amp));
        *out = action;
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::ScheduleGenerated(Command& c, const cms::v1::Schedule& schedule) {
  CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(c.tx(), schedule.case_id(),
                                                                  /*for_update=*/true));
  if (!found || found->state() == cms::v1::ARREARS_STATE_CLOSED ||
      found->review_service_request_id() == 0 || !ScheduleAgreedOnReview(*found)) {
    return absl::OkStatus();
  }
  ArrearsAction action = *std::move(found);
  const int64_t review_id = action.review_service_request_id();
  // The review closes with its plan marked, as the procedure's step 6 has
  // it; a review that cannot close yet (a child SR still open, say) stays
  // for its caseworker, told why.
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, store::GetServiceRequest(c.tx(), review_id));
  CMS_ASSIGN_OR_RETURN(const int64_t open_children, store::CountOpenChildren(c.tx(), review_id));
  const std::string why =
      absl::StrCat("the schedule agreed in the final negotiation (Action Missed Payment SR ",
                   action.negotiation().service_request_id(), ") is generated: schedule ",
                   schedule.id(), " collects the arrears (AR10.6)");
  if (open_children > 0 || review.status() == cms::v1::SR_STATUS_PENDING_APPROVAL) {
    return AddSrNote(c, review_id,
                     absl::StrCat(why,
                                  "; close this review Arrears Paid once its child SRs are "
                                  "done"));
  }
  CMS_RETURN_IF_ERROR(RecordClose(c, action, "Arrears Paid", why));
  return srs_.CloseByRule(c, review_id, "Arrears Paid", "Complete", why, "AR10.6").status();
}

// ---------------------------------------------------------------- AR10.7

absl::Status ArrearsApp::ReferLiabilityOrder(const Actor& actor,
                                             const cms::v1::ReferLiabilityOrderRequest& req,
                                             ArrearsAction* out) {
  if (req.checklist_note().empty() || req.checklist_note().size() > 4000) {
    return InvalidField("checklist_note",
                        "1..4000 characters: the enforcement checklist as reviewed", "AR10.7");
  }
  return commands_.Run(
      actor, "ReferLiabilityOrder", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_RETURN_IF_ERROR(
            domain::RefuseOnSegment5Review(action, "a liability order referral (AR10.7)"));
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, OpenReview(c, action, "AR10.7"));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id()));
        // AR10.10: not while CSA debt is still to migrate.
        if (k.legacy().csa_debt_to_migrate_pence() > 0) {
          return RuleViolation(
              "AR10.10",
              absl::StrCat("enforcement action is not accepted while CSA debt is still to migrate "
                           "to the case (",
                           domain::FormatPounds(k.legacy().csa_debt_to_migrate_pence()),
                           "): ask for it to be fast-tracked and wait for the transition"));
        }
        // AR10.8: not below the liability order's de minimis.
        CMS_ASSIGN_OR_RETURN(cms::v1::Arrears arrears,
                             payments_.CaseArrearsIn(c.tx(), action.case_id(), today));
        if (auto refusal = domain::DeMinimisRefusal(cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER,
                                                    arrears.balance_pence());
            refusal.has_value()) {
          return RuleViolation("AR10.8", *refusal);
        }
        // AR10.7: only after the final chance to negotiate has failed.
        if (action.negotiation().purpose() != cms::v1::ARREARS_RUNG_LIABILITY_ORDER ||
            action.negotiation().outcome() != cms::v1::NEGOTIATION_OUTCOME_FAILED) {
          CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
          CMS_ASSIGN_OR_RETURN(domain::LadderFacts facts,
                               LadderFactsOf(c.tx(), k, g, action, c.now()));
          const cms::v1::ArrearsRecommendation next = domain::RecommendArrearsStep(facts);
          return RuleViolation(
              "AR10.7", absl::StrCat("a liability order is referred after a failed final "
                                     "negotiation for it (StartFinalNegotiation with purpose "
                                     "LIABILITY_ORDER); the ladder says: ",
                                     next.why()));
        }
        if (action.lo().state() == cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL ||
            action.lo().state() == cms::v1::LO_REFERRAL_STATE_APPROVED ||
            action.lo().state() == cms::v1::LO_REFERRAL_STATE_REFERRED) {
          return RuleViolation("AR10.7", absl::StrCat("the liability order referral is already ",
                                                      ShortName(action.lo().state())));
        }
        const int64_t amp = action.negotiation().service_request_id();
        ServiceRequestApp::RuleSr spec;
        spec.type_code = kReviewLoSrType;
        spec.casegroup_id = action.casegroup_id();
        spec.case_id = action.case_id();
        spec.parent_id = amp;
        spec.description = absl::StrCat("Liability order referral for arrears of ",
                                        domain::FormatPounds(arrears.balance_pence()), " (AR10.7)");
        spec.rule = "AR10.7";
        CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
        const int64_t review_lo = raised.service_request().id();
        CMS_RETURN_IF_ERROR(
            srs_.MoveByRule(c, review_lo, cms::v1::SR_STATUS_IN_PROGRESS, "",
                            absl::StrCat("Enforcement checklist: ", req.checklist_note()), "AR10.7")
                .status());
        CMS_RETURN_IF_ERROR(srs_.SetSubStatusByRule(
            c, amp, "Review LO Initiated", absl::StrCat("Review LO SR ", review_lo), "AR10.7"));
        CMS_RETURN_IF_ERROR(srs_.SetSubStatusByRule(
            c, review.id(), kAwaitingLo, absl::StrCat("Review LO SR ", review_lo), "AR10.7"));
        cms::v1::ApprovalAction approval_action;
        approval_action.mutable_lo_referral()->set_arrears_action_id(action.id());
        CMS_ASSIGN_OR_RETURN(cms::v1::Approval approval,
                             approvals_.SubmitIn(c, review_lo, "Liability order referral",
                                                 req.checklist_note(), std::move(approval_action)));
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::LoReferral* lo = action.mutable_lo();
        lo->Clear();
        lo->set_state(cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL);
        lo->set_review_lo_service_request_id(review_lo);
        lo->set_approval_id(approval.id());
        lo->set_checklist_note(req.checklist_note());
        *lo->mutable_referred_date() = DateOf(today);
        action.set_rung(cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
        CMS_RETURN_IF_ERROR(
            Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_LO_REFERRED,
                 absl::StrCat("Review LO SR ", review_lo, " submitted for team leader approval ",
                              approval.id(), " (AR10.7)"),
                 review_lo));
        *out = action;
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::CheckSubmit(Command&, const cms::v1::ServiceRequest&,
                                     const cms::v1::ApprovalAction&) {
  return RuleViolation("AR10.7",
                       "a liability order referral is submitted by "
                       "ArrearsService.ReferLiabilityOrder");
}

absl::StatusOr<ArrearsAction> ArrearsApp::LoadReferral(Command& c,
                                                       const cms::v1::Approval& approval) {
  CMS_ASSIGN_OR_RETURN(
      ArrearsAction action,
      store::GetArrearsAction(c.tx(), approval.action().lo_referral().arrears_action_id(), true));
  if (action.lo().state() != cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL ||
      action.lo().approval_id() != approval.id()) {
    return RuleViolation(
        "AR10.7", absl::StrCat("arrears action ", action.id(), " no longer awaits this approval"));
  }
  return action;
}

absl::StatusOr<std::string> ArrearsApp::ApprovalApproved(Command& c,
                                                         const cms::v1::Approval& approval) {
  CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadReferral(c, approval));
  const int64_t review_lo = action.lo().review_lo_service_request_id();
  const int64_t amp = action.negotiation().service_request_id();
  const int64_t review = action.review_service_request_id();
  const absl::CivilDay today = commands_.clock().Today(c.now());
  // Recommend LO, made from the authorisation SR and done.
  ServiceRequestApp::RuleSr recommend;
  recommend.type_code = kRecommendLoSrType;
  recommend.casegroup_id = action.casegroup_id();
  recommend.case_id = action.case_id();
  recommend.parent_id = review_lo;
  recommend.description = "Liability order recommended after team leader authorisation (AR10.7)";
  recommend.rule = "AR10.7";
  CMS_ASSIGN_OR_RETURN(auto made, srs_.RaiseByRule(c, recommend));
  const int64_t recommend_id = made.service_request().id();
  CMS_RETURN_IF_ERROR(
      srs_.CloseByRule(c, recommend_id, "LO Recommended", "Complete", "", "AR10.7").status());
  // The case routing SR for enforcement; case-owning, it moves with the
  // casegroup when ownership moves overnight.
  ServiceRequestApp::RuleSr decide;
  decide.type_code = kReviewCaseSrType;
  decide.casegroup_id = action.casegroup_id();
  decide.case_id = action.case_id();
  decide.description = absl::StrCat(
      "Liability order authorised on ", Day(today),
      ": consider the enforcement action appropriate (de minimis: LO and LSDO £500, charging "
      "order £500-£750 by court, order for sale £3,000, commitment £1,000) (AR10.7, AR10.8)");
  decide.rule = "AR10.7";
  CMS_ASSIGN_OR_RETURN(auto routed, srs_.RaiseByRule(c, decide));
  const int64_t decide_id = routed.service_request().id();
  // The chain closes, each SR's activities Done or Not Required.
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, review_lo, "LO Approved", "Complete",
                                       approval.decision_comment(), "AR10.7")
                          .status());
  if (amp != 0) {
    CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, amp, "LO Referred", "Complete", "", "AR10.7").status());
  }
  const absl::Time move_at = commands_.clock().StartOf(today + 1);
  const std::string why = absl::StrCat(
      "liability order authorised by ", c.actor().staff_id, "; ownership moves to ENFORCEMENT at ",
      absl::FormatTime("%Y-%m-%d %H:%M", move_at, absl::UTCTimeZone()), " UTC (AR10.7)");
  cms::v1::LoReferral* lo = action.mutable_lo();
  const ArrearsAction before = action;
  lo->set_state(cms::v1::LO_REFERRAL_STATE_APPROVED);
  lo->set_decided_by(c.actor().staff_id);
  *lo->mutable_decided_date() = DateOf(today);
  lo->set_recommend_lo_service_request_id(recommend_id);
  lo->set_review_case_service_request_id(decide_id);
  *lo->mutable_ownership_move_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(move_at));
  CMS_RETURN_IF_ERROR(
      Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_LO_APPROVED, why, review_lo));
  CMS_RETURN_IF_ERROR(RecordClose(c, action, "LO Initiated", why));
  CMS_RETURN_IF_ERROR(
      srs_.CloseByRule(c, review, "LO Initiated", "Complete", why, "AR10.7").status());
  // AR10.7: "Case ownership will move overnight", a durable timer.
  CMS_RETURN_IF_ERROR(store::ScheduleTimer(c.tx(),
                                           {kArrearsLoOwnershipTimer, action.id(), move_at, "",
                                            absl::StrCat(kArrearsLoOwnershipTimer, "/", action.id(),
                                                         "/", approval.id())},
                                           c.now_us())
                          .status());
  return absl::StrCat("Recommend LO SR ", recommend_id, " done; Review Case and Decide Next ",
                      "Action SR ", decide_id, " raised; Review LO, Action Missed Payment and ",
                      "Arrears Review closed; ", why);
}

absl::StatusOr<std::string> ArrearsApp::ApprovalRejected(Command& c,
                                                         const cms::v1::Approval& approval) {
  auto loaded = LoadReferral(c, approval);
  if (!loaded.ok()) return std::string("the arrears action no longer awaits this approval");
  ArrearsAction action = *std::move(loaded);
  const int64_t review_lo = action.lo().review_lo_service_request_id();
  // "If the Review LO SR is not approved ... proceed as suggested by the
  // team leader in the rejection."
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, review_lo, "LO Not Approved", "Complete",
                                       approval.decision_comment(), "AR10.7")
                          .status());
  CMS_RETURN_IF_ERROR(srs_.SetSubStatusByRule(
      c, action.review_service_request_id(), kGatherInfo,
      absl::StrCat("LO not approved: ", approval.decision_comment()), "AR10.7"));
  const ArrearsAction before = action;
  cms::v1::LoReferral* lo = action.mutable_lo();
  lo->set_state(cms::v1::LO_REFERRAL_STATE_REJECTED);
  lo->set_decided_by(c.actor().staff_id);
  *lo->mutable_decided_date() = DateOf(commands_.clock().Today(c.now()));
  lo->set_team_leader_alternative(approval.decision_comment());
  const std::string done = absl::StrCat(
      "liability order not approved; the team leader's alternative: ", approval.decision_comment(),
      " (AR10.7)");
  CMS_RETURN_IF_ERROR(
      Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_LO_REJECTED, done, review_lo));
  return done;
}

absl::Status ArrearsApp::MoveToEnforcement(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(ArrearsAction action,
                       store::GetArrearsAction(c.tx(), timer.subject, /*for_update=*/true));
  if (action.lo().state() != cms::v1::LO_REFERRAL_STATE_APPROVED) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id(), true));
  const cms::v1::Case case_before = k;
  k.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_ENFORCEMENT);
  CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), k));
  CMS_ASSIGN_OR_RETURN(k, store::GetCase(c.tx(), k.id()));
  c.Audit("case", absl::StrCat(k.id()), &case_before, k);
  CMS_ASSIGN_OR_RETURN(bool moved,
                       Reroute(c, action.casegroup_id(), "liability order authorised (AR10.7)"));
  const ArrearsAction before = action;
  action.mutable_lo()->set_state(cms::v1::LO_REFERRAL_STATE_REFERRED);
  return Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_OWNERSHIP_MOVED,
              moved ? "case lifecycle ENFORCEMENT: the casegroup and its case-owning work moved "
                      "to the ENFORCEMENT segment overnight (AR10.7, R3.2)"
                    : "case lifecycle ENFORCEMENT: routing keeps the casegroup where it is",
              action.lo().review_case_service_request_id());
}

}  // namespace cms::app
