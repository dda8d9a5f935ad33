#include "server/app/compliance.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/compliance_internal.h"
#include "server/app/dates.h"
#include "server/app/decisions.h"
#include "server/app/party_validation.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/etag.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/compliance_eligibility.h"
#include "server/domain/compliance_outcome.h"
#include "server/domain/compliance_twelve_months.h"
#include "server/domain/sr_moves.h"
#include "server/store/casegroup_repo.h"
#include "server/store/compliance_repo.h"
#include "server/store/employment_repo.h"
#include "server/store/interaction_repo.h"
#include "server/store/party_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {

namespace {

using compliance_internal::Deo;
using compliance_internal::kMopfSrType;
using compliance_internal::kServiceTypeSrType;
using compliance_internal::Method;

using cms::v1::ComplianceOpportunity;
using cms::v1::ComplianceState;
using cms::v1::OfferDecision;
using google::protobuf::util::TimeUtil;

constexpr char kManualHandlingSrType[] = "MANUAL_HANDLING";
constexpr char kProvisionalCalculationLetter[] = "PROVISIONAL_CALCULATION";
// S5.4: the PP has 14 days from the provisional calculation letter.
constexpr int kResponseDays = 14;

bool BeforeOffer(ComplianceState s) {
  return s == cms::v1::COMPLIANCE_STATE_ASSESSING || s == cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE;
}

ComplianceState StateOf(cms::v1::PpEligibility e) {
  switch (e) {
    case cms::v1::PP_ELIGIBILITY_YES:
      return cms::v1::COMPLIANCE_STATE_OFFERED;
    case cms::v1::PP_ELIGIBILITY_NO:
    case cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY:
    case cms::v1::PP_ELIGIBILITY_ON_BENEFIT:
      return cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE;
    default:
      return cms::v1::COMPLIANCE_STATE_ASSESSING;
  }
}

domain::LegacyFacts LegacyFactsOf(const cms::v1::LegacyLink& l) {
  domain::LegacyFacts f;
  f.method_of_collection = l.method_of_collection();
  f.deo_kind = l.deo_kind();
  f.enforcement_actions.assign(l.active_enforcement_actions().begin(),
                               l.active_enforcement_actions().end());
  if (IsSet(l.t_date())) f.t_date = CivilDayOf(l.t_date());
  f.order_for_sale = l.order_for_sale();
  f.committal = l.committal();
  f.sisted = l.sisted();
  f.driving_disqualification = l.driving_disqualification();
  return f;
}

// The case's notes carry the RP's "dissatisfied" note (S5.1), matched
// case-insensitively anywhere in a note.
absl::StatusOr<bool> HasRpDissatisfiedNote(store::Tx& tx, int64_t case_id) {
  PageRequest page;
  page.limit = kMaxPageSize;
  for (;;) {
    CMS_ASSIGN_OR_RETURN(auto notes,
                         store::ListNotes(tx, cms::v1::NOTE_SUBJECT_CASE, case_id, page));
    for (const cms::v1::Note& n : notes) {
      if (absl::StrContains(absl::AsciiStrToLower(n.text()),
                            absl::AsciiStrToLower(domain::kRpDissatisfiedNote)))
        return true;
    }
    if (static_cast<int>(notes.size()) < page.limit) return false;
    page.after_id = notes.back().id();
  }
}

std::string Failing(const domain::EligibilityAssessment& a) {
  std::vector<std::string> out;
  for (const cms::v1::EligibilityCheck& c : a.checks) {
    if (c.result() != cms::v1::CRITERION_RESULT_MET) out.push_back(c.explanation());
  }
  return out.empty() ? "every criterion met" : absl::StrJoin(out, "; ");
}

std::string ResolutionOf(OfferDecision d) {
  switch (d) {
    case cms::v1::OFFER_DECISION_ACCEPTED:
      return "Compliance Accepted";
    case cms::v1::OFFER_DECISION_NO_RESPONSE:
      return "No Response Received";
    default:
      return "Compliance Rejected";
  }
}

// AG11.2: the events that record a caseworker's Segment 5 decision: the
// offer decided (S5.5, S5.6), an outcome recorded (S5.8–S5.10), an
// extension asked for (S5.11), an early end (S5.12), a missed payment's
// reason (S5.13). The team leader's approvals are approval decisions.
bool IsCaseworkerDecision(cms::v1::ComplianceEventKind kind) {
  switch (kind) {
    case cms::v1::COMPLIANCE_EVENT_KIND_OFFER_DECIDED:
    case cms::v1::COMPLIANCE_EVENT_KIND_OUTCOME_RECORDED:
    case cms::v1::COMPLIANCE_EVENT_KIND_EXTENSION_REQUESTED:
    case cms::v1::COMPLIANCE_EVENT_KIND_ENDED_EARLY:
    case cms::v1::COMPLIANCE_EVENT_KIND_MISSED_PAYMENT_REASON_RECORDED:
      return true;
    default:
      return false;
  }
}

}  // namespace

// ---------------------------------------------------------------- reads

absl::Status ComplianceApp::Get(const Actor& actor,
                                const cms::v1::GetComplianceOpportunityRequest& req,
                                ComplianceOpportunity* out) {
  if (req.key_case() == cms::v1::GetComplianceOpportunityRequest::KEY_NOT_SET) {
    return InvalidField("id", "an id or a case_id is required", "S5.1");
  }
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    if (req.has_id()) {
      CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(tx, req.id()));
    } else {
      CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
      CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(tx, k.id()));
      if (!found) {
        return absl::NotFoundError(
            absl::StrCat("case ", k.id(),
                         " has no compliance opportunity: only a case with a legacy CSA link "
                         "is assessed for Segment 5 (S5.1)"));
      }
      *out = *std::move(found);
    }
    return CasegroupForRead(tx, out->casegroup_id(), actor).status();
  });
}

