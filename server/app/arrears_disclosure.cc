// Disclosure for a deduction order (AR10.6): the case owner asks the
// Deduction Order Team after a failed final negotiation; DOT reports what it
// found and set up on the Disclosure SR it works.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/app/money_mapping.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/money.h"
#include "server/domain/rdo_compliance.h"
#include "server/domain/schedule.h"
#include "server/store/arrears_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;

constexpr char kDisclosureSrType[] = "DISCLOSURE";
constexpr char kRdoReview[] = "PP SCIN - RDO Payment Review (AR10.6)";

constexpr char kReturnedAuthorisationSrType[] = "RETURNED_AUTHORISATION";
constexpr char kAuthoriseDeductionOrder[] =
    "Authorise the deduction order (within 48 hours, AR10.11)";
// AR10.11: "RDO or LSDO action must be completed within the recommended 48
// hours to increase success."
constexpr absl::Duration kDeductionOrderAuthorisationWindow = absl::Hours(48);

// "2027-03-04 14:05 UTC": instants in notes and details.
std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}
std::string FormatTimestamp(const google::protobuf::Timestamp& ts) { return FormatUtc(TimeOf(ts)); }

std::string ResolutionOf(cms::v1::DisclosureOutcome o) {
  switch (o) {
    case cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP:
      return "RDO Set Up";
    case cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP:
      return "LSDO Set Up";
    default:
      return "Disclosure Unsuccessful";
  }
}

}  // namespace

