#include "server/app/payments.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/access.h"
#include "server/app/dates.h"
#include "server/app/missed_payments.h"
#include "server/app/money_common.h"
#include "server/app/money_mapping.h"
#include "server/app/routing_service.h"
#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/base/paging.h"
#include "server/base/status_macros.h"
#include "server/domain/arrears.h"
#include "server/domain/compliance_mixed_master.h"
#include "server/domain/fees.h"
#include "server/domain/money.h"
#include "server/domain/mopf.h"
#include "server/domain/schedule.h"
#include "server/store/casegroup_repo.h"
#include "server/store/compliance_repo.h"
#include "server/store/mopf_repo.h"
#include "server/store/schedule_repo.h"
#include "server/store/sr_repo.h"

namespace cms::app {
namespace {

using cms::v1::Schedule;
using cms::v1::ScheduleItem;

// A case's money as stored: the items that still apply and the payments.
struct Account {
  std::vector<ScheduleItem> items;
  std::vector<cms::v1::Payment> payments;
};

absl::StatusOr<Account> LoadAccount(store::Tx& tx, int64_t case_id) {
  Account a;
  CMS_ASSIGN_OR_RETURN(a.items, store::ListOwedItems(tx, case_id));
  CMS_ASSIGN_OR_RETURN(a.payments, store::ListPayments(tx, case_id));
  return a;
}

// M7.5: every item of the account classified as of `today`, in the
// account's order.
absl::StatusOr<domain::Classification> Classify(const Account& a, absl::CivilDay today,
                                                int tolerance_days) {
  return domain::ClassifySchedule(ToDomain(a.items), ToDomain(a.payments), today, tolerance_days);
}

bool SameStanding(const ScheduleItem& a, const ScheduleItem& b) {
  return a.status() == b.status() && a.paid_pence() == b.paid_pence() &&
         a.on_time() == b.on_time() && a.in_full() == b.in_full() &&
         a.agreed_method() == b.agreed_method();
}

// Writes the standing of every item whose classification changed.
absl::Status Reclassify(Command& c, int64_t case_id, absl::CivilDay today, int tolerance_days) {
  CMS_ASSIGN_OR_RETURN(Account a, LoadAccount(c.tx(), case_id));
  CMS_ASSIGN_OR_RETURN(domain::Classification cl, Classify(a, today, tolerance_days));
  std::vector<ScheduleItem> changed;
  for (size_t i = 0; i < a.items.size(); ++i) {
    ScheduleItem now = a.items[i];
    SetStanding(cl.items[i], &now);
    if (!SameStanding(now, a.items[i])) changed.push_back(std::move(now));
  }
  return store::UpdateItemStanding(c.tx(), changed);
}

// The schedule's items with their standing as of `today` (read-only).
absl::Status ClassifyInto(store::Tx& tx, absl::CivilDay today, int tolerance_days, Schedule* s) {
  CMS_ASSIGN_OR_RETURN(Account a, LoadAccount(tx, s->case_id()));
  CMS_ASSIGN_OR_RETURN(domain::Classification cl, Classify(a, today, tolerance_days));
  for (ScheduleItem& item : *s->mutable_items()) {
    for (size_t i = 0; i < a.items.size(); ++i) {
      if (a.items[i].id() == item.id()) SetStanding(cl.items[i], &item);
    }
  }
  s->set_unallocated_credit_pence(cl.unallocated_credit);
  return absl::OkStatus();
}

// The first anniversary of the case's annual review date after `day`
// (M7.5: a schedule runs up to the next annual review).
absl::CivilDay NextAnnualReview(const cms::v1::Date& review, absl::CivilDay day) {
  absl::CivilDay next = CivilDayOf(review);
  while (next <= day) {
    next = absl::CivilDay(next.year() + 1, review.month(), review.day());
  }
  return next;
}

absl::StatusOr<cms::v1::Arrears> CaseArrears(store::Tx& tx, int64_t case_id, absl::CivilDay today,
                                             int tolerance_days) {
  CMS_ASSIGN_OR_RETURN(Account a, LoadAccount(tx, case_id));
  CMS_ASSIGN_OR_RETURN(domain::Classification cl, Classify(a, today, tolerance_days));
  cms::v1::Arrears out;
  out.set_case_id(case_id);
  CMS_ASSIGN_OR_RETURN(const domain::Pence balance, domain::ArrearsBalance(cl.items, today));
  out.set_balance_pence(balance);
  for (const domain::ClassifiedItem& i : cl.items) {
    if (i.status == domain::ItemStatus::kMissed) out.set_missed_items(out.missed_items() + 1);
    if (i.status == domain::ItemStatus::kPartial) out.set_partial_items(out.partial_items() + 1);
  }
  *out.mutable_as_of() = DateOf(today);
  return out;
}

std::optional<domain::EnforcementAction> ActionOf(cms::v1::ChargeKind kind) {
  switch (kind) {
    case cms::v1::CHARGE_KIND_DEO_CHARGE:
      return domain::EnforcementAction::kDeo;
    case cms::v1::CHARGE_KIND_RDO_CHARGE:
      return domain::EnforcementAction::kRdo;
    case cms::v1::CHARGE_KIND_LSDO_CHARGE:
      return domain::EnforcementAction::kLsdo;
    case cms::v1::CHARGE_KIND_LIABILITY_ORDER_CHARGE:
      return domain::EnforcementAction::kLiabilityOrder;
    default:
      return std::nullopt;
  }
}

// The statement's description of a charge kind ("COLLECTION_FEE" from the
// domain, ledger kinds as their short names).
std::string ChargeText(const std::string& kind) {
  if (kind == domain::kCollectionFeeKind || kind == "PP_COLLECTION_FEE") return "Collection fee";
  return absl::StrCat("Charge: ", kind);
}

}  // namespace

// ---------------------------------------------------------------- M7.5

namespace {

// Issuing the P2P schedule ends the new-case stage (R3.2 rule 5,
// work-allocation): the case moves to P2P_ISSUED and its casegroup is
// re-routed (R3.3), so it leaves New Case for Maintenance. A revision of a
// schedule changes no stage; UpdateCase stays the way to correct one.
absl::Status EndNewCaseStage(Command& c, int64_t case_id) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case before, store::GetCase(c.tx(), case_id, /*for_update=*/true));
  const std::optional<cms::v1::LifecycleStage> next =
      domain::StageWhenScheduleIssued(before.lifecycle_stage());
  if (!next.has_value()) return absl::OkStatus();
  cms::v1::Case after = before;
  after.set_lifecycle_stage(*next);
  CMS_RETURN_IF_ERROR(store::UpdateCase(c.tx(), after));
  CMS_ASSIGN_OR_RETURN(after, store::GetCase(c.tx(), case_id));
  c.Audit("case", absl::StrCat(case_id), &before, after);
  return Reroute(c, before.casegroup_id(), "GenerateSchedule (P2P schedule issued)").status();
}