absl::Status ComplianceApp::List(const Actor& actor,
                                 const cms::v1::ListComplianceOpportunitiesRequest& req,
                                 cms::v1::ListComplianceOpportunitiesResponse* out) {
  FieldErrors errors;
  if (!cms::v1::ComplianceState_IsValid(req.state())) errors.Add("state", "unknown value");
  if (IsSet(req.end_date_from()) && !IsValidDate(req.end_date_from())) {
    errors.Add("end_date_from", "not a calendar date");
  }
  if (IsSet(req.end_date_to()) && !IsValidDate(req.end_date_to())) {
    errors.Add("end_date_to", "not a calendar date");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(""));
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  store::ComplianceFilter filter;
  filter.state = req.state();
  filter.owning_segment_id = req.owning_segment_id();
  filter.end_from = req.end_date_from();
  filter.end_to = req.end_date_to();
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(auto rows, store::ListComplianceOpportunities(tx, filter, page));
    for (ComplianceOpportunity& o : rows) {
      // X13.1: a row the caller may not see is left out of the page (the
      // page may come back short; the token still moves past it).
      CMS_ASSIGN_OR_RETURN(domain::Access access, CasegroupAccessOf(tx, o.casegroup_id(), actor));
      if (access != domain::Access::kNone) *out->add_opportunities() = o;
    }
    if (static_cast<int>(rows.size()) == page.limit) {
      out->set_next_page_token(page.NextToken(rows.back().id()));
    }
    return absl::OkStatus();
  });
}

absl::Status ComplianceApp::ListEvents(const Actor& actor,
                                       const cms::v1::ListComplianceEventsRequest& req,
                                       cms::v1::ListComplianceEventsResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                         store::GetComplianceOpportunity(tx, req.opportunity_id()));
    CMS_RETURN_IF_ERROR(CasegroupForRead(tx, opp.casegroup_id(), actor).status());
    CMS_ASSIGN_OR_RETURN(auto events, store::ListComplianceEvents(tx, opp.id(), page));
    for (auto& e : events) *out->add_events() = std::move(e);
    if (out->events_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->events().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status ComplianceApp::GetTwelveMonthStatus(const Actor& actor,
                                                 const cms::v1::GetTwelveMonthStatusRequest& req,
                                                 cms::v1::TwelveMonthStatus* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(tx, k.id()));
    // Offer step 14: declined, no response, or no longer appropriate.
    const bool applies = found && found->state() == cms::v1::COMPLIANCE_STATE_DECLINED &&
                         (found->decision() == cms::v1::OFFER_DECISION_DECLINED ||
                          found->decision() == cms::v1::OFFER_DECISION_NO_RESPONSE ||
                          found->decision() == cms::v1::OFFER_DECISION_NOT_APPROPRIATE);
    if (!applies) {
      out->set_case_id(k.id());
      out->set_explanation(
          "the twelve-month rule is for a PP who declined the Segment 5 compliance opportunity, "
          "did not respond, or for whom it was no longer appropriate (S5.15); this case's PP "
          "was none of these");
      return absl::OkStatus();
    }
    const absl::CivilDay today = commands_.clock().Today(now);
    CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::ScheduleItem> items,
                         payments_.ClassifiedItems(tx, k.id(), today));
    *out = domain::TwelveMonthRun(items, CivilDayOf(found->decision_date()), today);
    out->set_case_id(k.id());
    out->set_applies(true);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- history

