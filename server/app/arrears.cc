#include "server/app/arrears.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/decisions.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/money.h"
#include "server/store/arrears_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/party_repo.h"
#include "server/store/schedule_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::ServiceRequest;

constexpr char kNoActionAppropriate[] = "No Action Appropriate";

cms::v1::ArrearsReviewReason ReasonOf(const ServiceRequest& sr) {
  auto it = sr.fields().find("Reason");
  const std::string reason = it == sr.fields().end() ? "" : it->second;
  if (reason == "Arrears Routing Logic")
    return cms::v1::ARREARS_REVIEW_REASON_ARREARS_ROUTING_LOGIC;
  if (reason == "Refusal to Pay") return cms::v1::ARREARS_REVIEW_REASON_REFUSAL_TO_PAY;
  if (reason == "DEO payments missed") return cms::v1::ARREARS_REVIEW_REASON_EMPLOYER_MISSED_DEO;
  if (sr.fields().contains("Segment 5 Case")) {
    return cms::v1::ARREARS_REVIEW_REASON_SEGMENT_5_MISSED_PAYMENT;
  }
  return cms::v1::ARREARS_REVIEW_REASON_MANUAL;
}

bool IsSegment5(const ServiceRequest& sr) {
  auto it = sr.fields().find("Segment 5 Case");
  return it != sr.fields().end() && it->second == "Y";
}

}  // namespace

// ---------------------------------------------------------------- reads

absl::Status ArrearsApp::Get(const Actor& actor, const cms::v1::GetArrearsActionRequest& req,
                             ArrearsAction* out) {
  if (req.key_case() == cms::v1::GetArrearsActionRequest::KEY_NOT_SET) {
    return InvalidField("id", "an id or a case_id is required", "AR10.2");
  }
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    if (req.has_id()) {
      CMS_ASSIGN_OR_RETURN(*out, store::GetArrearsAction(tx, req.id()));
    } else {
      CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
      CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(tx, k.id()));
      if (!found) {
        return absl::NotFoundError(absl::StrCat(
            "case ", k.id(),
            " has no arrears action: one is made when an Arrears Review SR is raised or an "
            "arrears contact is recorded (AR10.1)"));
      }
      *out = *std::move(found);
    }
    return CasegroupForRead(tx, out->casegroup_id(), actor).status();
  });
}