// ---- S5.14

constexpr char kReviewSrType[] = "MANUAL_ALLOCATION_REVIEW";
constexpr size_t kMaxHoldReason = 2000;  // the column, and an SR's description
constexpr size_t kMaxReleaseNote = 1000;

// At most `max` bytes, never cutting a UTF-8 character (the explanation
// carries "£").
std::string Bounded(std::string text, size_t max) {
  if (text.size() <= max) return text;
  while (max > 0 && (static_cast<unsigned char>(text[max]) & 0xC0) == 0x80) --max;
  text.resize(max);
  return text;
}

// What domain::JudgeMixedMasterCase reads of each case of the paying
// parent of `k` (its casegroup): the compliance opportunity's state and
// trial end, and for the reviewer the application date, legacy link and
// T-date, and the live 2012 arrears.
absl::StatusOr<domain::MixedMasterDecision> JudgeMixedMaster(store::Tx& tx, const cms::v1::Case& k,
                                                             absl::CivilDay today,
                                                             const PaymentRules& rules) {
  CMS_ASSIGN_OR_RETURN(std::vector<cms::v1::Case> cases,
                       store::ListCasesOfCasegroup(tx, k.casegroup_id()));
  std::vector<domain::MasterCaseMember> members;
  for (const cms::v1::Case& kase : cases) {
    domain::MasterCaseMember m;
    m.case_id = kase.id();
    m.closed = kase.lifecycle_stage() == cms::v1::LIFECYCLE_STAGE_CLOSED;
    if (IsSet(kase.application_date())) m.application_date = CivilDayOf(kase.application_date());
    if (kase.has_legacy()) {
      m.legacy_link = true;
      if (IsSet(kase.legacy().t_date())) m.legacy_t_date = CivilDayOf(kase.legacy().t_date());
    }
    CMS_ASSIGN_OR_RETURN(auto opp, store::FindComplianceOpportunityByCase(tx, kase.id()));
    if (opp.has_value()) {
      m.opportunity_state = opp->state();
      if (IsSet(opp->end_date())) m.trial_end = CivilDayOf(opp->end_date());
    }
    if (!m.closed) {
      CMS_ASSIGN_OR_RETURN(cms::v1::Arrears a,
                           CaseArrears(tx, kase.id(), today, rules.missed_payment_tolerance_days));
      m.arrears_2012_pence = a.balance_pence();
    }
    members.push_back(std::move(m));
  }
  return domain::JudgeMixedMasterCase(members, k.id(), today);
}

// Closes the held schedule's review SR with `resolution` and `note`, unless
// someone closed or cancelled it already.
absl::Status CloseReviewSr(Command& c, ServiceRequestApp& srs, const Schedule& held,
                           const std::string& resolution, std::string note) {
  if (held.review_service_request_id() == 0) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(cms::v1::ServiceRequest sr,
                       store::GetServiceRequest(c.tx(), held.review_service_request_id()));
  if (sr.status() == cms::v1::SR_STATUS_CLOSED || sr.status() == cms::v1::SR_STATUS_CANCELLED) {
    return absl::OkStatus();
  }
  return srs
      .CloseByRule(c, sr.id(), resolution, "Complete", std::move(note), domain::kMixedMasterRule)
      .status();
}

}  // namespace