absl::Status ComplianceApp::Save(Command& c, const ComplianceOpportunity& before,
                                 ComplianceOpportunity& opp, cms::v1::ComplianceEventKind kind,
                                 std::string detail, int64_t sr_id) {
  CMS_RETURN_IF_ERROR(store::UpdateComplianceOpportunity(c.tx(), opp, c.now_us()));
  cms::v1::ComplianceEvent e;
  e.set_opportunity_id(opp.id());
  e.set_kind(kind);
  e.set_from_state(before.state());
  e.set_to_state(opp.state());
  e.set_eligibility(opp.eligibility());
  e.set_detail(std::move(detail));
  e.set_service_request_id(sr_id);
  e.set_actor(c.actor().staff_id);
  CMS_RETURN_IF_ERROR(store::InsertComplianceEvent(c.tx(), e, c.now_us()));
  c.Audit("compliance_opportunity", absl::StrCat(opp.id()), &before, opp);
  if (IsCaseworkerDecision(kind)) {
    // AG11.2: a caseworker's Segment 5 decision (the system's are not
    // recorded: RecordDecision).
    Decision d;
    d.type = cms::v1::BUSINESS_DECISION_TYPE_COMPLIANCE;
    d.entity_type = "compliance_opportunity";
    d.entity_id = opp.id();
    d.sr_id = sr_id;
    d.case_id = opp.case_id();
    d.casegroup_id = opp.casegroup_id();
    CMS_RETURN_IF_ERROR(RecordDecision(c, d));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- assessment

absl::Status ComplianceApp::CaseFactsChanged(Command& c, int64_t case_id, absl::string_view what) {
  return Assess(c, case_id, what);
}

absl::Status ComplianceApp::CaseCreated(Command& c, const cms::v1::Case& k) {
  if (!k.has_legacy()) return absl::OkStatus();  // never a legacy CSA case
  return Assess(c, k.id(), "CreateApplication");
}

absl::Status ComplianceApp::Assess(Command& c, int64_t case_id, absl::string_view what) {
  CMS_ASSIGN_OR_RETURN(
      auto found, store::FindComplianceOpportunityByCase(c.tx(), case_id, /*for_update=*/true));
  // Most cases (every new application without one) never had a legacy CSA
  // case: one key read of the link decides before the whole case is loaded
  // (three reads), on every application and case or PP change.
  if (!found) {
    CMS_ASSIGN_OR_RETURN(bool legacy, store::CaseHasLegacyLink(c.tx(), case_id));
    if (!legacy) return absl::OkStatus();  // never a legacy CSA case
  }
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), case_id));
  const absl::CivilDay today = commands_.clock().Today(c.now());

  ComplianceOpportunity opp;
  bool created = false;
  std::vector<std::string> made;  // what this first assessment did besides judging
  if (found) {
    opp = *std::move(found);
  } else {
    created = true;
    opp.set_case_id(k.id());
    opp.set_casegroup_id(k.casegroup_id());
    opp.set_paying_parent_id(k.paying_parent_id());
    opp.set_receiving_parent_id(k.receiving_parent_id());
    opp.set_state(cms::v1::COMPLIANCE_STATE_ASSESSING);
    opp.set_legacy_source(cms::v1::LEGACY_FACTS_SOURCE_APPLICATION);
    // S5.1: the legacy case is looked up once, at application; what the
    // legacy system holds replaces what the application said.
    if (!k.legacy().legacy_case_reference().empty()) {
      std::optional<cms::v1::LegacyLink> record =
          legacy_.Lookup(k.legacy().system(), k.legacy().legacy_case_reference());
      if (record) {
        const cms::v1::Case before = k;
        cms::v1::LegacyLink facts = *record;
        facts.set_system(k.legacy().system());
        facts.set_legacy_case_reference(k.legacy().legacy_case_reference());
        *k.mutable_legacy() = facts;
        CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), k));
        CMS_ASSIGN_OR_RETURN(k, store::GetCase(c.tx(), case_id));
        c.Audit("case", absl::StrCat(k.id()), &before, k);
        opp.set_legacy_source(cms::v1::LEGACY_FACTS_SOURCE_LEGACY_LOOK_UP);
        made.push_back(absl::StrCat("legacy ", ShortName(k.legacy().system()), " case ",
                                    k.legacy().legacy_case_reference(), " looked up"));
      } else {
        made.push_back(absl::StrCat("legacy case ", k.legacy().legacy_case_reference(),
                                    " not held by the legacy system: the application's facts "
                                    "stand"));
      }
    }
    // S5.2: CCD cases, and CSCS cases collecting other than by DEO/DER, are
    // looked up by hand.
    if (domain::NeedsManualLegacyLookup(k.legacy().system(), LegacyFactsOf(k.legacy()))) {
      ServiceRequestApp::RuleSr spec;
      spec.type_code = kManualHandlingSrType;
      spec.casegroup_id = k.casegroup_id();
      spec.case_id = k.id();
      spec.source = cms::v1::SR_SOURCE_LEGACY_LOOK_UPS;
      spec.description = absl::StrCat(
          "Look up the ", ShortName(k.legacy().system()),
          " case's method of collection and enforcement by hand for the Segment 5 compliance "
          "opportunity (S5.2)");
      spec.rule = "S5.2";
      CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
      opp.set_manual_handling_service_request_id(sr.service_request().id());
      opp.set_legacy_lookup_outstanding(true);
      made.push_back(
          absl::StrCat("Manual Handling SR ", sr.service_request().id(), " raised (S5.2)"));
    }
    CMS_ASSIGN_OR_RETURN(opp, store::InsertComplianceOpportunity(c.tx(), opp, c.now_us()));
    c.Audit("compliance_opportunity", absl::StrCat(opp.id()), nullptr, opp);
  }
  const ComplianceOpportunity before = opp;

  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), k.paying_parent_id()));
  domain::EligibilityFacts facts;
  facts.legacy = LegacyFactsOf(k.legacy());
  facts.legacy_lookup_outstanding = opp.legacy_lookup_outstanding();
  facts.application_date = CivilDayOf(k.application_date());
  facts.pp_requested_service_type = k.pp_requested_service_type();
  facts.rp_requested_service_type = k.rp_requested_service_type();
  facts.pp_on_benefit = pp.on_benefit();
  facts.pp_employment = pp.employment_status();
  facts.pp_nil_assessed = pp.nil_assessed();
  facts.pp_states_deo_voluntary = opp.pp_states_deo_voluntary();
  if (opp.pp_states_deo_voluntary()) {
    CMS_ASSIGN_OR_RETURN(facts.rp_dissatisfied_note, HasRpDissatisfiedNote(c.tx(), k.id()));
  }
  const domain::EligibilityAssessment a = domain::AssessEligibility(facts);

  // S5.6: a change of circumstance before the trial starts withdraws an
  // acceptance (benefit, nil assessment, out of work).
  if (opp.state() == cms::v1::COMPLIANCE_STATE_ACCEPTED &&
      (!IsSet(opp.start_date()) || today < CivilDayOf(opp.start_date())) &&
      (pp.on_benefit() || pp.nil_assessed() ||
       pp.employment_status() == cms::v1::EMPLOYMENT_STATUS_UNEMPLOYED)) {
    const std::string why = pp.on_benefit()     ? "the PP is now on benefit"
                            : pp.nil_assessed() ? "the PP is now nil assessed"
                                                : "the PP is now out of work";
    return Withdraw(c, opp, absl::StrCat(why, " (", what, ") before the trial's start"));
  }

  // S5.12, S5.16: a benefit or prison notification during the trial.
  if (opp.state() == cms::v1::COMPLIANCE_STATE_ACCEPTED && IsSet(opp.start_date()) &&
      today >= CivilDayOf(opp.start_date()) && today < CivilDayOf(opp.end_date())) {
    return TrialFactsChanged(c, opp, pp, what);
  }

  const bool judged_differently =
      created || opp.eligibility() != a.eligibility ||
      opp.checks_size() != static_cast<int>(a.checks.size()) ||
      !std::equal(a.checks.begin(), a.checks.end(), opp.checks().begin(),
                  [](const cms::v1::EligibilityCheck& x, const cms::v1::EligibilityCheck& y) {
                    return google::protobuf::util::MessageDifferencer::Equals(x, y);
                  });
  // Only before the offer does the assessment move the opportunity; after
  // it the judgement is kept current for the caseworker, who decides (a PP
  // found on benefit during the offer is "not appropriate", step 4).
  if (!BeforeOffer(opp.state()) && opp.state() != cms::v1::COMPLIANCE_STATE_OFFERED) {
    return absl::OkStatus();
  }
  if (!judged_differently) return absl::OkStatus();
  opp.set_eligibility(opp.state() == cms::v1::COMPLIANCE_STATE_OFFERED &&
                              a.eligibility == cms::v1::PP_ELIGIBILITY_YES
                          ? cms::v1::PP_ELIGIBILITY_YES
                          : a.eligibility);
  opp.clear_checks();
  for (const auto& check : a.checks) *opp.add_checks() = check;
  *opp.mutable_assess_time() = TimeUtil::MicrosecondsToTimestamp(c.now_us());
  int64_t offer_sr = 0;
  if (BeforeOffer(opp.state())) {
    opp.set_state(StateOf(a.eligibility));
    // S5.3: the eligible PP's offer SR, once.
    if (opp.state() == cms::v1::COMPLIANCE_STATE_OFFERED && opp.offer_service_request_id() == 0) {
      ServiceRequestApp::RuleSr spec;
      spec.type_code = domain::kOfferComplianceOpportunitySrType;
      spec.casegroup_id = k.casegroup_id();
      spec.case_id = k.id();
      spec.source = cms::v1::SR_SOURCE_LEGACY_LOOK_UPS;
      spec.description =
          "The paying parent is eligible for the Segment 5 compliance opportunity and the "
          "receiving parent asks for collect and pay: make the offer (S5.3)";
      spec.rule = "S5.3";
      CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
      offer_sr = sr.service_request().id();
      opp.set_offer_service_request_id(offer_sr);
      made.push_back(absl::StrCat("Offer Compliance Opportunity SR ", offer_sr, " raised (S5.3)"));
    }
  }
  std::string detail =
      absl::StrCat(what, ": PP eligibility ", ShortName(opp.eligibility()), " (", Failing(a), ")");
  if (!made.empty()) absl::StrAppend(&detail, "; ", absl::StrJoin(made, "; "));
  CMS_RETURN_IF_ERROR(Save(c, before, opp,
                           offer_sr != 0 ? cms::v1::COMPLIANCE_EVENT_KIND_OFFER_RAISED
                                         : cms::v1::COMPLIANCE_EVENT_KIND_ASSESSED,
                           std::move(detail),
                           offer_sr != 0 ? offer_sr : opp.manual_handling_service_request_id()));
  if (offer_sr != 0) {
    // The provisional calculation letter may have gone before the PP was
    // found eligible (an RP's application): the 14 days run from it.
    CMS_ASSIGN_OR_RETURN(auto letter,
                         store::FindLatestLetter(c.tx(), k.id(), kProvisionalCalculationLetter));
    if (letter) {
      CMS_RETURN_IF_ERROR(StartResponseWindow(
          c, opp,
          commands_.clock().Today(
              absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(letter->create_time())))));
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------- the offer window

absl::Status ComplianceApp::StartResponseWindow(Command& c, ComplianceOpportunity& opp,
                                                absl::CivilDay letter_day) {
  const ComplianceOpportunity before = opp;
  *opp.mutable_offer_letter_date() = DateOf(letter_day);
  *opp.mutable_response_due_date() = DateOf(letter_day + kResponseDays);
  const absl::CivilDay day15 = letter_day + kResponseDays + 1;
  const std::string letter_date = absl::FormatCivilTime(letter_day);
  CMS_RETURN_IF_ERROR(
      store::ScheduleTimer(
          c.tx(),
          {kComplianceOfferResponseTimer, opp.id(), commands_.clock().StartOf(day15), letter_date,
           absl::StrCat(kComplianceOfferResponseTimer, "/", opp.id(), "/", letter_date)},
          c.now_us())
          .status());
  return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OFFER_LETTER_ISSUED,
              absl::StrCat("provisional calculation letter issued ", letter_date,
                           ": the PP has until ", absl::FormatCivilTime(letter_day + kResponseDays),
                           " to decide; no decision by then is no response (S5.4)"),
              opp.offer_service_request_id());
}