absl::Status ArrearsApp::List(const Actor& actor, const cms::v1::ListArrearsActionsRequest& req,
                              cms::v1::ListArrearsActionsResponse* out) {
  FieldErrors errors;
  if (!cms::v1::ArrearsState_IsValid(req.state())) errors.Add("state", "unknown value");
  if (!cms::v1::ArrearsRung_IsValid(req.rung())) errors.Add("rung", "unknown value");
  CMS_RETURN_IF_ERROR(errors.ToStatus(""));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  store::ArrearsFilter filter;
  filter.state = req.state();
  filter.rung = req.rung();
  filter.owning_segment_id = req.owning_segment_id();
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListArrearsActions(tx, filter, page));
    for (ArrearsAction& a : rows) {
      // X13.1: a row the caller may not see is left out of the page (the
      // page may come back short; the token still moves past it).
      CMS_ASSIGN_OR_RETURN(domain::Access access, CasegroupAccessOf(tx, a.casegroup_id(), actor));
      if (access != domain::Access::kNone) *out->add_actions() = a;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status ArrearsApp::ListEvents(const Actor& actor,
                                    const cms::v1::ListArrearsEventsRequest& req,
                                    cms::v1::ListArrearsEventsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(ArrearsAction action,
                         store::GetArrearsAction(tx, req.arrears_action_id()));
    CMS_RETURN_IF_ERROR(CasegroupForRead(tx, action.casegroup_id(), actor).status());
    CMS_ASSIGN_OR_RETURN(auto events, store::ListArrearsEvents(tx, action.id(), page));
    for (auto& e : events) *out->add_events() = std::move(e);
    if (out->events_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->events().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status ArrearsApp::GetRecommendation(const Actor& actor,
                                           const cms::v1::GetArrearsRecommendationRequest& req,
                                           cms::v1::ArrearsRecommendation* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    // The case without its children (no rule here reads them), and the
    // casegroup its access was judged on, read once.
    CMS_ASSIGN_OR_RETURN(CaseInGroup read, CaseInGroupForRead(tx, req.case_id(), actor,
                                                              store::CaseParts::kWithoutChildren));
    const cms::v1::Case& k = read.k;
    CMS_ASSIGN_OR_RETURN(auto action, store::FindArrearsActionByCase(tx, k.id()));
    CMS_ASSIGN_OR_RETURN(domain::LadderFacts facts, LadderFactsOf(tx, k, read.group, action, now));
    *out = domain::RecommendArrearsStep(facts);
    out->set_case_id(k.id());
    out->set_arrears_action_id(action ? action->id() : 0);
    return absl::OkStatus();
  });
}

absl::StatusOr<domain::LadderFacts> ArrearsApp::LadderFactsOf(
    store::Tx& tx, const cms::v1::Case& k, const cms::v1::Casegroup& g,
    const std::optional<ArrearsAction>& action, absl::Time now) {
  CMS_ASSIGN_OR_RETURN(
      domain::LadderFacts f,
      GatherLadderFacts(tx, k, g, action, commands_.clock().Today(now), payments_, mopf_));
  f.thresholds = rules_.de_minimis;
  if (action && action->disclosure().has_authorisation_due_time()) {
    const absl::Time due = TimeOf(action->disclosure().authorisation_due_time());
    f.authorisation_due = absl::CivilMinute(commands_.clock().Local(due));
    f.authorisation_overdue = now > due;
  }
  return f;
}

// ---------------------------------------------------------------- history

absl::Status ArrearsApp::Save(Command& c, const ArrearsAction& before, ArrearsAction& action,
                              cms::v1::ArrearsEventKind kind, std::string detail, int64_t sr_id) {
  CMS_RETURN_IF_ERROR(store::UpdateArrearsAction(c.tx(), action, c.now_us()));
  cms::v1::ArrearsEvent e;
  e.set_arrears_action_id(action.id());
  e.set_kind(kind);
  e.set_state(action.state());
  e.set_rung(action.rung());
  e.set_detail(std::move(detail));
  e.set_service_request_id(sr_id);
  e.set_actor(c.actor().staff_id);
  CMS_RETURN_IF_ERROR(store::InsertArrearsEvent(c.tx(), e, c.now_us()));
  c.Audit("arrears_action", absl::StrCat(action.id()), &before, action);
  // AG11.2: an arrears caseworker's decision, for Q&A to sample (the
  // system's, such as the nightly RDO check's, are not recorded).
  Decision d;
  d.type = cms::v1::BUSINESS_DECISION_TYPE_ARREARS;
  d.entity_type = "arrears_action";
  d.entity_id = action.id();
  d.sr_id = sr_id;
  d.case_id = action.case_id();
  d.casegroup_id = action.casegroup_id();
  return RecordDecision(c, d);
}

absl::StatusOr<ArrearsAction> ArrearsApp::LoadOrMake(Command& c, const cms::v1::Case& k) {
  CMS_ASSIGN_OR_RETURN(auto found,
                       store::FindArrearsActionByCase(c.tx(), k.id(), /*for_update=*/true));
  if (found) return *std::move(found);
  CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
  ArrearsAction action;
  action.set_case_id(k.id());
  action.set_casegroup_id(g.id());
  action.set_paying_parent_id(g.paying_parent_id());
  action.set_state(cms::v1::ARREARS_STATE_REVIEW);
  action.set_legacy_debt_to_migrate_pence(k.legacy().csa_debt_to_migrate_pence());
  CMS_ASSIGN_OR_RETURN(action, store::InsertArrearsAction(c.tx(), action, c.now_us()));
  c.Audit("arrears_action", absl::StrCat(action.id()), nullptr, action);
  return action;
}

// ---------------------------------------------------------------- the review

absl::StatusOr<bool> ArrearsApp::ServiceRequestRaised(Command& c, const ServiceRequest& sr,
                                                      bool existing) {
  if (sr.type_code() != kArrearsReviewSrType || sr.case_id() == 0) return false;
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), sr.case_id()));
  CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadOrMake(c, k));
  const ArrearsAction before = action;
  const absl::CivilDay today = commands_.clock().Today(c.now());
  CMS_ASSIGN_OR_RETURN(ReviewFigures figures,
                       GatherReviewFigures(c.tx(), k.id(), today, payments_, commands_.clock(),
                                           rules_.missed_payment_tolerance_days));
  if (existing && action.review_service_request_id() == sr.id()) {
    // SR5.10: one open per case. The open review stays the one to work;
    // it takes the latest balance (AR10.2: "open the latest SR for the
    // latest arrears balance").
    *action.mutable_latest_trigger_date() = DateOf(today);
    action.set_latest_balance_pence(figures.balance);
    CMS_RETURN_IF_ERROR(Save(
        c, before, action, cms::v1::ARREARS_EVENT_KIND_REVIEW_RETRIGGERED,
        absl::StrCat("raised again while Arrears Review SR ", sr.id(),
                     " is open: no duplicate (SR5.10); the open review takes the latest balance, ",
                     domain::FormatPounds(figures.balance), " (AR10.2)"),
        sr.id()));
    return false;
  }
  action.set_state(cms::v1::ARREARS_STATE_REVIEW);
  action.set_review_service_request_id(sr.id());
  action.set_review_reason(ReasonOf(sr));
  *action.mutable_review_date() = DateOf(today);
  action.set_balance_at_review_pence(figures.balance);
  action.set_payment_failure_reason(figures.failure_reason);
  action.set_missed_payments(figures.missed_run);
  action.set_segment5_case(IsSegment5(sr));
  action.clear_latest_trigger_date();
  action.clear_latest_balance_pence();
  action.clear_closed_resolution();
  action.clear_closed_reason();
  action.set_legacy_debt_to_migrate_pence(k.legacy().csa_debt_to_migrate_pence());
  // AR10.12: a review of an ENFORCEMENT-owned case with an RDO in force is
  // the enforcement case manager's, with DOT.
  const bool rdo_review = k.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_ENFORCEMENT &&
                          RdoInForce(action.disclosure());
  if (rdo_review) {
    action.clear_enforcement_rdo_review();
    action.mutable_enforcement_rdo_review()->set_review_service_request_id(sr.id());
  }
  CMS_RETURN_IF_ERROR(Save(
      c, before, action, cms::v1::ARREARS_EVENT_KIND_REVIEW_RAISED,
      absl::StrCat("Arrears Review SR ", sr.id(), " raised (", ShortName(action.review_reason()),
                   "): arrears ", domain::FormatPounds(figures.balance), ", ", figures.missed_run,
                   " missed collection(s) in a row", figures.failure_reason.empty() ? "" : "; ",
                   figures.failure_reason,
                   rdo_review ? "; an RDO is in force on this ENFORCEMENT case: negotiate the "
                                "shortfall and review the RDO with DOT (AR10.12)"
                              : ""),
      sr.id()));
  return AutoClose(c, action, sr, figures);
}