absl::Status ArrearsApp::RequestDisclosure(const Actor& actor,
                                           const cms::v1::RequestDisclosureRequest& req,
                                           ArrearsAction* out) {
  if (req.reason().empty() || req.reason().size() > 500) {
    return InvalidField("reason", "1..500 characters: the Disclosure Reason", "AR10.6");
  }
  return commands_.Run(
      actor, "RequestDisclosure", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        CMS_RETURN_IF_ERROR(domain::RefuseOnSegment5Review(action, "disclosure (AR10.6)"));
        CMS_RETURN_IF_ERROR(OpenReview(c, action, "AR10.6").status());
        const cms::v1::FinalNegotiation& n = action.negotiation();
        if (n.purpose() != cms::v1::ARREARS_RUNG_DISCLOSURE ||
            n.outcome() != cms::v1::NEGOTIATION_OUTCOME_FAILED) {
          return RuleViolation("AR10.6",
                               "disclosure is requested after the PP's final chance to negotiate "
                               "failed (StartFinalNegotiation with purpose DISCLOSURE, then "
                               "RecordNegotiationOutcome FAILED)");
        }
        // "Outstanding changes of circumstances must be completed prior to
        // requesting disclosure."
        CMS_ASSIGN_OR_RETURN(
            std::vector<int64_t> cofc,
            srs_.OpenSrsOfProcess(c.tx(), action.casegroup_id(), action.case_id(), "CofC"));
        if (!cofc.empty()) {
          return RuleViolation("AR10.6",
                               absl::StrCat("changes of circumstances are still outstanding (SR ",
                                            absl::StrJoin(cofc, ", SR "),
                                            "): complete them before requesting disclosure"));
        }
        if (action.disclosure().service_request_id() != 0 &&
            action.disclosure().outcome() == cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED) {
          return RuleViolation(
              "AR10.6", absl::StrCat("Disclosure SR ", action.disclosure().service_request_id(),
                                     " is already with the Deduction Order Team"));
        }
        ServiceRequestApp::RuleSr spec;
        spec.type_code = kDisclosureSrType;
        spec.casegroup_id = action.casegroup_id();
        spec.case_id = action.case_id();
        spec.parent_id = n.service_request_id();
        spec.subject_person_id = action.paying_parent_id();
        spec.fields = {{"Disclosure Reason", req.reason()}};
        spec.description = absl::StrCat(
            "Disclosure for a deduction order (RDO/LSDO) on the paying parent; the case stays "
            "with its owning segment (AR10.6): ",
            req.reason());
        spec.rule = "AR10.6";
        CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
        const int64_t disclosure = raised.service_request().id();
        CMS_RETURN_IF_ERROR(
            srs_.SetSubStatusByRule(c, n.service_request_id(), "Disclosure Initiated",
                                    absl::StrCat("Disclosure SR ", disclosure), "AR10.6"));
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::Disclosure* d = action.mutable_disclosure();
        d->Clear();
        d->set_service_request_id(disclosure);
        *d->mutable_requested_date() = DateOf(commands_.clock().Today(c.now()));
        d->set_reason(req.reason());
        action.set_rung(cms::v1::ARREARS_RUNG_DISCLOSURE);
        CMS_RETURN_IF_ERROR(Save(c, before, action,
                                 cms::v1::ARREARS_EVENT_KIND_DISCLOSURE_REQUESTED,
                                 absl::StrCat("Disclosure SR ", disclosure,
                                              " raised for the Deduction Order Team (AR10.6)"),
                                 disclosure));
        *out = action;
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::RecordDisclosureOutcome(const Actor& actor,
                                                 const cms::v1::RecordDisclosureOutcomeRequest& req,
                                                 ArrearsAction* out) {
  FieldErrors errors;
  const cms::v1::DisclosureOutcome outcome = req.outcome();
  if (outcome == cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED ||
      !cms::v1::DisclosureOutcome_IsValid(outcome)) {
    errors.Add("outcome", "SUCCESSFUL, UNSUCCESSFUL, RDO_SET_UP, LSDO_SET_UP or NOT_APPROVED");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  const bool rdo = outcome == cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP;
  const bool lsdo = outcome == cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP;
  const bool first_report = outcome == cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL ||
                            outcome == cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL;
  if (rdo) {
    if (auto problem =
            domain::AmountProblem(req.rdo_payment_pence(), domain::AmountSign::kPositive)) {
      errors.Add("rdo_payment_pence", absl::StrCat("the RDO's payment: ", *problem));
    }
    CheckDate(errors, "rdo_first_payment_date", req.rdo_first_payment_date());
    if (req.rdo_frequency() == cms::v1::FREQUENCY_UNSPECIFIED ||
        !cms::v1::Frequency_IsValid(req.rdo_frequency())) {
      errors.Add("rdo_frequency", "WEEKLY, FORTNIGHTLY, FOUR_WEEKLY or MONTHLY");
    }
  }
  if (auto problem = domain::AmountProblem(req.lsdo_amount_pence(), domain::AmountSign::kPositive);
      lsdo && problem) {
    errors.Add("lsdo_amount_pence", absl::StrCat("the lump sum: ", *problem));
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.6"));
  return commands_.Run(
      actor, "RecordDisclosureOutcome", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        if (req.case_id() <= 0) return InvalidField("case_id", "required", "AR10.6");
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(c.tx(), k.id(), true));
        const cms::v1::DisclosureOutcome was =
            found ? found->disclosure().outcome() : cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED;
        if (!found || found->disclosure().service_request_id() == 0 ||
            (was != cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED &&
             was != cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL)) {
          return RuleViolation(
              "AR10.6",
              absl::StrCat("case ", k.id(), " has no disclosure with the Deduction Order Team"));
        }
        ArrearsAction action = *std::move(found);
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), action.etag(), "etag", "arrears action",
                                      absl::StrCat(action.id())));
        const cms::v1::Disclosure& d = action.disclosure();
        const int64_t disclosure_sr = d.service_request_id();
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                             store::GetServiceRequest(c.tx(), disclosure_sr));
        // The team working the Disclosure SR reports (SR5.7).
        CMS_RETURN_IF_ERROR(CheckCanWorkSr(c.tx(), sr, c.actor()));
        // AR10.11: first whether the disclosure found an account; the order
        // is set up only once the case owner has authorised it.
        if (was == cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED && !first_report) {
          return RuleViolation(
              "AR10.11",
              "report first whether the disclosure was successful (SUCCESSFUL or UNSUCCESSFUL): "
              "an RDO or LSDO is set up, or not approved, once the case owner has authorised it");
        }
        if (was == cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL) {
          if (first_report) {
            return RuleViolation("AR10.6",
                                 "the disclosure was reported successful already: report the "
                                 "RDO or LSDO set up, or NOT_APPROVED");
          }
          if (d.authorised_order() == cms::v1::DEDUCTION_ORDER_UNSPECIFIED) {
            return RuleViolation(
                "AR10.11",
                absl::StrCat("the case owner has not authorised the deduction order yet (due "
                             "by ",
                             FormatTimestamp(d.authorisation_due_time()),
                             " on Returned Authorisation SR ",
                             d.returned_authorisation_service_request_id(), ")"));
          }
          const cms::v1::DeductionOrder set_up =
              rdo ? cms::v1::DEDUCTION_ORDER_RDO
                  : (lsdo ? cms::v1::DEDUCTION_ORDER_LSDO : d.authorised_order());
          if (set_up != d.authorised_order()) {
            return RuleViolation("AR10.6", absl::StrCat("the case owner authorised an ",
                                                        ShortName(d.authorised_order()),
                                                        ", not an ", ShortName(set_up)));
          }
        }
        if (outcome == cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL) {
          return DisclosureSuccessful(c, action, req, out);
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        std::string detail = absl::StrCat(ShortName(outcome), ": ", req.note());
        std::optional<absl::CivilDay> review_day;
        if (rdo) {
          CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
          CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), g.paying_parent_id()));
          const domain::Jurisdiction where =
              domain::JurisdictionOf(g.country(), pp.residential_address().postcode());
          const domain::RdoSchedule schedule{today, CivilDayOf(req.rdo_first_payment_date()),
                                             ToDomain(req.rdo_frequency()).value()};
          const absl::CivilDay third = domain::RdoPaymentDue(schedule, 2);
          auto day = domain::RdoReviewDate(third, where, calendar_);
          if (!day.ok()) {
            return RuleViolation("AR10.6",
                                 absl::StrCat("the RDO review date is past the bank holidays "
                                              "the service knows: ",
                                              day.status().message()));
          }
          review_day = *day;
          absl::StrAppend(&detail, "; RDO ", domain::FormatPounds(req.rdo_payment_pence()), " ",
                          ShortName(req.rdo_frequency()), " from ",
                          absl::FormatCivilTime(schedule.first), ": review on ",
                          absl::FormatCivilTime(*review_day), " (the third payment, ",
                          absl::FormatCivilTime(third), ", + 5 working days, ",
                          domain::JurisdictionName(where), ")");
        }
        CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, disclosure_sr, ResolutionOf(outcome), "Complete",
                                             req.note(), "AR10.6")
                                .status());
        // The Returned Authorisation closes with the set-up (procedure
        // step 5), then the Action Missed Payment it hangs from.
        if (const int64_t ra = d.returned_authorisation_service_request_id(); ra != 0) {
          CMS_RETURN_IF_ERROR(
              srs_.CloseByRule(c, ra, rdo ? "RDO Set Up" : (lsdo ? "LSDO Set Up" : "Not Set Up"),
                               "Complete", req.note(), "AR10.6")
                  .status());
        }
        const int64_t amp = action.negotiation().service_request_id();
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest amp_sr, store::GetServiceRequest(c.tx(), amp));
        if (amp_sr.status() != cms::v1::SR_STATUS_CLOSED &&
            amp_sr.status() != cms::v1::SR_STATUS_CANCELLED) {
          CMS_RETURN_IF_ERROR(
              srs_.CloseByRule(c, amp, "Disclosure Requested", "Complete", "", "AR10.6").status());
        }
        int32_t review_seq = 0;
        if (rdo || lsdo) {
          // "Check the More Info tab for the paying parent and set the Desire
          // for DEO/DER flag to Mandatory."
          CMS_RETURN_IF_ERROR(
              employment_.SetDeoDesireIn(c, action.casegroup_id(), cms::v1::DEO_DESIRE_MANDATORY)
                  .status());
        }
        if (rdo && action.state() != cms::v1::ARREARS_STATE_CLOSED) {
          // The procedure's case-level Review activity: activities live on
          // SRs here, so it is the open Arrears Review's, which stays open
          // for the RDO's compliance.
          CMS_ASSIGN_OR_RETURN(
              review_seq, srs_.AddActivityByRule(c, action.review_service_request_id(), kRdoReview,
                                                 *review_day, /*alarm=*/true));
        }
        if (rdo || lsdo) CMS_RETURN_IF_ERROR(ArmRdoCheckJob(c));
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::Disclosure* dd = action.mutable_disclosure();
        dd->set_outcome(outcome);
        *dd->mutable_outcome_date() = DateOf(today);
        if (outcome == cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL) {
          dd->set_assets_found(req.assets_found());
          dd->set_recorded_by(c.actor().staff_id);
        }
        dd->set_outcome_note(req.note());
        if (rdo) {
          dd->set_rdo_payment_pence(req.rdo_payment_pence());
          *dd->mutable_rdo_first_payment_date() = req.rdo_first_payment_date();
          dd->set_rdo_frequency(req.rdo_frequency());
          *dd->mutable_rdo_review_date() = DateOf(*review_day);
          dd->set_rdo_review_activity_seq(review_seq);
          *dd->mutable_rdo_next_due_date() = req.rdo_first_payment_date();
        }
        if (lsdo) {
          dd->set_lsdo_amount_pence(req.lsdo_amount_pence());
          *dd->mutable_lsdo_watch_date() = DateOf(today);
        }
        action.set_rung(rdo || lsdo ? cms::v1::ARREARS_RUNG_DISCLOSURE
                                    : cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
        CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_DISCLOSURE_OUTCOME,
                                 absl::StrCat(detail, " (AR10.6)"), disclosure_sr));
        *out = action;
        return absl::OkStatus();
      });
}