absl::Status ComplianceApp::LetterIssued(Command& c, const cms::v1::Letter& letter) {
  if (letter.template_code() != kProvisionalCalculationLetter) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(c.tx(), letter.case_id(),
                                                                          /*for_update=*/true));
  if (!found || found->state() != cms::v1::COMPLIANCE_STATE_OFFERED ||
      IsSet(found->offer_letter_date())) {
    return absl::OkStatus();  // the window runs from the first letter only
  }
  return StartResponseWindow(c, *found, commands_.clock().Today(c.now()));
}

absl::Status ComplianceApp::LetterReturned(Command& c, const cms::v1::Letter& letter) {
  if (letter.template_code() != kProvisionalCalculationLetter) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(auto found, store::FindComplianceOpportunityByCase(c.tx(), letter.case_id(),
                                                                          /*for_update=*/true));
  if (!found || found->state() != cms::v1::COMPLIANCE_STATE_OFFERED ||
      letter.person_id() != found->paying_parent_id()) {
    return absl::OkStatus();
  }
  // S5.4: returned undelivered, the PP having given no new address, is no
  // response: regarded as non-compliant.
  return ApplyDecision(c, *found, cms::v1::OFFER_DECISION_NO_RESPONSE,
                       absl::StrCat("the provisional calculation letter (", letter.id(),
                                    ") was returned undelivered (DLO) and the PP has given no new "
                                    "address (S5.4)"),
                       false);
}

