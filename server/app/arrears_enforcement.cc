// The enforcement case manager's decisions on a case the ENFORCEMENT
// segment owns (AR10.8, AR10.10, AR10.12, AR10.14): the review of an RDO
// with DOT when an Arrears Review comes up with one in force, and the
// enforcement actions, each refused below its de minimis, while legacy CSA
// debt is still to migrate, and (a charging order, an order for sale)
// without the PP's property on record.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/domain/de_minimis.h"
#include "server/domain/sr_rules.h"
#include "server/store/arrears_repo.h"
#include "server/store/asset_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/sr_repo.h"
#include "server/store/timer_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;

constexpr char kRdoAnnualReviewSrType[] = "RDO_ANNUAL_REVIEW";
constexpr char kEnforcementActionTaken[] = "Enforcement Action Taken";
constexpr char kEnforcementActionStarted[] = "Enforcement Action Started";

// AR10.12: "options reviewed at the next annual review": the case's annual
// review date, moved on a year at a time until it is after `today` (one
// year from today when the case has none).
absl::CivilDay NextAnnualReview(const cms::v1::Case& k, absl::CivilDay today) {
  if (!IsSet(k.annual_review_date()))
    return absl::CivilDay(today.year() + 1, today.month(), today.day());
  absl::CivilDay day = CivilDayOf(k.annual_review_date());
  for (int years = 1; day <= today; ++years) {
    const cms::v1::Date& d = k.annual_review_date();
    day = absl::CivilDay(d.year() + years, d.month(), d.day());
  }
  return day;
}

bool NeedsProperty(cms::v1::EnforcementAction a) {
  return a == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER ||
         a == cms::v1::ENFORCEMENT_ACTION_ORDER_FOR_SALE;
}

}  // namespace

absl::StatusOr<ArrearsAction> ArrearsApp::LoadForEnforcement(Command& c, int64_t case_id,
                                                             const std::string& etag,
                                                             absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, case_id, etag));
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id()));
  if (k.lifecycle_stage() != cms::v1::LIFECYCLE_STAGE_ENFORCEMENT) {
    return RuleViolation(rule, absl::StrCat("case ", k.id(),
                                            " is not with ENFORCEMENT (its "
                                            "lifecycle stage is ",
                                            ShortName(k.lifecycle_stage()),
                                            "): this is the enforcement case manager's decision"));
  }
  return action;
}

// ---------------------------------------------------------------- AR10.12