absl::Status PaymentApp::GenerateSchedule(const Actor& actor,
                                          const cms::v1::GenerateScheduleRequest& req,
                                          Schedule* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (auto problem =
          domain::AmountProblem(req.weekly_liability_pence(), domain::AmountSign::kPositive)) {
    errors.Add("weekly_liability_pence", *problem);
  }
  if (!ToDomain(req.frequency()).has_value()) {
    errors.Add("frequency", "WEEKLY, FORTNIGHTLY, FOUR_WEEKLY or MONTHLY");
  }
  CheckDate(errors, "first_collection_date", req.first_collection_date());
  if (req.reason().size() > 200) errors.Add("reason", "at most 200 characters");
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.5"));
  return commands_.Run(
      actor, "GenerateSchedule", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const absl::CivilDay first = CivilDayOf(req.first_collection_date());
        if (first < today) return InvalidField("first_collection_date", "today or later", "M7.5");
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(auto methods, store::ListMopfMethods(c.tx(), k.casegroup_id()));
        const std::vector<domain::MethodShare> shares =
            domain::ActiveShares(ToDomain(methods), first);
        if (shares.empty()) {
          return RuleViolation(
              "M7.5", absl::StrCat("casegroup ", k.casegroup_id(), " has no MOPF active on ",
                                   absl::FormatCivilTime(first), ": set one up first (M7.2)"));
        }
        domain::ScheduleInput input;
        input.weekly_liability = req.weekly_liability_pence();
        input.frequency = *ToDomain(req.frequency());
        input.first_collection = first;
        input.next_annual_review = NextAnnualReview(k.annual_review_date(), first);
        input.shares = shares;
        CMS_ASSIGN_OR_RETURN(std::vector<domain::ScheduleItem> items,
                             domain::GenerateSchedule(input));
        // One money change of a case at a time: the current schedule row
        // is the lock (and a held one's, S5.14).
        CMS_ASSIGN_OR_RETURN(auto current,
                             store::GetCurrentSchedule(c.tx(), k.id(), /*for_update=*/true));
        CMS_ASSIGN_OR_RETURN(auto held,
                             store::FindHeldSchedule(c.tx(), k.id(), /*for_update=*/true));
        if (held.has_value()) CMS_RETURN_IF_ERROR(ReplaceHeldSchedule(c, *held));
        // S5.14: a mixed master case's schedule is held, not made silently.
        CMS_ASSIGN_OR_RETURN(domain::MixedMasterDecision mixed,
                             JudgeMixedMaster(c.tx(), k, today, rules_));
        Schedule s;
        s.set_case_id(k.id());
        s.set_state(mixed.mixed ? cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW
                                : cms::v1::SCHEDULE_STATE_CURRENT);
        if (mixed.mixed) s.set_hold_reason(Bounded(mixed.explanation, kMaxHoldReason));
        s.set_frequency(req.frequency());
        s.set_weekly_liability_pence(req.weekly_liability_pence());
        *s.mutable_first_collection_date() = req.first_collection_date();
        *s.mutable_next_annual_review() = DateOf(input.next_annual_review);
        s.set_reason(!req.reason().empty() ? req.reason()
                     : current.has_value() ? "negotiated"
                                           : "initial");
        s.set_created_by(c.actor().staff_id);
        for (const domain::ScheduleItem& i : items) {
          ScheduleItem* item = s.add_items();
          item->set_sequence(i.sequence);
          *item->mutable_due_date() = DateOf(i.due);
          item->set_expected_pence(i.expected_amount);
          item->set_expected_method(ToProto(i.expected_method));
          item->set_status(mixed.mixed ? cms::v1::ITEM_STATUS_HELD : cms::v1::ITEM_STATUS_PENDING);
        }
        if (mixed.mixed) {
          // Nothing comes into force: the current schedule (if any) stays,
          // no job is armed, no payment is allocated to the held items, the
          // case keeps its stage and the procedures hear nothing until the
          // release.
          CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertSchedule(c.tx(), s, c.now_us()));
          ServiceRequestApp::RuleSr spec;
          spec.type_code = std::string(kReviewSrType);
          spec.casegroup_id = k.casegroup_id();
          spec.case_id = k.id();
          spec.subject_person_id = k.paying_parent_id();
          spec.fields = {{"Schedule", absl::StrCat(id)}};
          spec.description =
              Bounded(absl::StrCat("Schedule ", id, " held: ", mixed.explanation), kMaxHoldReason);
          spec.rule = domain::kMixedMasterRule;
          CMS_ASSIGN_OR_RETURN(cms::v1::CreateServiceRequestResponse sr, srs_.RaiseByRule(c, spec));
          CMS_RETURN_IF_ERROR(store::SetScheduleReviewSr(c.tx(), id, sr.service_request().id()));
          CMS_ASSIGN_OR_RETURN(*out, store::GetSchedule(c.tx(), id));
          Schedule audited = *out;
          audited.clear_items();
          c.Audit("schedule", absl::StrCat(id), nullptr, audited);
          return absl::OkStatus();
        }
        // The revision (negotiation) keeps the current schedule as history.
        if (current.has_value()) {
          CMS_RETURN_IF_ERROR(store::SupersedeSchedule(c.tx(), current->id(), DateOf(first)));
        }
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertSchedule(c.tx(), s, c.now_us()));
        CMS_RETURN_IF_ERROR(BringIntoForce(c, k, id, today, out));
        Schedule audited = *out;
        audited.clear_items();  // the items are the schedule's rows; the audit keeps the terms
        c.Audit("schedule", absl::StrCat(id), nullptr, audited);
        CMS_RETURN_IF_ERROR(EndNewCaseStage(c, k.id()));
        return events_.ScheduleGenerated(c, *out);
      });
}