absl::Status ComplianceApp::OfferResponseExpired(Command& c, const store::DueTimer& timer) {
  CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                       store::GetComplianceOpportunity(c.tx(), timer.subject, /*for_update=*/true));
  if (opp.state() != cms::v1::COMPLIANCE_STATE_OFFERED ||
      absl::FormatCivilTime(CivilDayOf(opp.offer_letter_date())) != timer.payload) {
    return absl::OkStatus();
  }
  return ApplyDecision(c, opp, cms::v1::OFFER_DECISION_NO_RESPONSE,
                       absl::StrCat("no decision within ", kResponseDays,
                                    " days of the provisional calculation letter issued ",
                                    timer.payload, ": withdrawn on day 15 (S5.4)"),
                       false);
}

// ---------------------------------------------------------------- caseworker decisions

absl::StatusOr<ComplianceOpportunity> ComplianceApp::LoadForDecision(Command& c, int64_t id,
                                                                     const std::string& etag) {
  if (id <= 0) return InvalidField("opportunity_id", "required", "S5.1");
  CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                       store::GetComplianceOpportunity(c.tx(), id, /*for_update=*/true));
  CMS_RETURN_IF_ERROR(
      CheckEtag(etag, opp.etag(), "etag", "compliance opportunity", absl::StrCat(id)));
  // SR5.7: the segment owning the case's casegroup decides.
  CMS_RETURN_IF_ERROR(CaseForWrite(c.tx(), opp.case_id(), c.actor()).status());
  return opp;
}

absl::Status ComplianceApp::RecordLegacyLookup(const Actor& actor,
                                               const cms::v1::RecordLegacyLookupRequest& req,
                                               ComplianceOpportunity* out) {
  FieldErrors errors;
  cms::v1::LegacyLink given = req.facts();
  if (given.system() == cms::v1::LEGACY_SYSTEM_UNSPECIFIED) {
    given.set_system(cms::v1::LEGACY_SYSTEM_CSCS);  // kept from the case below
  }
  ValidateLegacy(given, "facts", errors);
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.2"));
  return commands_.Run(
      actor, "RecordLegacyLookup", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        if (!BeforeOffer(opp.state())) {
          return RuleViolation(
              "S5.2", absl::StrCat("the legacy facts decide eligibility before the offer; this "
                                   "opportunity is ",
                                   ShortName(opp.state())));
        }
        const ComplianceOpportunity before = opp;
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), opp.case_id(), true));
        const cms::v1::Case case_before = k;
        cms::v1::LegacyLink facts = req.facts();
        facts.set_system(k.legacy().system());
        facts.set_legacy_case_reference(k.legacy().legacy_case_reference());
        *k.mutable_legacy() = facts;
        CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), k));
        CMS_ASSIGN_OR_RETURN(k, store::GetCase(c.tx(), opp.case_id()));
        c.Audit("case", absl::StrCat(k.id()), &case_before, k);
        int64_t sr_id = req.service_request_id();
        if (sr_id != 0) {
          CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr, store::GetServiceRequest(c.tx(), sr_id));
          if (sr.type_code() != kManualHandlingSrType || sr.case_id() != k.id()) {
            return InvalidField("service_request_id",
                                "must be a Manual Handling SR of the opportunity's case", "S5.2");
          }
          if (sr.status() != cms::v1::SR_STATUS_CLOSED) {
            CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, sr_id, "Legacy Details Recorded", "Complete",
                                                 "Legacy method of collection and enforcement "
                                                 "recorded for the compliance opportunity (S5.2)",
                                                 "S5.2")
                                    .status());
          }
        }
        opp.set_legacy_lookup_outstanding(false);
        opp.set_legacy_source(cms::v1::LEGACY_FACTS_SOURCE_MANUAL_HANDLING);
        CMS_RETURN_IF_ERROR(
            Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_LEGACY_FACTS_RECORDED,
                 absl::StrCat("legacy facts recorded by hand: method of collection ",
                              facts.method_of_collection().empty() ? "not recorded"
                                                                   : facts.method_of_collection(),
                              ", DEO ", ShortName(facts.deo_kind())),
                 sr_id));
        CMS_RETURN_IF_ERROR(Assess(c, opp.case_id(), "RecordLegacyLookup"));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

absl::Status ComplianceApp::RecordDeoStatement(const Actor& actor,
                                               const cms::v1::RecordDeoStatementRequest& req,
                                               ComplianceOpportunity* out) {
  return commands_.Run(
      actor, "RecordDeoStatement", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        if (!BeforeOffer(opp.state()) && opp.state() != cms::v1::COMPLIANCE_STATE_OFFERED) {
          return RuleViolation("S5.1",
                               absl::StrCat("the DEO statement counts until the offer is decided; "
                                            "this opportunity is ",
                                            ShortName(opp.state())));
        }
        const ComplianceOpportunity before = opp;
        opp.set_pp_states_deo_voluntary(req.pp_states_deo_voluntary());
        CMS_RETURN_IF_ERROR(
            Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_DEO_STATEMENT_RECORDED,
                 req.pp_states_deo_voluntary() ? "the PP says the legacy DEO was voluntary"
                                               : "the PP does not say the legacy DEO was voluntary",
                 0));
        CMS_RETURN_IF_ERROR(Assess(c, opp.case_id(), "RecordDeoStatement"));
        CMS_ASSIGN_OR_RETURN(*out, store::GetComplianceOpportunity(c.tx(), opp.id()));
        return absl::OkStatus();
      });
}

