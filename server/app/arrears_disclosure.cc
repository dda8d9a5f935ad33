// Disclosure for a deduction order (AR10.6): the case owner asks the
// Deduction Order Team after a failed final negotiation; DOT reports what it
// found and set up on the Disclosure SR it works.
#include "absl/strings/str_cat.h"
#include "server/app/access.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears_ladder.h"
#include "server/domain/compliance_decisions.h"
#include "server/domain/money.h"
#include "server/domain/rdo_compliance.h"
#include "server/store/arrears_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;

constexpr char kDisclosureSrType[] = "DISCLOSURE";
constexpr char kRdoReview[] = "PP SCIN - RDO Payment Review (AR10.6)";

// The RDO's third scheduled payment: two periods after the first.
absl::CivilDay ThirdPayment(absl::CivilDay first, cms::v1::Frequency f) {
  switch (f) {
    case cms::v1::FREQUENCY_WEEKLY:
      return first + 14;
    case cms::v1::FREQUENCY_FORTNIGHTLY:
      return first + 28;
    case cms::v1::FREQUENCY_FOUR_WEEKLY:
      return first + 56;
    default:
      return domain::AddMonths(first, 2);
  }
}

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
        CMS_RETURN_IF_ERROR(OpenReview(c, action, "AR10.6").status());
        const cms::v1::FinalNegotiation& n = action.negotiation();
        if (n.purpose() != cms::v1::ARREARS_RUNG_DISCLOSURE ||
            n.outcome() != cms::v1::NEGOTIATION_OUTCOME_FAILED) {
          return RuleViolation("AR10.6",
                               "disclosure is requested after the PP's final chance to negotiate "
                               "failed (StartFinalNegotiation with purpose DISCLOSURE, then "
                               "RecordNegotiationOutcome FAILED)");
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
    errors.Add("outcome", "RDO_SET_UP, LSDO_SET_UP, NOT_APPROVED or UNSUCCESSFUL");
  }
  if (req.note().empty() || req.note().size() > 2000) errors.Add("note", "1..2000 characters");
  const bool rdo = outcome == cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP;
  const bool lsdo = outcome == cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP;
  if (rdo) {
    if (req.rdo_payment_pence() <= 0) errors.Add("rdo_payment_pence", "the RDO's payment: > 0");
    CheckDate(errors, "rdo_first_payment_date", req.rdo_first_payment_date());
    if (req.rdo_frequency() == cms::v1::FREQUENCY_UNSPECIFIED ||
        !cms::v1::Frequency_IsValid(req.rdo_frequency())) {
      errors.Add("rdo_frequency", "WEEKLY, FORTNIGHTLY, FOUR_WEEKLY or MONTHLY");
    }
  }
  if (lsdo && req.lsdo_amount_pence() <= 0) errors.Add("lsdo_amount_pence", "the lump sum: > 0");
  CMS_RETURN_IF_ERROR(errors.ToStatus("AR10.6"));
  return commands_.Run(
      actor, "RecordDisclosureOutcome", req, req.request_id(), out,
      [&](Command& c) -> absl::Status {
        if (req.case_id() <= 0) return InvalidField("case_id", "required", "AR10.6");
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(auto found, store::FindArrearsActionByCase(c.tx(), k.id(), true));
        if (!found || found->disclosure().service_request_id() == 0 ||
            found->disclosure().outcome() != cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED) {
          return RuleViolation(
              "AR10.6",
              absl::StrCat("case ", k.id(), " has no disclosure with the Deduction Order Team"));
        }
        ArrearsAction action = *std::move(found);
        CMS_RETURN_IF_ERROR(CheckEtag(req.etag(), action.etag(), "etag", "arrears action",
                                      absl::StrCat(action.id())));
        const int64_t disclosure_sr = action.disclosure().service_request_id();
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                             store::GetServiceRequest(c.tx(), disclosure_sr));
        // The team working the Disclosure SR reports (SR5.7).
        CMS_RETURN_IF_ERROR(CheckCanWorkSr(c.tx(), sr, c.actor()));
        const absl::CivilDay today = commands_.clock().Today(c.now());
        std::string detail = absl::StrCat(ShortName(outcome), ": ", req.note());
        std::optional<absl::CivilDay> review_day;
        if (rdo) {
          CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, store::GetCasegroup(c.tx(), k.casegroup_id()));
          CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), g.paying_parent_id()));
          const domain::Jurisdiction where =
              domain::JurisdictionOf(g.country(), pp.residential_address().postcode());
          const absl::CivilDay third =
              ThirdPayment(CivilDayOf(req.rdo_first_payment_date()), req.rdo_frequency());
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
                          absl::FormatCivilTime(CivilDayOf(req.rdo_first_payment_date())),
                          ": review on ", absl::FormatCivilTime(*review_day),
                          " (the third payment, ", absl::FormatCivilTime(third),
                          ", + 5 working "
                          "days, ",
                          domain::JurisdictionName(where), ")");
        }
        CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, disclosure_sr, ResolutionOf(outcome), "Complete",
                                             req.note(), "AR10.6")
                                .status());
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
        CMS_ASSIGN_OR_RETURN(action, store::GetArrearsAction(c.tx(), action.id(), true));
        const ArrearsAction before = action;
        cms::v1::Disclosure* d = action.mutable_disclosure();
        d->set_outcome(outcome);
        *d->mutable_outcome_date() = DateOf(today);
        d->set_assets_found(req.assets_found());
        d->set_outcome_note(req.note());
        d->set_recorded_by(c.actor().staff_id);
        if (rdo) {
          d->set_rdo_payment_pence(req.rdo_payment_pence());
          *d->mutable_rdo_first_payment_date() = req.rdo_first_payment_date();
          d->set_rdo_frequency(req.rdo_frequency());
          *d->mutable_rdo_review_date() = DateOf(*review_day);
          d->set_rdo_review_activity_seq(review_seq);
        }
        if (lsdo) d->set_lsdo_amount_pence(req.lsdo_amount_pence());
        action.set_rung(rdo || lsdo ? cms::v1::ARREARS_RUNG_DISCLOSURE
                                    : cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
        CMS_RETURN_IF_ERROR(Save(c, before, action, cms::v1::ARREARS_EVENT_KIND_DISCLOSURE_OUTCOME,
                                 absl::StrCat(detail, " (AR10.6)"), disclosure_sr));
        *out = action;
        return absl::OkStatus();
      });
}

}  // namespace cms::app