absl::Status PaymentApp::BringIntoForce(Command& c, const cms::v1::Case& k, int64_t schedule_id,
                                        absl::CivilDay today, Schedule* out) {
  CMS_RETURN_IF_ERROR(ArmMissedPaymentJob(c, commands_.clock()));  // AR10.1, T8.3
  // Payments already received (before a revision) pay the new items.
  CMS_RETURN_IF_ERROR(Reclassify(c, k.id(), today, rules_.missed_payment_tolerance_days));
  CMS_ASSIGN_OR_RETURN(auto written, store::GetCurrentSchedule(c.tx(), k.id()));
  if (!written.has_value() || written->id() != schedule_id) {
    return absl::InternalError("the new schedule is not the case's current one");
  }
  *out = *std::move(written);
  return ClassifyInto(c.tx(), today, rules_.missed_payment_tolerance_days, out);
}

absl::Status PaymentApp::ReplaceHeldSchedule(Command& c, const Schedule& held) {
  CMS_RETURN_IF_ERROR(store::SupersedeHeldSchedule(c.tx(), held.id()));
  CMS_ASSIGN_OR_RETURN(Schedule after, store::GetSchedule(c.tx(), held.id()));
  Schedule before = held;
  before.clear_items();
  after.clear_items();
  c.Audit("schedule", absl::StrCat(held.id()), &before, after);
  return CloseReviewSr(c, srs_, held, "Schedule Replaced",
                       absl::StrCat("Schedule ", held.id(),
                                    " was replaced by a new schedule for the case before its "
                                    "release (S5.14)"));
}

absl::Status PaymentApp::ReleaseSchedule(const Actor& actor,
                                         const cms::v1::ReleaseScheduleRequest& req,
                                         Schedule* out) {
  FieldErrors errors;
  if (req.schedule_id() <= 0) errors.Add("schedule_id", "required");
  if (req.note().empty() || req.note().size() > kMaxReleaseNote) {
    errors.Add("note", "1..1000 characters: the review's conclusion");
  }
  CMS_RETURN_IF_ERROR(errors.ToStatus(domain::kMixedMasterRule));
  return commands_.Run(
      actor, "ReleaseSchedule", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        CMS_ASSIGN_OR_RETURN(Schedule peek, store::GetSchedule(c.tx(), req.schedule_id()));
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), peek.case_id(), c.actor()));
        // The case's current schedule row first, then the held one, as
        // GenerateSchedule locks them.
        CMS_ASSIGN_OR_RETURN(auto current,
                             store::GetCurrentSchedule(c.tx(), k.id(), /*for_update=*/true));
        CMS_ASSIGN_OR_RETURN(Schedule held,
                             store::GetSchedule(c.tx(), req.schedule_id(), /*for_update=*/true));
        if (held.state() != cms::v1::SCHEDULE_STATE_HELD_FOR_ALLOCATION_REVIEW) {
          return RuleViolation(
              domain::kMixedMasterRule,
              absl::StrCat("schedule ", held.id(), " is ", ShortName(held.state()),
                           ", not held for manual allocation review: only a held schedule is "
                           "released"));
        }
        const absl::CivilDay first = CivilDayOf(held.first_collection_date());
        if (first < today) {
          return RuleViolation(
              domain::kMixedMasterRule,
              absl::StrCat("schedule ", held.id(), "'s first collection date ",
                           absl::FormatCivilTime(first),
                           " passed while it was held: generate the schedule again"));
        }
        if (current.has_value()) {
          CMS_RETURN_IF_ERROR(store::SupersedeSchedule(c.tx(), current->id(), DateOf(first)));
        }
        CMS_RETURN_IF_ERROR(store::ReleaseHeldSchedule(c.tx(), held.id(), c.actor().staff_id,
                                                       req.note(), c.now_us()));
        CMS_RETURN_IF_ERROR(BringIntoForce(c, k, held.id(), today, out));
        Schedule before = held;
        before.clear_items();
        Schedule audited = *out;
        audited.clear_items();
        c.Audit("schedule", absl::StrCat(held.id()), &before, audited);
        CMS_RETURN_IF_ERROR(CloseReviewSr(
            c, srs_, held, "Schedule Released",
            absl::StrCat("Schedule ", held.id(),
                         " released after manual allocation review (S5.14): ", req.note())));
        CMS_RETURN_IF_ERROR(EndNewCaseStage(c, k.id()));
        return events_.ScheduleGenerated(c, *out);
      });
}

