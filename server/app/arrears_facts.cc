#include "server/app/arrears_facts.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/dates.h"
#include "server/app/employment.h"
#include "server/app/money_mapping.h"
#include "server/base/enum_names.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears.h"
#include "server/domain/missed_run.h"
#include "server/domain/money.h"
#include "server/store/asset_repo.h"
#include "server/store/casegroup_repo.h"
#include "server/store/compliance_repo.h"
#include "server/store/party_repo.h"
#include "server/store/schedule_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::ScheduleItem;

bool IsShort(const ScheduleItem& i) {
  return i.status() == cms::v1::ITEM_STATUS_MISSED || i.status() == cms::v1::ITEM_STATUS_PARTIAL;
}

domain::ItemStatus DomainStatus(cms::v1::ItemStatus s) {
  switch (s) {
    case cms::v1::ITEM_STATUS_PAID:
      return domain::ItemStatus::kPaid;
    case cms::v1::ITEM_STATUS_PARTIAL:
      return domain::ItemStatus::kPartial;
    case cms::v1::ITEM_STATUS_MISSED:
      return domain::ItemStatus::kMissed;
    default:
      return domain::ItemStatus::kPending;
  }
}

// "DD £108.33 due 2027-03-01 not paid", one clause per short item of the
// collection.
std::string FailureOf(const std::vector<const ScheduleItem*>& collection) {
  std::vector<std::string> parts;
  for (const ScheduleItem* i : collection) {
    if (!IsShort(*i)) continue;
    const std::string due = absl::FormatCivilTime(CivilDayOf(i->due_date()));
    parts.push_back(i->paid_pence() == 0
                        ? absl::StrCat(ShortName(i->expected_method()), " ",
                                       domain::FormatPounds(i->expected_pence()), " due ", due,
                                       " not paid")
                        : absl::StrCat(ShortName(i->expected_method()), " ",
                                       domain::FormatPounds(i->expected_pence()), " due ", due,
                                       " part paid: ", domain::FormatPounds(i->paid_pence())));
  }
  return absl::StrJoin(parts, "; ");
}

// The classified items as the pure rules take them (M7.6 ArrearsBalance,
// AR10.1 MissedRun): due date, expected, paid and status.
std::vector<domain::ClassifiedItem> DomainItems(const std::vector<ScheduleItem>& items) {
  std::vector<domain::ClassifiedItem> out;
  out.reserve(items.size());
  for (const ScheduleItem& i : items) {
    domain::ClassifiedItem c;
    c.item.due = CivilDayOf(i.due_date());
    c.item.expected_amount = i.expected_pence();
    c.paid = i.paid_pence();
    c.status = DomainStatus(i.status());
    out.push_back(std::move(c));
  }
  return out;
}

// The case's items by due date (ClassifiedItems gives them in due order).
std::map<absl::CivilDay, std::vector<const ScheduleItem*>> Collections(
    const std::vector<ScheduleItem>& items) {
  std::map<absl::CivilDay, std::vector<const ScheduleItem*>> out;
  for (const ScheduleItem& i : items) out[CivilDayOf(i.due_date())].push_back(&i);
  return out;
}

}  // namespace

bool ScheduleAgreedOnReview(const cms::v1::ArrearsAction& action) {
  const cms::v1::FinalNegotiation& n = action.negotiation();
  return n.service_request_id() != 0 &&
         n.outcome() == cms::v1::NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED && n.has_outcome_date() &&
         action.has_review_date() &&
         CivilDayOf(n.outcome_date()) >= CivilDayOf(action.review_date());
}

absl::StatusOr<ReviewFigures> GatherReviewFigures(store::Tx& tx, int64_t case_id,
                                                  absl::CivilDay today, const PaymentApp& payments,
                                                  const BusinessClock& clock, int tolerance_days) {
  CMS_ASSIGN_OR_RETURN(std::vector<ScheduleItem> items,
                       payments.ClassifiedItems(tx, case_id, today));
  ReviewFigures out;
  const std::vector<domain::ClassifiedItem> classified = DomainItems(items);
  CMS_ASSIGN_OR_RETURN(out.balance, domain::ArrearsBalance(classified, today));
  out.missed_run = domain::MissedRun(classified);
  const auto collections = Collections(items);
  for (auto it = collections.rbegin(); it != collections.rend(); ++it) {
    bool short_paid = false;
    for (const ScheduleItem* i : it->second) short_paid = short_paid || IsShort(*i);
    if (!short_paid) continue;
    out.current_miss = it->first;
    out.failure_reason = FailureOf(it->second);
    break;
  }
  if (!out.current_miss.has_value()) return out;
  CMS_ASSIGN_OR_RETURN(auto current, store::GetCurrentSchedule(tx, case_id));
  if (!current.has_value()) return out;
  PageRequest first_two;
  first_two.limit = 2;
  CMS_ASSIGN_OR_RETURN(auto schedules, store::ListSchedules(tx, case_id, first_two));
  if (schedules.size() < 2) return out;  // the first schedule is no revision
  const absl::CivilDay revised = clock.Today(absl::FromUnixMicros(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(current->create_time())));
  out.revision_day = revised;
  out.revised_within_tolerance =
      revised >= *out.current_miss && revised <= *out.current_miss + tolerance_days;
  return out;
}