absl::Status ArrearsApp::DisclosureSuccessful(Command& c, ArrearsAction& action,
                                              const cms::v1::RecordDisclosureOutcomeRequest& req,
                                              ArrearsAction* out) {
  // AR10.11: "the case owner will be advised by the Deduction Order Team if
  // an RDO or LSDO can be set up ... RDO or LSDO action must be completed
  // within the recommended 48 hours". The owner's Returned Authorisation
  // SR, a child of the Action Missed Payment SR the disclosure came from,
  // carries the authorisation as an activity due 48 hours from now, its
  // alarm firing then: late, it shows as a reminder on the owner's work.
  const int64_t amp = action.negotiation().service_request_id();
  const absl::Time due = c.now() + kDeductionOrderAuthorisationWindow;
  ServiceRequestApp::RuleSr spec;
  spec.type_code = kReturnedAuthorisationSrType;
  spec.casegroup_id = action.casegroup_id();
  spec.case_id = action.case_id();
  spec.parent_id = amp;
  spec.description = absl::StrCat(
      "The Deduction Order Team reports a successful disclosure: authorise the RDO or LSDO by ",
      FormatUtc(due), " (48 hours, AR10.11). DOT: ", req.note());
  spec.rule = "AR10.11";
  CMS_ASSIGN_OR_RETURN(auto raised, srs_.RaiseByRule(c, spec));
  const int64_t ra = raised.service_request().id();
  CMS_RETURN_IF_ERROR(srs_.MoveByRule(c, ra, cms::v1::SR_STATUS_IN_PROGRESS, "",
                                      "raised for the 48-hour authorisation", "AR10.11")
                          .status());
  CMS_ASSIGN_OR_RETURN(int32_t seq,
                       srs_.AddActivityByRule(c, ra, kAuthoriseDeductionOrder,
                                              commands_.clock().Today(due), /*alarm=*/true, due));
  CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
  const ArrearsAction before = action;
  cms::v1::Disclosure* d = action.mutable_disclosure();
  d->set_outcome(cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL);
  *d->mutable_outcome_date() = DateOf(commands_.clock().Today(c.now()));
  d->set_assets_found(req.assets_found());
  d->set_outcome_note(req.note());
  d->set_recorded_by(c.actor().staff_id);
  d->set_returned_authorisation_service_request_id(ra);
  d->set_authorisation_activity_seq(seq);
  *d->mutable_authorisation_due_time() = TimestampOf(due);
  CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_DISCLOSURE_OUTCOME,
                           absl::StrCat("SUCCESSFUL: ", req.note(), "; Returned Authorisation SR ",
                                        ra, " for the case owner, the RDO or LSDO to authorise by ",
                                        FormatUtc(due), " (AR10.11)"),
                           d->service_request_id()));
  *out = action;
  return absl::OkStatus();
}