absl::StatusOr<std::vector<ScheduleItem>> PaymentApp::ClassifiedItems(store::Tx& tx,
                                                                      int64_t case_id,
                                                                      absl::CivilDay today) const {
  CMS_ASSIGN_OR_RETURN(Account a, LoadAccount(tx, case_id));
  CMS_ASSIGN_OR_RETURN(domain::Classification cl,
                       Classify(a, today, rules_.missed_payment_tolerance_days));
  for (size_t i = 0; i < a.items.size(); ++i) SetStanding(cl.items[i], &a.items[i]);
  return a.items;
}

absl::StatusOr<std::vector<ScheduleItem>> PaymentApp::StandingItemsDue(store::Tx& tx,
                                                                       int64_t case_id,
                                                                       absl::CivilDay from,
                                                                       absl::CivilDay to) const {
  return store::ListOwedItemsDue(tx, case_id, DateOf(from), DateOf(to));
}

absl::Status PaymentApp::GetSchedule(const Actor& actor, const cms::v1::GetScheduleRequest& req,
                                     Schedule* out) {
  if (req.schedule_id() < 0) return InvalidField("schedule_id", "a schedule id");
  if (req.schedule_id() > 0 && req.case_id() != 0) {
    return InvalidField("schedule_id", "name a case_id or a schedule_id, not both");
  }
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    if (req.schedule_id() > 0) {
      // One schedule in any state (e.g. held for review, S5.14): the
      // items still owed are classified as of today, the others (HELD,
      // SUPERSEDED) shown as stored.
      CMS_ASSIGN_OR_RETURN(Schedule s, store::GetSchedule(tx, req.schedule_id()));
      CMS_RETURN_IF_ERROR(CaseForRead(tx, s.case_id(), actor).status());
      *out = std::move(s);
    } else {
      CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
      CMS_ASSIGN_OR_RETURN(auto current, store::GetCurrentSchedule(tx, k.id()));
      if (!current.has_value()) return NotFound("schedule of case", absl::StrCat(k.id()));
      *out = *std::move(current);
    }
    return ClassifyInto(tx, commands_.clock().Today(now), rules_.missed_payment_tolerance_days,
                        out);
  });
}

absl::Status PaymentApp::ListSchedules(const Actor& actor, const cms::v1::ListSchedulesRequest& req,
                                       cms::v1::ListSchedulesResponse* out) {
  CMS_ASSIGN_OR_RETURN(PageRequest page, ParsePage(req));
  return commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(auto schedules, store::ListSchedules(tx, k.id(), page));
    for (Schedule& s : schedules) *out->add_schedules() = std::move(s);
    if (out->schedules_size() == page.limit) {
      out->set_next_page_token(page.NextToken(out->schedules().rbegin()->id()));
    }
    return absl::OkStatus();
  });
}

absl::Status PaymentApp::RecordPayment(const Actor& actor, const cms::v1::RecordPaymentRequest& req,
                                       cms::v1::Payment* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (auto problem = domain::AmountProblem(req.amount_pence(), domain::AmountSign::kPositive)) {
    errors.Add("amount_pence", *problem);
  }
  if (!ToDomain(req.method()).has_value()) errors.Add("method", "the method of payment used");
  CheckDate(errors, "received_date", req.received_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.5"));
  return commands_.Run(
      actor, "RecordPayment", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        const absl::CivilDay today = commands_.clock().Today(c.now());
        const absl::CivilDay received = CivilDayOf(req.received_date());
        if (received > today) return InvalidField("received_date", "today or earlier", "M7.5");
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        // One money change of a case at a time: the schedule row is the lock.
        CMS_RETURN_IF_ERROR(
            store::GetCurrentSchedule(c.tx(), k.id(), /*for_update=*/true).status());
        // M7.7: a collection carries its fees on a COLLECT_AND_PAY day
        // outside any waiver.
        CMS_ASSIGN_OR_RETURN(cms::v1::ServiceTypeHistory history,
                             LoadServiceTypeHistory(c.tx(), k, today));
        CMS_ASSIGN_OR_RETURN(auto waivers, store::ListFeeWaivers(c.tx(), k.id()));
        CMS_ASSIGN_OR_RETURN(
            domain::CollectionFee fee,
            domain::CollectionFeeFor(req.amount_pence(), received, ToDomain(history.periods()),
                                     ToDomain(waivers)));
        cms::v1::Payment p;
        p.set_case_id(k.id());
        p.set_amount_pence(req.amount_pence());
        *p.mutable_received_date() = req.received_date();
        p.set_method(req.method());
        p.set_recorded_by(c.actor().staff_id);
        p.set_pp_fee_pence(fee.charged ? fee.pp_fee : 0);
        p.set_rp_fee_pence(fee.charged ? fee.rp_deduction : 0);
        CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertPayment(c.tx(), p, c.now_us()));
        p.set_id(id);
        *p.mutable_record_time() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(c.now_us());
        for (const auto& [kind, amount] :
             {std::pair{cms::v1::CHARGE_KIND_PP_COLLECTION_FEE, p.pp_fee_pence()},
              std::pair{cms::v1::CHARGE_KIND_RP_COLLECTION_FEE, p.rp_fee_pence()}}) {
          if (amount == 0) continue;
          cms::v1::LedgerEntry e;
          e.set_case_id(k.id());
          e.set_kind(kind);
          e.set_amount_pence(amount);
          *e.mutable_effective_date() = req.received_date();
          e.set_payment_id(id);
          e.set_created_by(c.actor().staff_id);
          CMS_RETURN_IF_ERROR(store::InsertLedgerEntry(c.tx(), e, c.now_us()).status());
        }
        CMS_RETURN_IF_ERROR(Reclassify(c, k.id(), today, rules_.missed_payment_tolerance_days));
        c.Audit("payment", absl::StrCat(id), nullptr, p);
        *out = std::move(p);
        return absl::OkStatus();
      });
}