absl::Status ArrearsApp::RecordClose(Command& c, ArrearsAction& action,
                                     const std::string& resolution, const std::string& why) {
  const ArrearsAction before = action;
  action.set_state(cms::v1::ARREARS_STATE_CLOSED);
  action.set_closed_resolution(resolution);
  action.set_closed_reason(why);
  return Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_REVIEW_CLOSED,
              absl::StrCat("Arrears Review SR ", action.review_service_request_id(), " ",
                           resolution, ": ", why),
              action.review_service_request_id());
}

absl::StatusOr<bool> ArrearsApp::AutoClose(Command& c, ArrearsAction& action,
                                           const ServiceRequest& sr, const ReviewFigures& figures) {
  // AR10.2: "Before working on the SR, check the Addresses tab ... If the
  // client's correspondence address is marked as DLO or NFA, record this in
  // the SR notes and then Close and Cancel the SR."
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), action.paying_parent_id()));
  if (pp.address_status() == cms::v1::ADDRESS_STATUS_DLO ||
      pp.address_status() == cms::v1::ADDRESS_STATUS_NFA) {
    const std::string why = absl::StrCat(
        "the paying parent's correspondence address is marked ", ShortName(pp.address_status()),
        ": the Arrears Review is closed and cancelled (AR10.2); raise a new review once the "
        "address is confirmed");
    CMS_RETURN_IF_ERROR(RecordClose(c, action, "Cancelled", why));
    CMS_RETURN_IF_ERROR(
        srs_.MoveByRule(c, sr.id(), cms::v1::SR_STATUS_CANCELLED, "", why, "AR10.2").status());
    return true;
  }
  // AR10.2: "If the schedule has recently been revised within the missed
  // payment tolerance period, the revised schedule will include the missed
  // payment amount and therefore you will need to take no further action":
  // revised on or after the missed collection's due date and no later than
  // its tolerance. The checks the server made are Done (SR5.3 keeps a
  // mandatory activity from being Not Required), the rest Not Required.
  if (figures.revised_within_tolerance) {
    const std::string why = absl::StrCat(
        "the schedule was revised on ", absl::FormatCivilTime(*figures.revision_day),
        ", within the missed payment tolerance of the collection due ",
        absl::FormatCivilTime(*figures.current_miss),
        ": the revised schedule includes the missed amount, so no further action (AR10.2)");
    CMS_RETURN_IF_ERROR(RecordClose(c, action, kNoActionAppropriate, why));
    CMS_RETURN_IF_ERROR(
        srs_.CloseByRule(c, sr.id(), kNoActionAppropriate, "Complete", why, "AR10.2").status());
    return true;
  }
  return false;
}