absl::Status ArrearsApp::RecordRdoViability(const Actor& actor,
                                            const cms::v1::RecordRdoViabilityRequest& req,
                                            ArrearsAction* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.viability() == cms::v1::RDO_VIABILITY_UNSPECIFIED ||
      !cms::v1::RdoViability_IsValid(req.viability())) {
    errors.Add("viability", "VIABLE, LAPSED or DISCHARGED");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.12"));
  return commands_.Run(
      actor, "RecordRdoViability", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action,
                             LoadForEnforcement(c, req.case_id(), req.etag(), "AR10.12"));
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest review, OpenReview(c, action, "AR10.12"));
        const cms::v1::EnforcementRdoReview& was = action.enforcement_rdo_review();
        if (was.review_service_request_id() != review.id()) {
          return RuleViolation("AR10.12",
                               absl::StrCat("Arrears Review SR ", review.id(),
                                            " did not find an RDO in force: there is no RDO to "
                                            "review with DOT"));
        }
        if (was.viability() != cms::v1::RDO_VIABILITY_UNSPECIFIED) {
          return RuleViolation("AR10.12",
                               absl::StrCat("the RDO's review with DOT is recorded "
                                            "already for Arrears Review SR ",
                                            review.id(), " (", ShortName(was.viability()), ")"));
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const bool viable = req.viability() == cms::v1::RDO_VIABILITY_VIABLE;
        const ArrearsAction before = action;
        cms::v1::EnforcementRdoReview* v = action.mutable_enforcement_rdo_review();
        v->set_viability(req.viability());
        v->set_further_assets(req.further_assets());
        v->set_note(req.note());
        v->set_recorded_by(c.actor().staff_id);
        *v->mutable_recorded_date() = DateOf(today);
        v->set_parallel_action(viable && req.further_assets());
        cms::v1::Disclosure* d = action.mutable_disclosure();
        d->set_rdo_viability(req.viability());
        if (!viable) d->clear_rdo_next_due_date();  // the RDO has ended: nothing to judge
        std::string detail =
            absl::StrCat("DOT: the RDO is ", ShortName(req.viability()),
                         req.further_assets() ? ", further assets found" : ", no further assets",
                         ": ", req.note());
        if (req.further_assets()) {
          absl::StrAppend(&detail,
                          viable ? "; parallel action: a liability order beside the RDO"
                                 : "; the assets decide the enforcement action",
                          " (AR10.12)");
          CMS_RETURN_IF_ERROR(Save(c, before, action,
                                   cms::v1::ARREARS_EVENT_KIND_RDO_VIABILITY_RECORDED, detail,
                                   review.id()));
          *out = action;
          return absl::OkStatus();
        }
        // No further assets: "Set the Disable Missed Payment Monitor ... The
        // ECM will then review enforcement options when more information
        // generates after the next Annual Review date."
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id()));
        const absl::CivilDay annual = NextAnnualReview(k, today);
        *v->mutable_annual_review_date() = DateOf(annual);
        cms::v1::MissedPaymentMonitor* m = action.mutable_monitor();
        m->set_disabled(true);
        m->set_reason(
            absl::StrCat("AR10.12: no further assets for enforcement; the options are "
                         "reviewed at the annual review, ",
                         absl::FormatCivilTime(annual)));
        m->set_set_by(c.actor().staff_id);
        *m->mutable_set_time() = TimestampOf(c.now());
        absl::StrAppend(&detail,
                        "; Disable Missed Payment Monitor set, DOT's RDO Annual Review SR on ",
                        absl::FormatCivilTime(annual), " (AR10.12, AR10.13)");
        CMS_RETURN_IF_ERROR(Save(c, before, action,
                                 cms::v1::ARREARS_EVENT_KIND_RDO_VIABILITY_RECORDED, detail,
                                 review.id()));
        CMS_RETURN_IF_ERROR(RecordClose(c, action, "No Action Appropriate", detail));
        CMS_RETURN_IF_ERROR(
            srs_.CloseByRule(c, review.id(), "No Action Appropriate", "Complete", detail, "AR10.12")
                .status());
        CMS_RETURN_IF_ERROR(
            store::ScheduleTimer(
                c.tx(),
                {kArrearsRdoAnnualReviewTimer, action.id(), commands_.clock().StartOf(annual), "",
                 absl::StrCat(kArrearsRdoAnnualReviewTimer, "/", action.id(), "/", review.id())},
                c.now_us())
                .status());
        CMS_ASSIGN_OR_RETURN(*out, store::GetArrearsAction(c.tx(), action.id()));
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::RaiseRdoAnnualReview(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(ArrearsAction action,
                       store::GetArrearsAction(c.tx(), timer.subject, /*for_update=*/true));
  if (action.enforcement_rdo_review().annual_review_service_request_id() != 0) {
    return absl::OkStatus();  // raised already
  }
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kRdoAnnualReviewSrType;
  spec.casegroup_id = action.casegroup_id();
  spec.case_id = action.case_id();
  spec.subject_person_id = action.paying_parent_id();
  spec.description = absl::StrCat(
      "The case's annual review: review the RDO and look again for assets; the enforcement "
      "case manager reviews the enforcement options (AR10.12). At the last review: ",
      action.enforcement_rdo_review().note());
  spec.rule = "AR10.12";
  CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
  const ArrearsAction before = action;
  const int64_t id = raised.service_request().id();
  action.mutable_enforcement_rdo_review()->set_annual_review_service_request_id(id);
  return Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_RDO_ANNUAL_REVIEW_RAISED,
              absl::StrCat("the annual review: RDO Annual Review SR ", id,
                           " raised for the Deduction Order Team (AR10.12)"),
              id);
}

// ---------------------------------------------------------------- AR10.8