absl::Status ComplianceApp::RecordOfferContact(const Actor& actor,
                                               const cms::v1::RecordOfferContactRequest& req,
                                               ComplianceOpportunity* out) {
  FieldErrors errors;
  CheckDate(errors, "contact_date", req.contact_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("S5.4"));
  return commands_.Run(
      actor, "RecordOfferContact", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        if (opp.state() != cms::v1::COMPLIANCE_STATE_OFFERED) {
          return RuleViolation("S5.4", absl::StrCat("only an open offer is made; this "
                                                    "opportunity is ",
                                                    ShortName(opp.state())));
        }
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const absl::CivilDay day = CivilDayOf(req.contact_date());
        if (day > today) {
          return InvalidField("contact_date", "today or earlier: a contact already attempted",
                              "S5.4");
        }
        const ComplianceOpportunity before = opp;
        std::string detail;
        if (IsSet(opp.offer_date())) {
          detail = absl::StrCat("contact attempted ", absl::FormatCivilTime(day),
                                "; the Offer Date stays the first attempt, ",
                                absl::FormatCivilTime(CivilDayOf(opp.offer_date())));
        } else {
          *opp.mutable_offer_date() = req.contact_date();
          detail = absl::StrCat("first contact attempted to make the offer: Offer Date ",
                                absl::FormatCivilTime(day));
          // The offer SR's Offer Date field, as the procedure has it filled.
          CMS_RETURN_IF_ERROR(srs_.SetFieldsByRule(c, opp.offer_service_request_id(),
                                                   {{"Offer Date", absl::FormatCivilTime(day)}},
                                                   "S5.6"));
        }
        CMS_RETURN_IF_ERROR(Save(c, before, opp,
                                 cms::v1::COMPLIANCE_EVENT_KIND_OFFER_CONTACT_RECORDED,
                                 std::move(detail), opp.offer_service_request_id()));
        *out = opp;
        return absl::OkStatus();
      });
}

absl::Status ComplianceApp::DecideOffer(const Actor& actor, const cms::v1::DecideOfferRequest& req,
                                        ComplianceOpportunity* out) {
  FieldErrors errors;
  if (req.decision() == cms::v1::OFFER_DECISION_UNSPECIFIED ||
      !cms::v1::OfferDecision_IsValid(req.decision())) {
    errors.Add("decision", "ACCEPTED, DECLINED, NO_RESPONSE or NOT_APPROPRIATE");
  }
  if (req.decision() != cms::v1::OFFER_DECISION_ACCEPTED && req.reason().empty()) {
    errors.Add("reason", "required: the reason for the offer's outcome goes in the SR's notes");
  }
  if (req.reason().size() > 2000) errors.Add("reason", "at most 2000 characters");
  CMS_RETURN_IF_ERROR(
      errors.ToStatus(req.decision() == cms::v1::OFFER_DECISION_ACCEPTED ? "S5.5" : "S5.6"));
  return commands_.Run(
      actor, "DecideOffer", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(ComplianceOpportunity opp,
                             LoadForDecision(c, req.opportunity_id(), req.etag()));
        if (opp.state() != cms::v1::COMPLIANCE_STATE_OFFERED) {
          return RuleViolation(req.decision() == cms::v1::OFFER_DECISION_ACCEPTED ? "S5.5" : "S5.6",
                               absl::StrCat("only an open offer is decided; this opportunity is ",
                                            ShortName(opp.state())));
        }
        // The judgement is kept current while the offer is open: a PP no
        // longer eligible (on benefit, nil assessed, ...) is "not
        // appropriate" (offer step 4), never accepted.
        if (req.decision() == cms::v1::OFFER_DECISION_ACCEPTED &&
            StateOf(opp.eligibility()) == cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE) {
          return RuleViolation(
              "S5.1", absl::StrCat("the paying parent is no longer eligible (",
                                   ShortName(opp.eligibility()),
                                   "): record the offer as NOT_APPROPRIATE, not ACCEPTED"));
        }
        CMS_RETURN_IF_ERROR(
            ApplyDecision(c, opp, req.decision(), req.reason(), req.cannot_set_up_direct_debit()));
        *out = opp;  // as Save wrote it, with its new etag
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- consequences

absl::StatusOr<std::string> ComplianceApp::SetUpMopf(Command& c, const ComplianceOpportunity& opp,
                                                     int64_t parent_sr,
                                                     std::vector<cms::v1::MopfMethod> methods,
                                                     absl::string_view rule) {
  CMS_ASSIGN_OR_RETURN(
      const int64_t sr_id,
      RaiseWorkingSr(c, opp, kMopfSrType, parent_sr, {{"MOPF Action", "Set Up"}},
                     absl::StrCat("Method of payment from for the Segment 5 compliance "
                                  "opportunity (",
                                  rule, ")"),
                     rule));
  const absl::CivilDay today = commands_.clock().Today(c.now());
  CMS_ASSIGN_OR_RETURN(cms::v1::Mopf mopf,
                       mopf_.SetMopfIn(c, opp.casegroup_id(), sr_id, today, std::move(methods)));
  std::vector<std::string> parts;
  for (const cms::v1::MopfMethod& m : mopf.active()) {
    parts.push_back(absl::StrCat(m.share_percent(), "% ", ShortName(m.method()),
                                 m.deo_subtype() != cms::v1::DEO_SUBTYPE_UNSPECIFIED
                                     ? absl::StrCat(" ", ShortName(m.deo_subtype()))
                                     : ""));
  }
  const std::string set = absl::StrJoin(parts, " + ");
  CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, sr_id, "MOPF Set Up", "Complete",
                                       absl::StrCat("MOPF set up: ", set, " (", rule, ")"), rule)
                          .status());
  return absl::StrCat("MOPF ", set, " through SR ", sr_id);
}