absl::Status ArrearsApp::AuthoriseDeductionOrder(const Actor& actor,
                                                 const cms::v1::AuthoriseDeductionOrderRequest& req,
                                                 ArrearsAction* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (req.order() == cms::v1::DEDUCTION_ORDER_UNSPECIFIED ||
      !cms::v1::DeductionOrder_IsValid(req.order())) {
    errors.Add("order", "RDO or LSDO");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.11"));
  return commands_.Run(
      actor, "AuthoriseDeductionOrder", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        const cms::v1::Disclosure& d = action.disclosure();
        if (d.outcome() != cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL ||
            d.authorised_order() != cms::v1::DEDUCTION_ORDER_UNSPECIFIED) {
          return RuleViolation(
              "AR10.11",
              d.authorised_order() != cms::v1::DEDUCTION_ORDER_UNSPECIFIED
                  ? absl::StrCat("the ", ShortName(d.authorised_order()),
                                 " is authorised already: DOT is setting it up")
                  : "there is no successful disclosure to authorise a deduction order for: DOT "
                    "reports it first (RecordDisclosureOutcome SUCCESSFUL)");
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        if (req.order() == cms::v1::DEDUCTION_ORDER_LSDO) {
          CMS_ASSIGN_OR_RETURN(cms::v1::Arrears arrears,
                               payments_.CaseArrearsIn(c.tx(), action.case_id(), today));
          if (auto refusal = domain::DeMinimisRefusal(cms::v1::ENFORCEMENT_ACTION_LSDO,
                                                      arrears.balance_pence(), rules_.de_minimis)) {
            return RuleViolation("AR10.8", *refusal);
          }
        }
        const int64_t ra = d.returned_authorisation_service_request_id();
        CMS_RETURN_IF_ERROR(srs_.CompleteActivityByRule(c, ra, d.authorisation_activity_seq(),
                                                        cms::v1::ACTIVITY_STATUS_DONE));
        const absl::Time due = TimeOf(d.authorisation_due_time());
        const bool late = c.now() > due;
        const std::string detail =
            absl::StrCat(ShortName(req.order()), " authorised by ", c.actor().staff_id,
                         late ? absl::StrCat(", late: the 48 hours ended ", FormatUtc(due))
                              : absl::StrCat(" within the 48 hours (due by ", FormatUtc(due), ")"),
                         ": ", req.note(), " (AR10.11)");
        // DOT works the Disclosure SR: the authorisation is noted on it.
        CMS_RETURN_IF_ERROR(AddSrNote(c, d.service_request_id(), detail));
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::Disclosure* dd = action.mutable_disclosure();
        dd->set_authorised_order(req.order());
        *dd->mutable_authorised_time() = TimestampOf(c.now());
        dd->set_authorised_by(c.actor().staff_id);
        dd->set_authorised_late(late);
        CMS_RETURN_IF_ERROR(Save(
            c, before, action, cms::v1::ARREARS_EVENT_KIND_DEDUCTION_ORDER_AUTHORISED, detail, ra));
        *out = action;
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- RDO compliance

absl::Status ArrearsApp::RecordRdoPayment(const Actor& actor,
                                          const cms::v1::RecordRdoPaymentRequest& req,
                                          ArrearsAction* out) {
  FieldErrors errors;
  CheckDate(errors, "due_date", req.due_date());
  if (auto problem = domain::AmountProblem(req.received_pence(), domain::AmountSign::kZeroOrMore)) {
    errors.Add("received_pence", *problem);
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.6"));
  return commands_.Run(
      actor, "RecordRdoPayment", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ArrearsAction action, LoadForDecision(c, req.case_id(), req.etag()));
        const cms::v1::Disclosure& d = action.disclosure();
        if (d.outcome() != cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP || d.rdo_compliant()) {
          return RuleViolation("AR10.6", d.rdo_compliant()
                                             ? "the RDO is compliant already: the case is back "
                                               "with MAINTENANCE"
                                             : "the case has no RDO set up by the Deduction Order "
                                               "Team");
        }
        // The payment must be one the RDO schedules: the first, then every
        // period after it.
        const domain::RdoSchedule schedule = RdoScheduleOf(d);
        const absl::CivilDay due = CivilDayOf(req.due_date());
        if (domain::RdoPaymentIndex(schedule, due) < 0) {
          return InvalidField("due_date",
                              absl::StrCat("not a scheduled payment date of the RDO (",
                                           ShortName(d.rdo_frequency()), " from ",
                                           absl::FormatCivilTime(schedule.first), ")"),
                              "AR10.6");
        }
        for (const cms::v1::RdoPayment& p : d.rdo_payments()) {
          if (CivilDayOf(p.due_date()) == due) {
            return RuleViolation("AR10.6",
                                 absl::StrCat("the RDO payment due ", absl::FormatCivilTime(due),
                                              " is recorded already"));
          }
        }
        if (!d.has_rdo_next_due_date()) {
          return RuleViolation("AR10.6",
                               "the RDO's compliance is decided: no payment is left to judge");
        }
        if (due != CivilDayOf(d.rdo_next_due_date())) {
          return InvalidField("due_date",
                              absl::StrCat("the next RDO payment to judge is the one due ",
                                           absl::FormatCivilTime(CivilDayOf(d.rdo_next_due_date())),
                                           ": payments are judged in order"),
                              "AR10.6");
        }
        if (due > commands_.clock().Today(c.now())) {
          return InvalidField("due_date", "today or earlier: a payment DOT has seen", "AR10.6");
        }
        CMS_RETURN_IF_ERROR(JudgeRdoPayment(c, action, due, req.received_pence()));
        CMS_ASSIGN_OR_RETURN(*out, store::GetArrearsAction(c.tx(), action.id()));
        return absl::OkStatus();
      });
}

ArrearsApp::RdoJudgement ArrearsApp::RecordRdoJudgement(Command& c, ArrearsAction& action,
                                                        absl::CivilDay due,
                                                        domain::Pence received) {
  const absl::CivilDay today = commands_.clock().Today(c.now());
  const cms::v1::Disclosure& d = action.disclosure();
  cms::v1::RdoPayment* p = action.mutable_disclosure()->add_rdo_payments();
  *p->mutable_due_date() = DateOf(due);
  p->set_expected_pence(d.rdo_payment_pence());
  p->set_received_pence(received);
  p->set_shortfall(domain::IsRdoShortfall(d.rdo_payment_pence(), received));
  p->set_recorded_by(c.actor().staff_id);
  *p->mutable_recorded_date() = DateOf(today);
  const bool shortfall = p->shortfall();
  // The next payment to judge; cleared below when the verdict decides.
  const domain::RdoSchedule schedule = RdoScheduleOf(d);
  *action.mutable_disclosure()->mutable_rdo_next_due_date() =
      DateOf(domain::RdoPaymentDue(schedule, domain::RdoPaymentIndex(schedule, due) + 1));
  // The shortfall's negotiation is the one started after the RDO was set
  // up (the final chance before the LO).
  const cms::v1::FinalNegotiation& n = action.negotiation();
  RdoJudgement j;
  j.shortfall_negotiation =
      n.service_request_id() != 0 && n.purpose() == cms::v1::ARREARS_RUNG_LIABILITY_ORDER &&
      n.has_start_date() && CivilDayOf(n.start_date()) >= CivilDayOf(d.outcome_date());
  std::vector<domain::RdoReceipt> receipts;
  for (const cms::v1::RdoPayment& r : action.disclosure().rdo_payments()) {
    receipts.push_back({CivilDayOf(r.due_date()), r.expected_pence(), r.received_pence(),
                        /*decided=*/true});
  }
  j.verdict = domain::AssessRdoCompliance(
      receipts, j.shortfall_negotiation && n.outcome() == cms::v1::NEGOTIATION_OUTCOME_FAILED);
  if (j.verdict.decision == domain::RdoDecision::kLiabilityOrder ||
      j.verdict.decision == domain::RdoDecision::kCompliant) {
    action.mutable_disclosure()->clear_rdo_next_due_date();
  }
  j.detail = absl::StrCat(
      "RDO payment due ", absl::FormatCivilTime(due), ": ", domain::FormatPounds(received), " of ",
      domain::FormatPounds(d.rdo_payment_pence()), shortfall ? " (below 90%)" : "",
      c.actor().staff_id == Actor::System().staff_id ? " received by method RDO" : "", "; ",
      j.verdict.reason);
  return j;
}

bool ArrearsApp::NeedsFollowUp(const RdoJudgement& j, const ArrearsAction& action) {
  switch (j.verdict.decision) {
    case domain::RdoDecision::kNegotiate:
      // The negotiation hangs from the open review; with none open (its
      // worker closed it) the shortfall is in the history for the next.
      return !j.shortfall_negotiation && action.state() != cms::v1::ARREARS_STATE_CLOSED;
    case domain::RdoDecision::kLiabilityOrder:
    case domain::RdoDecision::kCompliant:
      return true;
    default:
      return false;
  }
}

absl::Status ArrearsApp::JudgeRdoPayment(Command& c, ArrearsAction& action, absl::CivilDay due,
                                         domain::Pence received) {
  const ArrearsAction before = action;
  const RdoJudgement j = RecordRdoJudgement(c, action, due, received);
  CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_RDO_PAYMENT_RECORDED,
                           j.detail, action.review_service_request_id()));
  if (NeedsFollowUp(j, action)) {
    switch (j.verdict.decision) {
      case domain::RdoDecision::kNegotiate:
        CMS_RETURN_IF_ERROR(
            StartNegotiationIn(c, action, cms::v1::ARREARS_RUNG_LIABILITY_ORDER,
                               "the RDO payment fell below 90% for the first time: "
                               "negotiate the shortfall; if it fails, the liability order "
                               "(AR10.6)"));
        break;
      case domain::RdoDecision::kLiabilityOrder: {
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction was = action;
        action.set_rung(cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
        CMS_RETURN_IF_ERROR(Save(c, was, action, cms::v1::ARREARS_EVENT_KIND_RUNG_CHANGED,
                                 absl::StrCat("on to the liability order: ", j.verdict.reason),
                                 action.review_service_request_id()));
        break;
      }
      case domain::RdoDecision::kCompliant:
        CMS_RETURN_IF_ERROR(RdoCompliant(c, action, j.verdict.reason));
        break;
      default:
        break;
    }
  }
  CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
  return absl::OkStatus();
}

absl::Status ArrearsApp::RdoCompliant(Command& c, ArrearsAction& action, const std::string& why) {
  CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
  // An open shortfall negotiation is no longer needed.
  const int64_t amp = action.negotiation().service_request_id();
  if (amp != 0) {
    CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr, store::GetServiceRequest(c.tx(), amp));
    if (sr.status() != cms::v1::SR_STATUS_CLOSED && sr.status() != cms::v1::SR_STATUS_CANCELLED) {
      CMS_RETURN_IF_ERROR(
          srs_.CloseByRule(c, amp, "New Schedule Agreed", "Complete", why, "AR10.6").status());
    }
  }
  // "If the third full RDO payment or full LSDO payment is received return
  // the compliant case to Maintenance."
  CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
  const ArrearsAction before = action;
  const bool was_open = action.state() != cms::v1::ARREARS_STATE_CLOSED;
  cms::v1::Disclosure* d = action.mutable_disclosure();
  const bool lsdo = d->outcome() == cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP;
  if (lsdo) {
    d->set_lsdo_paid_in_full(true);
    *d->mutable_lsdo_paid_date() = DateOf(commands_.clock().Today(c.now()));
    d->clear_lsdo_watch_date();
  } else {
    d->set_rdo_compliant(true);
  }
  action.set_state(cms::v1::ARREARS_STATE_CLOSED);
  if (was_open) {
    action.set_closed_resolution("Disclosure Initiated");
    action.set_closed_reason(why);
  }
  CMS_RETURN_IF_ERROR(
      Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_REVIEW_CLOSED,
           absl::StrCat(lsdo ? "the LSDO is paid in full: " : "the RDO is compliant: ", why),
           action.review_service_request_id()));
  if (was_open) {
    CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, action.review_service_request_id(),
                                         "Disclosure Initiated", "Complete", why, "AR10.6")
                            .status());
  }
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), action.case_id(), true));
  if (k.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_ARREARS) {
    const cms::v1::Case case_before = k;
    k.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_MAINTENANCE);
    CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), k));
    CMS_ASSIGN_OR_RETURN(k, store::GetCase(c.tx(), k.id()));
    c.Audit("case", absl::StrCat(k.id()), &case_before, k);
    CMS_RETURN_IF_ERROR(Reroute(c, action.casegroup_id(), why).status());
  }
  return absl::OkStatus();
}

}  // namespace cms::app