domain::LetterHistory LetterHistoryOf(const cms::v1::ArrearsAction& action,
                                      const std::vector<ScheduleItem>& items,
                                      absl::CivilDay today) {
  domain::LetterHistory h;
  h.today = today;
  for (const cms::v1::ArrearsLetter& l : action.letters()) {
    h.letters.push_back({l.template_code(), CivilDayOf(l.issue_date())});
  }
  for (const cms::v1::ArrearsContact& contact : action.contacts()) {
    if (contact.outcome() != cms::v1::ARREARS_CONTACT_OUTCOME_NO_CONTACT) {
      h.responses.push_back(CivilDayOf(contact.contact_date()));
    }
  }
  for (const auto& [due, collection] : Collections(items)) {
    bool missed = false, paid = true;
    for (const ScheduleItem* i : collection) {
      missed = missed || IsShort(*i);
      paid = paid && i->status() == cms::v1::ITEM_STATUS_PAID;
    }
    if (!missed && !paid) continue;  // not yet decided
    h.collections.push_back({due, missed});
    if (missed) h.current_miss = due;
  }
  return h;
}

domain::RdoSchedule RdoScheduleOf(const cms::v1::Disclosure& d) {
  return {CivilDayOf(d.outcome_date()), CivilDayOf(d.rdo_first_payment_date()),
          ToDomain(d.rdo_frequency()).value_or(domain::Frequency::kMonthly)};
}

bool RdoInForce(const cms::v1::Disclosure& d) {
  return d.outcome() == cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP && !d.rdo_compliant() &&
         d.rdo_viability() != cms::v1::RDO_VIABILITY_LAPSED &&
         d.rdo_viability() != cms::v1::RDO_VIABILITY_DISCHARGED;
}