// ---------------------------------------------------------------- M7.6

absl::StatusOr<cms::v1::Arrears> PaymentApp::CaseArrearsIn(store::Tx& tx, int64_t case_id,
                                                           absl::CivilDay today) const {
  return CaseArrears(tx, case_id, today, rules_.missed_payment_tolerance_days);
}

absl::Status PaymentApp::GetArrears(const Actor& actor, const cms::v1::GetArrearsRequest& req,
                                    cms::v1::Arrears* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    const absl::CivilDay today = commands_.clock().Today(now);
    const int tolerance = rules_.missed_payment_tolerance_days;
    if (req.subject_case() == cms::v1::GetArrearsRequest::kCasegroupId) {
      CMS_ASSIGN_OR_RETURN(cms::v1::Casegroup g, CasegroupForRead(tx, req.casegroup_id(), actor));
      out->set_casegroup_id(g.id());
      *out->mutable_as_of() = DateOf(today);
      for (int64_t case_id : g.case_ids()) {
        CMS_ASSIGN_OR_RETURN(cms::v1::Arrears a, CaseArrears(tx, case_id, today, tolerance));
        CMS_ASSIGN_OR_RETURN(const domain::Pence total,
                             domain::AddPence(out->balance_pence(), a.balance_pence(),
                                              absl::StrCat("the arrears of casegroup ", g.id())));
        out->set_balance_pence(total);
        out->set_missed_items(out->missed_items() + a.missed_items());
        out->set_partial_items(out->partial_items() + a.partial_items());
      }
      return absl::OkStatus();
    }
    if (req.subject_case() != cms::v1::GetArrearsRequest::kCaseId) {
      return InvalidField("case_id", "name a case_id or a casegroup_id");
    }
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(*out, CaseArrears(tx, k.id(), today, tolerance));
    return absl::OkStatus();
  });
}

absl::Status PaymentApp::GetStatement(const Actor& actor, const cms::v1::GetStatementRequest& req,
                                      cms::v1::Statement* out) {
  return commands_.Read([&](store::Tx& tx, absl::Time now) -> absl::Status {
    const absl::CivilDay today = commands_.clock().Today(now);
    CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForRead(tx, req.case_id(), actor));
    CMS_ASSIGN_OR_RETURN(Account a, LoadAccount(tx, k.id()));
    CMS_ASSIGN_OR_RETURN(auto ledger, store::ListLedgerEntries(tx, k.id()));
    CMS_ASSIGN_OR_RETURN(const domain::Statement st,
                         domain::BuildStatement(ToDomain(a.items), ToDomain(a.payments),
                                                PayingParentCharges(ledger), today));
    out->set_case_id(k.id());
    *out->mutable_as_of() = DateOf(today);
    for (const domain::StatementLine& l : st.lines) {
      cms::v1::StatementLine* line = out->add_lines();
      *line->mutable_date() = DateOf(l.date);
      switch (l.kind) {
        case domain::StatementLineKind::kScheduleDue:
          line->set_kind(cms::v1::STATEMENT_LINE_KIND_DUE);
          line->set_description(l.description);
          break;
        case domain::StatementLineKind::kCharge:
          line->set_kind(cms::v1::STATEMENT_LINE_KIND_CHARGE);
          line->set_description(ChargeText(l.description));
          break;
        case domain::StatementLineKind::kPayment:
          line->set_kind(cms::v1::STATEMENT_LINE_KIND_PAYMENT);
          line->set_description(l.description);
          break;
      }
      line->set_debit_pence(l.debit);
      line->set_credit_pence(l.credit);
      line->set_balance_pence(l.balance);
    }
    out->set_balance_pence(st.closing_balance);
    CMS_ASSIGN_OR_RETURN(domain::Classification cl,
                         Classify(a, today, rules_.missed_payment_tolerance_days));
    CMS_ASSIGN_OR_RETURN(const domain::Pence arrears, domain::ArrearsBalance(cl.items, today));
    out->set_arrears_pence(arrears);
    return absl::OkStatus();
  });
}