absl::Status ArrearsApp::ServiceRequestEnded(Command& c, const ServiceRequest& sr) {
  if (sr.type_code() != kArrearsReviewSrType || sr.case_id() == 0) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(auto found,
                       store::FindArrearsActionByCase(c.tx(), sr.case_id(), /*for_update=*/true));
  if (!found || found->review_service_request_id() != sr.id() ||
      found->state() == cms::v1::ARREARS_STATE_CLOSED) {
    return absl::OkStatus();
  }
  ArrearsAction action = *std::move(found);
  const ArrearsAction before = action;
  action.set_state(cms::v1::ARREARS_STATE_CLOSED);
  action.set_closed_resolution(sr.status() == cms::v1::SR_STATUS_CANCELLED ? "Cancelled"
                                                                           : sr.resolution_code());
  action.set_closed_reason("closed by its worker");
  return Save(
      c, before, action, cms::v1::ARREARS_EVENT_KIND_REVIEW_CLOSED,
      absl::StrCat("Arrears Review SR ", sr.id(), " ",
                   sr.status() == cms::v1::SR_STATUS_CANCELLED ? "cancelled" : "closed",
                   action.closed_resolution().empty() ? "" : ": ", action.closed_resolution()),
      sr.id());
}

absl::StatusOr<ServiceRequest> ArrearsApp::OpenReview(Command& c, const ArrearsAction& action,
                                                      absl::string_view rule) {
  if (action.review_service_request_id() == 0 || action.state() == cms::v1::ARREARS_STATE_CLOSED) {
    return RuleViolation(rule, absl::StrCat("case ", action.case_id(),
                                            " has no open Arrears Review SR: this step is worked "
                                            "from one (AR10.2)"));
  }
  CMS_ASSIGN_OR_RETURN(ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), action.review_service_request_id()));
  if (sr.status() == cms::v1::SR_STATUS_WAIT && rule != "AR10.4") {
    return RuleViolation(
        "AR10.4", absl::StrCat("Arrears Review SR ", sr.id(), " is waiting (", sr.sub_status(),
                               "): the PP has 7 days to respond first"));
  }
  if (sr.status() == cms::v1::SR_STATUS_OPEN) {
    // Step 2 of the procedure: the review is set In Progress and the plan
    // generated before it is worked.
    CMS_ASSIGN_OR_RETURN(sr, srs_.MoveByRule(c, sr.id(), cms::v1::SR_STATUS_IN_PROGRESS, "",
                                             "Arrears Review set In Progress to work it", rule));
  }
  return sr;
}

}  // namespace cms::app