absl::StatusOr<int64_t> ComplianceApp::RaiseWorkingSr(Command& c, const ComplianceOpportunity& opp,
                                                      std::string type_code, int64_t parent_sr,
                                                      std::map<std::string, std::string> fields,
                                                      std::string description,
                                                      absl::string_view rule) {
  ServiceRequestApp::RuleSr spec;
  spec.type_code = std::move(type_code);
  spec.casegroup_id = opp.casegroup_id();
  spec.case_id = opp.case_id();
  spec.parent_id = parent_sr;
  spec.fields = std::move(fields);
  spec.description = std::move(description);
  spec.rule = std::string(rule);
  CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
  const int64_t id = sr.service_request().id();
  CMS_RETURN_IF_ERROR(
      srs_.MoveByRule(c, id, cms::v1::SR_STATUS_IN_PROGRESS, "", "", rule).status());
  return id;
}

absl::StatusOr<bool> ComplianceApp::SetUpBusinessAsUsual(Command& c,
                                                         const ComplianceOpportunity& opp,
                                                         bool employed, const std::string& employer,
                                                         int64_t parent_sr, absl::string_view rule,
                                                         std::vector<std::string>& done) {
  if (employed && !employer.empty()) {
    CMS_ASSIGN_OR_RETURN(std::string mopf,
                         SetUpMopf(c, opp, parent_sr,
                                   {Deo(100, cms::v1::DEO_SUBTYPE_SELF_SELECTED, employer)}, rule));
    done.push_back(mopf);
    CMS_RETURN_IF_ERROR(
        employment_.SetDeoDesireIn(c, opp.casegroup_id(), cms::v1::DEO_DESIRE_SELF_SELECTED)
            .status());
    done.push_back("DEO desire flag SELF_SELECTED");
    return true;
  }
  CMS_ASSIGN_OR_RETURN(
      std::string mopf,
      SetUpMopf(c, opp, parent_sr, {Method(cms::v1::PAYMENT_METHOD_DSO, 100, false)}, rule));
  done.push_back(
      absl::StrCat(mopf, " (weekly default standing order: no employer known or self-employed)"));
  return false;
}