// ---------------------------------------------------------------- M7.7

namespace {

constexpr char kWaiverReason[] = "1..200 characters, e.g. \"Seg 5 compliance opportunity\"";
constexpr char kChargeKinds[] =
    "an enforcement charge: DEO_CHARGE, RDO_CHARGE, LSDO_CHARGE or "
    "LIABILITY_ORDER_CHARGE (collection fees come with payments)";

bool IsValidWaiverReason(const std::string& reason) {
  return !reason.empty() && reason.size() <= 200;
}

// M7.7: a waiver's end (the first day fees apply again) is after its start.
absl::Status CheckWaiverEnd(absl::CivilDay from, std::optional<absl::CivilDay> to) {
  if (to.has_value() && *to <= from) {
    return InvalidField("to_date", "after from_date (the first day fees apply again)", "M7.7");
  }
  return absl::OkStatus();
}

// The bodies of the M7.7 changes to case `k`, shared by the RPCs (which
// load `k` with the caller's access check) and the in-command steps.

absl::StatusOr<cms::v1::FeeWaiver> WaiveFeesStep(Command& c, absl::CivilDay today,
                                                 const cms::v1::Case& k, absl::CivilDay from,
                                                 std::optional<absl::CivilDay> to,
                                                 std::string reason, bool covers_charges) {
  if (!IsValidWaiverReason(reason)) return InvalidField("reason", kWaiverReason, "M7.7");
  CMS_RETURN_IF_ERROR(CheckWaiverEnd(from, to));
  if (from < today) {
    return InvalidField("from_date", "today or later: a waiver is never retrospective", "M7.7");
  }
  // One money change of a case at a time: the schedule row is the lock.
  CMS_RETURN_IF_ERROR(store::GetCurrentSchedule(c.tx(), k.id(), /*for_update=*/true).status());
  CMS_ASSIGN_OR_RETURN(std::optional<cms::v1::FeeWaiver> open, OpenFeeWaiver(c.tx(), k.id()));
  if (open.has_value()) {
    return RuleViolation(
        "M7.7", absl::StrCat("fee waiver ", open->id(), " is still open; reinstate fees first"));
  }
  cms::v1::FeeWaiver w;
  w.set_case_id(k.id());
  *w.mutable_from_date() = DateOf(from);
  if (to.has_value()) *w.mutable_to_date() = DateOf(*to);
  w.set_reason(std::move(reason));
  w.set_covers_enforcement_charges(covers_charges);
  w.set_created_by(c.actor().staff_id);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertFeeWaiver(c.tx(), w, c.now_us()));
  w.set_id(id);
  c.Audit("fee_waiver", absl::StrCat(id), nullptr, w);
  return w;
}

absl::StatusOr<cms::v1::FeeWaiver> ReinstateFeesStep(Command& c, absl::CivilDay today,
                                                     const cms::v1::Case& k,
                                                     absl::CivilDay effective) {
  CMS_RETURN_IF_ERROR(store::GetCurrentSchedule(c.tx(), k.id(), /*for_update=*/true).status());
  CMS_ASSIGN_OR_RETURN(auto waivers, store::ListFeeWaivers(c.tx(), k.id()));
  // M7.7: from the decision date (today) or later, never earlier.
  CMS_RETURN_IF_ERROR(domain::ReinstateFees(ToDomain(waivers), today, effective).status());
  auto open = std::find_if(waivers.begin(), waivers.end(),
                           [](const cms::v1::FeeWaiver& w) { return !IsSet(w.to_date()); });
  if (open == waivers.end()) {
    return RuleViolation("M7.7", absl::StrCat("case ", k.id(), " has no open fee waiver"));
  }
  cms::v1::FeeWaiver before = *open;
  CMS_RETURN_IF_ERROR(
      store::EndFeeWaiver(c.tx(), open->id(), DateOf(effective), c.actor().staff_id, c.now_us()));
  *open->mutable_to_date() = DateOf(effective);
  open->set_ended_by(c.actor().staff_id);
  c.Audit("fee_waiver", absl::StrCat(open->id()), &before, *open);
  return *open;
}