absl::Status ArrearsApp::TakeEnforcementAction(const Actor& actor,
                                               const cms::v1::TakeEnforcementActionRequest& req,
                                               ArrearsAction* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  const cms::v1::EnforcementAction act = req.action();
  if (act == cms::v1::ENFORCEMENT_ACTION_UNSPECIFIED || !cms::v1::EnforcementAction_IsValid(act)) {
    errors.Add("action", "LIABILITY_ORDER, LSDO, CHARGING_ORDER, ORDER_FOR_SALE or COMMITMENT");
  }
  const std::string court(absl::StripAsciiWhitespace(req.court()));
  if (act == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER && (court.empty() || court.size() > 200)) {
    errors.Add("court", "required for a charging order: 1..200 characters");
  }
  if (NeedsProperty(act) && req.asset_id() <= 0) {
    errors.Add("asset_id", "required: the PP's property (AR10.14)");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.8"));
  return commands_.Run(
      actor, "TakeEnforcementAction", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action,
                             LoadForEnforcement(c, req.case_id(), req.etag(), "AR10.8"));
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id()));
        // AR10.10: "Enforcement action will not be accepted until
        // transition is complete."
        if (const int64_t legacy = k.legacy().csa_debt_to_migrate_pence(); legacy > 0) {
          return RuleViolation("AR10.10",
                               absl::StrCat(domain::FormatPounds(legacy),
                                            " of legacy CSA debt is still to migrate: enforcement "
                                            "is not accepted until it has"));
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_ASSIGN_OR_RETURN(cms::v1::Arrears arrears,
                             payments_.CaseArrearsIn(c.tx(), action.case_id(), today));
        if (auto refusal =
                domain::DeMinimisRefusal(act, arrears.balance_pence(), rules_.de_minimis, court)) {
          return RuleViolation("AR10.8", *refusal);
        }
        const domain::Pence threshold = domain::DeMinimisThreshold(act, rules_.de_minimis, court);
        if (NeedsProperty(act)) {
          // AR10.14: the assets are the facts the charging order steps read.
          auto asset = store::GetAsset(c.tx(), req.asset_id());
          if (!asset.ok() || asset->person_id() != action.paying_parent_id()) {
            return InvalidField("asset_id", "not an asset of the case's paying parent", "AR10.14");
          }
          if (asset->type() != cms::v1::ASSET_TYPE_PROPERTY ||
              asset->state() != cms::v1::ASSET_STATE_ACTIVE) {
            return RuleViolation(
                "AR10.14",
                absl::StrCat("a ", domain::EnforcementActionName(act),
                             " needs the paying parent's property on record: asset ", asset->id(),
                             " is ", ShortName(asset->state()), " ", ShortName(asset->type())));
          }
        }
        const std::string detail = absl::StrCat(
            domain::EnforcementActionName(act),
            act == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER ? absl::StrCat(" in ", court) : "",
            " taken on arrears of ", domain::FormatPounds(arrears.balance_pence()), " (de minimis ",
            domain::FormatPounds(threshold), ", AR10.8): ", req.note());
        // The enforcement routing SR's decision is made; an open review
        // ends in it.
        if (const int64_t decide = action.lo().review_case_service_request_id(); decide != 0) {
          CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                               store::GetServiceRequest(c.tx(), decide));
          if (!domain::IsTerminal(sr.status())) {
            CMS_RETURN_IF_ERROR(
                srs_.CloseByRule(c, decide, kEnforcementActionStarted, "Complete", detail, "AR10.8")
                    .status());
          }
        }
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::EnforcementStep* step = action.add_enforcement_actions();
        step->set_action(act);
        *step->mutable_taken_date() = DateOf(today);
        step->set_taken_by(c.actor().staff_id);
        step->set_arrears_pence(arrears.balance_pence());
        step->set_threshold_pence(threshold);
        step->set_court(act == cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER ? court : "");
        step->set_asset_id(NeedsProperty(act) ? req.asset_id() : 0);
        step->set_note(req.note());
        CMS_RETURN_IF_ERROR(Save(c, before, action,
                                 cms::v1::ARREARS_EVENT_KIND_ENFORCEMENT_ACTION_TAKEN, detail,
                                 action.review_service_request_id()));
        if (action.state() != cms::v1::ARREARS_STATE_CLOSED &&
            action.review_service_request_id() != 0) {
          CMS_ASSIGN_OR_RETURN(
              cms::v1::ServiceRequest review,
              store::GetServiceRequest(c.tx(), action.review_service_request_id()));
          if (!domain::IsTerminal(review.status())) {
            CMS_RETURN_IF_ERROR(RecordClose(c, action, kEnforcementActionTaken, detail));
            CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, review.id(), kEnforcementActionTaken,
                                                 "Complete", detail, "AR10.8")
                                    .status());
          }
        }
        CMS_ASSIGN_OR_RETURN(*out, store::GetArrearsAction(c.tx(), action.id()));
        return absl::OkStatus();
      });
}

}  // namespace cms::app