absl::Status ComplianceApp::ApplyDecision(Command& c, ComplianceOpportunity& opp,
                                          OfferDecision decision, const std::string& reason,
                                          bool cannot_set_up_direct_debit) {
  const ComplianceOpportunity before = opp;
  const absl::CivilDay today = commands_.clock().Today(c.now());
  const std::string rule = decision == cms::v1::OFFER_DECISION_ACCEPTED ? "S5.5" : "S5.6";
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), opp.paying_parent_id()));
  CMS_ASSIGN_OR_RETURN(const std::string employer,
                       KnownEmployer(c.tx(), FirstEmployer(pp), opp.casegroup_id()));
  const bool employed = pp.employment_status() == cms::v1::EMPLOYMENT_STATUS_EMPLOYED;
  std::vector<std::string> done;

  const int64_t offer_sr = opp.offer_service_request_id();
  if (!reason.empty()) {
    CMS_RETURN_IF_ERROR(AddSrNote(
        c, offer_sr,
        absl::StrCat("Segment 5 compliance opportunity ", ShortName(decision), ": ", reason)));
  }
  opp.set_decision(decision);
  *opp.mutable_decision_date() = DateOf(today);
  opp.set_decision_reason(reason);
  opp.set_decided_by(c.actor().staff_id);
  opp.set_employment_at_decision(pp.employment_status());

  if (decision == cms::v1::OFFER_DECISION_ACCEPTED) {
    // S5.5: the letters, the MOPF split, the desire flag, the waiver.
    for (const char* code : {"CMSL0138", "CMSL0139"}) {
      CMS_ASSIGN_OR_RETURN(cms::v1::Letter letter,
                           letters_.IssueLetterIn(c, code, opp.case_id(), 0, offer_sr));
      done.push_back(absl::StrCat(code, " issued (letter ", letter.id(), ")"));
    }
    std::vector<cms::v1::MopfMethod> methods;
    bool deo = false;
    if (cannot_set_up_direct_debit) {
      methods = {Method(cms::v1::PAYMENT_METHOD_SO, 100, false)};  // by exception
    } else if (employed && !employer.empty()) {
      methods = {Deo(50, cms::v1::DEO_SUBTYPE_MANDATORY, employer),
                 Method(cms::v1::PAYMENT_METHOD_DD, 50, false)};
      deo = true;
    } else {
      // Self-employed (or employed with no employer known yet, whose DEO
      // half cannot be set up): all by direct debit.
      methods = {Method(cms::v1::PAYMENT_METHOD_DD, 100, false)};
      if (employed) done.push_back("no employer known: the DEO half cannot be set up, all by DD");
    }
    CMS_ASSIGN_OR_RETURN(std::string mopf, SetUpMopf(c, opp, offer_sr, std::move(methods), rule));
    done.push_back(mopf);
    if (deo) {
      CMS_RETURN_IF_ERROR(
          employment_.SetDeoDesireIn(c, opp.casegroup_id(), cms::v1::DEO_DESIRE_MANDATORY)
              .status());
      done.push_back("DEO desire flag MANDATORY");
    }
    CMS_ASSIGN_OR_RETURN(
        cms::v1::FeeWaiver waiver,
        payments_.WaiveFeesIn(c, opp.case_id(), today, std::nullopt,
                              "Segment 5 compliance opportunity: collection fees and enforcement "
                              "charges waived for the period (S5.5)",
                              /*covers_charges=*/true));
    opp.set_fee_waiver_id(waiver.id());
    done.push_back(absl::StrCat("collection fees and enforcement charges waived from ",
                                absl::FormatCivilTime(today), " (waiver ", waiver.id(), ")"));
    // S5.5: the trial runs on collect and pay. A case still on direct pay
    // (the RP asked for collect and pay after the application) moves today.
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, store::GetCase(c.tx(), opp.case_id()));
    if (k.service_type() != cms::v1::SERVICE_TYPE_COLLECT_AND_PAY) {
      const std::string day = absl::FormatCivilTime(today);
      CMS_ASSIGN_OR_RETURN(
          const int64_t child,
          RaiseWorkingSr(c, opp, kServiceTypeSrType, offer_sr,
                         {{"New Service Type", "Collect and Pay"}, {"Effective Date", day}},
                         "Segment 5 compliance opportunity accepted: the trial runs on collect "
                         "and pay (S5.5)",
                         rule));
      CMS_RETURN_IF_ERROR(mopf_
                              .ChangeServiceTypeIn(c, opp.case_id(), child,
                                                   cms::v1::SERVICE_TYPE_COLLECT_AND_PAY, today)
                              .status());
      CMS_RETURN_IF_ERROR(srs_.CloseByRule(c, child, "Service Type Changed", "Complete",
                                           "Service type COLLECT_AND_PAY from " + day + " (S5.5)",
                                           rule)
                              .status());
      done.push_back(absl::StrCat("Change to Service Type child SR ", child,
                                  " made and closed: service type COLLECT_AND_PAY from ", day,
                                  " (was ", ShortName(k.service_type()), ")"));
    }
    opp.set_state(cms::v1::COMPLIANCE_STATE_ACCEPTED);
  } else {
    // S5.6: record the offer date, the UTP status, and business as usual.
    if (!IsSet(opp.offer_date())) {
      *opp.mutable_offer_date() = DateOf(today);
      CMS_RETURN_IF_ERROR(srs_.SetFieldsByRule(
          c, offer_sr, {{"Offer Date", absl::FormatCivilTime(today)}}, "S5.6"));
    }
    opp.set_utp_status(cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
    *opp.mutable_utp_effective_date() = DateOf(today);
    if (decision == cms::v1::OFFER_DECISION_NO_RESPONSE) {
      opp.set_eligibility(cms::v1::PP_ELIGIBILITY_NO_RESPONSE);
    } else if (decision == cms::v1::OFFER_DECISION_NOT_APPROPRIATE) {
      opp.set_eligibility(cms::v1::PP_ELIGIBILITY_NO);
    }
    const bool wilful = decision == cms::v1::OFFER_DECISION_DECLINED ||
                        decision == cms::v1::OFFER_DECISION_NO_RESPONSE;
    CMS_ASSIGN_OR_RETURN(const bool deo,
                         SetUpBusinessAsUsual(c, opp, employed, employer, offer_sr, rule, done));
    if (deo) {
      if (wilful) {
        // Declining and not responding are wilful refusal: the DEO charge.
        CMS_ASSIGN_OR_RETURN(
            cms::v1::LedgerEntry charge,
            payments_.AddChargeIn(c, opp.case_id(), cms::v1::CHARGE_KIND_DEO_CHARGE, today));
        done.push_back(
            absl::StrCat("DEO charge applied (wilful refusal; ledger entry ", charge.id(), ")"));
      }
    }
    done.push_back("Unlikely to Pay Status NRP Unlikely to Pay");
    opp.set_state(cms::v1::COMPLIANCE_STATE_DECLINED);
  }
  CMS_RETURN_IF_ERROR(
      srs_.CloseByRule(c, offer_sr, ResolutionOf(decision), "Complete",
                       absl::StrCat("Offer closed: ", ResolutionOf(decision), " (", rule, ")"),
                       rule)
          .status());
  return Save(
      c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_OFFER_DECIDED,
      absl::StrCat(ShortName(decision), reason.empty() ? "" : absl::StrCat(": ", reason), "; ",
                   absl::StrJoin(done, "; "), "; offer SR closed ", ResolutionOf(decision)),
      offer_sr);
}

absl::Status ComplianceApp::Withdraw(Command& c, ComplianceOpportunity& opp,
                                     const std::string& why) {
  const ComplianceOpportunity before = opp;
  const absl::CivilDay today = commands_.clock().Today(c.now());
  CMS_ASSIGN_OR_RETURN(cms::v1::Person pp, store::GetPerson(c.tx(), opp.paying_parent_id()));
  CMS_ASSIGN_OR_RETURN(const std::string employer,
                       KnownEmployer(c.tx(), FirstEmployer(pp), opp.casegroup_id()));
  std::vector<std::string> done;
  // As if declined for not being appropriate (S5.6): business as usual.
  CMS_RETURN_IF_ERROR(
      SetUpBusinessAsUsual(c, opp, pp.employment_status() == cms::v1::EMPLOYMENT_STATUS_EMPLOYED,
                           employer, 0, "S5.6", done)
          .status());
  CMS_ASSIGN_OR_RETURN(auto waiver, OpenFeeWaiver(c.tx(), opp.case_id()));
  if (waiver) {
    CMS_RETURN_IF_ERROR(payments_.ReinstateFeesIn(c, opp.case_id(), today).status());
    done.push_back(
        absl::StrCat("fees and charges payable again from ", absl::FormatCivilTime(today)));
  }
  opp.set_utp_status(cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
  *opp.mutable_utp_effective_date() = DateOf(today);
  opp.set_state(cms::v1::COMPLIANCE_STATE_WITHDRAWN);
  return Save(c, before, opp, cms::v1::COMPLIANCE_EVENT_KIND_WITHDRAWN,
              absl::StrCat("acceptance withdrawn: ", why, "; ", absl::StrJoin(done, "; "),
                           "; Unlikely to Pay Status NRP Unlikely to Pay (S5.6)"),
              0);
}

}  // namespace cms::app