absl::StatusOr<domain::LadderFacts> GatherLadderFacts(
    store::Tx& tx, const cms::v1::Case& k, const cms::v1::Casegroup& g,
    const std::optional<cms::v1::ArrearsAction>& action, absl::CivilDay today,
    const PaymentApp& payments, const MopfApp& mopf) {
  domain::LadderFacts f;
  f.today = today;
  // One read of the account: the arrears and the letter rules both judge
  // its classified items.
  CMS_ASSIGN_OR_RETURN(std::vector<ScheduleItem> items,
                       payments.ClassifiedItems(tx, k.id(), today));
  CMS_ASSIGN_OR_RETURN(f.arrears, domain::ArrearsBalance(DomainItems(items), today));
  f.legacy_debt_to_migrate = k.legacy().csa_debt_to_migrate_pence();
  f.enforcement_owned = k.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_ENFORCEMENT;
  // The PP's work alone, not the rest of their personal data.
  CMS_ASSIGN_OR_RETURN(store::WorkFacts work, store::GetWorkFacts(tx, g.paying_parent_id()));
  f.employment_status = work.employment_status;
  CMS_ASSIGN_OR_RETURN(f.known_employer, KnownEmployer(tx, work.first_employer, g.id()));
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::MopfMethod> methods,
                       mopf.ActiveMethods(tx, g.id(), today));
  for (const cms::v1::MopfMethod& m : methods) {
    if (m.method() == cms::v1::PAYMENT_METHOD_DEO || m.method() == cms::v1::PAYMENT_METHOD_DER) {
      f.deo_in_place = true;
    }
  }
  // AR10.14: the PP's active assets, recorded per person.
  CMS_ASSIGN_OR_RETURN(f.assets_by_type, store::CountActiveAssets(tx, g.paying_parent_id()));
  for (const auto& [type, n] : f.assets_by_type) f.assets_known += n;
  if (!action.has_value()) {
    f.state = cms::v1::ARREARS_STATE_UNSPECIFIED;
    return f;
  }
  f.rp_contact = action->rp_contact();  // AR10.11
  f.state = action->state();
  f.monitor_disabled = action->monitor().disabled();
  f.review_open =
      action->review_service_request_id() != 0 && action->state() != cms::v1::ARREARS_STATE_CLOSED;
  // AR10.9: a Segment 5 case's review goes by its trial, read only then.
  f.segment5_review = f.review_open && action->segment5_case();
  if (f.segment5_review) {
    CMS_ASSIGN_OR_RETURN(auto opp, store::FindComplianceOpportunityByCase(tx, k.id()));
    if (opp) f.segment5_trial = opp->state();
  }
  f.business_structure = action->business_structure();
  f.hmrc_answer = action->deo().hmrc_answer();
  if (action->deo().has_hmrc_answer_date()) {
    f.hmrc_answer_date = CivilDayOf(action->deo().hmrc_answer_date());
  }
  if (!action->deo().employer_name().empty() && f.known_employer.empty()) {
    f.known_employer = action->deo().employer_name();
  }
  // S5.18: three missed DEO payments, or the full amount not collected,
  // raise the review: the DEO has been tried and has failed.
  f.deo_failed = action->review_reason() == cms::v1::ARREARS_REVIEW_REASON_EMPLOYER_MISSED_DEO;
  // AR10.6, AR10.7: the final chance, the disclosure and the LO referral.
  // A negotiation counts for what follows it: one started before the
  // disclosure's outcome was the disclosure's own.
  const cms::v1::FinalNegotiation& n = action->negotiation();
  const cms::v1::Disclosure& d = action->disclosure();
  const bool after_disclosure =
      d.outcome() == cms::v1::DISCLOSURE_OUTCOME_UNSPECIFIED ||
      (n.has_start_date() && CivilDayOf(n.start_date()) >= CivilDayOf(d.outcome_date()) &&
       n.purpose() == cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  f.schedule_agreed = f.review_open && ScheduleAgreedOnReview(*action);
  if (n.service_request_id() != 0 &&
      n.outcome() != cms::v1::NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED && after_disclosure) {
    f.negotiation_failed = n.outcome() == cms::v1::NEGOTIATION_OUTCOME_FAILED;
    if (n.purpose() == cms::v1::ARREARS_RUNG_DISCLOSURE) {
      f.disclosure = domain::DisclosureState::kNegotiating;
    } else {
      f.lo = domain::LoState::kNegotiating;
    }
  }
  if (d.service_request_id() != 0) {
    switch (d.outcome()) {
      case cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP:
        f.disclosure = domain::DisclosureState::kRdoSetUp;
        for (const cms::v1::RdoPayment& p : d.rdo_payments()) f.rdo_shortfalls += p.shortfall();
        break;
      case cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP:
        f.disclosure = domain::DisclosureState::kLsdoSetUp;
        break;
      case cms::v1::DISCLOSURE_OUTCOME_NOT_APPROVED:
        f.disclosure = domain::DisclosureState::kNotApproved;
        break;
      case cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL:
        f.disclosure = domain::DisclosureState::kUnsuccessful;
        break;
      case cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL:
        f.disclosure = d.authorised_order() == cms::v1::DEDUCTION_ORDER_UNSPECIFIED
                           ? domain::DisclosureState::kSuccessful
                           : domain::DisclosureState::kAuthorised;
        f.authorised_order = d.authorised_order();
        break;
      default:
        f.disclosure = domain::DisclosureState::kRequested;
        break;
    }
  }
  switch (action->lo().state()) {
    case cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL:
      f.lo = domain::LoState::kPendingApproval;
      break;
    case cms::v1::LO_REFERRAL_STATE_APPROVED:
    case cms::v1::LO_REFERRAL_STATE_REFERRED:
      f.lo = domain::LoState::kApproved;
      break;
    case cms::v1::LO_REFERRAL_STATE_REJECTED:
      f.lo = domain::LoState::kRejected;
      break;
    default:
      break;
  }
  // The LO path taken without disclosure: the caseworker judged it not
  // appropriate (AR10.7).
  if (f.lo != domain::LoState::kNone && f.disclosure == domain::DisclosureState::kNone) {
    f.disclosure = domain::DisclosureState::kNotAppropriate;
  }
  // AR10.12: an enforcement case's RDO and its review with DOT; AR10.8.
  f.rdo_in_force = RdoInForce(d);
  f.rdo_review = action->enforcement_rdo_review();
  f.enforcement_actions_taken = action->enforcement_actions_size();
  f.letter = domain::ChooseArrearsLetter(LetterHistoryOf(*action, items, today));
  if (f.review_open) {
    // The review's row alone: its status, not its activities or fields.
    CMS_ASSIGN_OR_RETURN(auto review,
                         store::GetServiceRequestRows(tx, {action->review_service_request_id()}));
    f.letter_wait_running = !review.empty() && review[0].status() == cms::v1::SR_STATUS_WAIT &&
                            review[0].sub_status() == kArrearsNoticeSubStatus;
  }
  return f;
}

}  // namespace cms::app