absl::StatusOr<cms::v1::LedgerEntry> AddChargeStep(Command& c, absl::CivilDay today,
                                                   const cms::v1::Case& k, cms::v1::ChargeKind kind,
                                                   absl::CivilDay effective) {
  const auto action = ActionOf(kind);
  if (!action.has_value()) return InvalidField("kind", kChargeKinds, "M7.7");
  if (effective < today) {
    return InvalidField("effective_date", "today or later: never retrospective", "M7.7");
  }
  // S5.5: a Segment 5 trial's waiver covers enforcement charges.
  CMS_ASSIGN_OR_RETURN(auto waivers, store::ListFeeWaivers(c.tx(), k.id()));
  if (domain::AreChargesWaivedOn(ToDomain(waivers), effective)) {
    return RuleViolation("M7.7", absl::StrCat("enforcement charges on case ", k.id(),
                                              " are waived on ", absl::FormatCivilTime(effective),
                                              " (a waiver covering enforcement charges, S5.5)"));
  }
  const domain::ChargeEntry charge = domain::EnforcementCharge(*action, effective);
  cms::v1::LedgerEntry e;
  e.set_case_id(k.id());
  e.set_kind(kind);
  e.set_amount_pence(charge.amount);
  *e.mutable_effective_date() = DateOf(effective);
  e.set_created_by(c.actor().staff_id);
  CMS_ASSIGN_OR_RETURN(int64_t id, store::InsertLedgerEntry(c.tx(), e, c.now_us()));
  e.set_id(id);
  c.Audit("ledger_entry", absl::StrCat(id), nullptr, e);
  return e;
}

}  // namespace

absl::StatusOr<std::optional<cms::v1::FeeWaiver>> OpenFeeWaiver(store::Tx& tx, int64_t case_id) {
  CMS_ASSIGN_OR_RETURN(auto waivers, store::ListFeeWaivers(tx, case_id));
  for (cms::v1::FeeWaiver& w : waivers) {
    if (!IsSet(w.to_date())) return std::move(w);
  }
  return std::nullopt;
}

absl::StatusOr<cms::v1::FeeWaiver> PaymentApp::WaiveFeesIn(Command& c, int64_t case_id,
                                                           absl::CivilDay from,
                                                           std::optional<absl::CivilDay> to,
                                                           std::string reason,
                                                           bool covers_charges) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  return WaiveFeesStep(c, commands_.clock().Today(c.now()), k, from, to, std::move(reason),
                       covers_charges);
}

absl::Status PaymentApp::WaiveFees(const Actor& actor, const cms::v1::WaiveFeesRequest& req,
                                   cms::v1::FeeWaiver* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  CheckDate(errors, "from_date", req.from_date());
  CheckDate(errors, "to_date", req.to_date(), /*required=*/false);
  if (!IsValidWaiverReason(req.reason())) errors.Add("reason", kWaiverReason);
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.7"));
  const absl::CivilDay from = CivilDayOf(req.from_date());
  std::optional<absl::CivilDay> to;
  if (IsSet(req.to_date())) to = CivilDayOf(req.to_date());
  CMS_RETURN_IF_ERROR(CheckWaiverEnd(from, to));
  return commands_.Run(
      actor, "WaiveFees", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(*out, WaiveFeesStep(c, commands_.clock().Today(c.now()), k, from, to,
                                                 req.reason(), req.covers_enforcement_charges()));
        return absl::OkStatus();
      });
}

absl::StatusOr<cms::v1::FeeWaiver> PaymentApp::ReinstateFeesIn(Command& c, int64_t case_id,
                                                               absl::CivilDay effective) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  return ReinstateFeesStep(c, commands_.clock().Today(c.now()), k, effective);
}

absl::Status PaymentApp::ReinstateFees(const Actor& actor, const cms::v1::ReinstateFeesRequest& req,
                                       cms::v1::FeeWaiver* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  CheckDate(errors, "effective_date", req.effective_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.7"));
  return commands_.Run(
      actor, "ReinstateFees", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(*out, ReinstateFeesStep(c, commands_.clock().Today(c.now()), k,
                                                     CivilDayOf(req.effective_date())));
        return absl::OkStatus();
      });
}

absl::StatusOr<cms::v1::LedgerEntry> PaymentApp::AddChargeIn(Command& c, int64_t case_id,
                                                             cms::v1::ChargeKind kind,
                                                             absl::CivilDay effective) {
  CMS_ASSIGN_OR_RETURN(cms::v1::Case k, FindCase(c.tx(), case_id));
  return AddChargeStep(c, commands_.clock().Today(c.now()), k, kind, effective);
}

absl::Status PaymentApp::AddCharge(const Actor& actor, const cms::v1::AddChargeRequest& req,
                                   cms::v1::LedgerEntry* out) {
  FieldErrors errors;
  if (req.case_id() <= 0) errors.Add("case_id", "required");
  if (!ActionOf(req.kind()).has_value()) errors.Add("kind", kChargeKinds);
  CheckDate(errors, "effective_date", req.effective_date());
  CMS_RETURN_IF_ERROR(errors.ToStatus("M7.7"));
  return commands_.Run(
      actor, "AddCharge", req, req.request_id(), out, [&](Command& c) -> absl::Status {
        CMS_ASSIGN_OR_RETURN(cms::v1::Case k, CaseForWrite(c.tx(), req.case_id(), c.actor()));
        CMS_ASSIGN_OR_RETURN(*out, AddChargeStep(c, commands_.clock().Today(c.now()), k, req.kind(),
                                                 CivilDayOf(req.effective_date())));
        return absl::OkStatus();
      });
}

}  // namespace cms::app
