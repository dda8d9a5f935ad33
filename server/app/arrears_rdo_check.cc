// The nightly RDO compliance check (AR10.6, T8.3). DOT monitors a regular
// deduction order and tells the case owner how it is paying; the server
// does the same each night from the payments it receives by method RDO, so
// no shortfall waits for someone to notice it. It also watches each LSDO
// set up until the payments by method LSDO reach the lump sum: then, as for
// an RDO's third full payment, the review closes and the case returns to
// MAINTENANCE. Each scheduled payment is
// judged once (domain/rdo_compliance.h says when and on which receipts),
// through the same JudgeRdoPayment as DOT's report (RecordRdoPayment):
// below 90% the first time raises the shortfall's negotiation, a second
// time the LO rung, the third full payment makes the case compliant.
//
// The work is found from an index (arrears_actions.rdo_next_due), read in
// one statement, then judged in chunks: one transaction per chunk of
// actions, locked together, their RDO receipts read in one statement. A
// chunk that fails (a deadlock past its retries, an action a rule refuses)
// is retried one action per transaction so one bad case cannot hold up the
// rest; an action that still fails is logged and stays due for the next
// night.
#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/empty.pb.h"
#include "server/app/arrears.h"
#include "server/app/dates.h"
#include "server/base/log.h"
#include "server/base/status_macros.h"
#include "server/domain/rdo_compliance.h"
#include "server/store/arrears_repo.h"
#include "server/store/schedule_repo.h"

namespace cms::app {
namespace {

using cms::v1::ArrearsAction;

// The next payment of `action` to judge, when it is due to be judged by
// `day`; -1 when none is.
int PaymentToJudge(const ArrearsAction& action, absl::CivilDay day, int tolerance_days) {
  const cms::v1::Disclosure& d = action.disclosure();
  if (!RdoInForce(d) || !d.has_rdo_next_due_date()) return -1;
  const domain::RdoSchedule schedule = RdoScheduleOf(d);
  const int n = domain::RdoPaymentIndex(schedule, CivilDayOf(d.rdo_next_due_date()));
  if (n < 0 || domain::RdoJudgedOn(schedule, n, tolerance_days) > day) return -1;
  return n;
}

// The RDO receipts of a case that fall in `window`.
absl::StatusOr<domain::Pence> Received(const std::vector<const store::PaymentReceipt*>& receipts,
                                       domain::DayRange window) {
  domain::Pence total = 0;
  for (const store::PaymentReceipt* r : receipts) {
    if (r->received < window.from || r->received > window.to) continue;
    CMS_ASSIGN_OR_RETURN(
        total, domain::AddPence(total, r->amount_pence, "the RDO payments received in one period"));
  }
  return total;
}

// The shortfalls judged between `before` and `after` of one action.
int64_t Shortfalls(const ArrearsAction& before, const ArrearsAction& after) {
  int64_t n = 0;
  const auto& payments = after.disclosure().rdo_payments();
  for (int i = before.disclosure().rdo_payments_size(); i < payments.size(); ++i) {
    n += payments[i].shortfall() ? 1 : 0;
  }
  return n;
}

// AR10.6: an LSDO set up whose lump sum is not yet in.
bool AwaitsLumpSum(const cms::v1::Disclosure& d) {
  return d.outcome() == cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP && !d.lsdo_paid_in_full() &&
         d.has_lsdo_watch_date();
}

}  // namespace

absl::Status ArrearsApp::ArmRdoCheckJob(Command& c) {
  const BusinessClock& clock = commands_.clock();
  const absl::CivilDay today = clock.Today(c.now());
  // 02:00, after the missed-payment job's 01:00.
  absl::Time first = clock.StartOf(today) + absl::Hours(2);
  if (first <= c.now()) first = clock.StartOf(today + 1) + absl::Hours(2);
  return store::ScheduleTimer(c.tx(), store::PeriodicTimerSpec(kArrearsRdoCheckJob, 0, 0, first),
                              c.now_us())
      .status();
}

absl::Status ArrearsApp::RunRdoCheckForTimer(Command& c, const store::DueTimer& timer) {
  (void)c;  // the chunks are transactions of their own (see above)
  return RunRdoCheck(commands_.clock().Today(absl::FromUnixMicros(timer.due_us))).status();
}

absl::StatusOr<RdoCheckStats> ArrearsApp::RunRdoCheck(absl::CivilDay day, int actions_per_batch) {
  // A payment due D is judged from D + tolerance + 1.
  const absl::CivilDay due_by = day - rules_.missed_payment_tolerance_days - 1;
  std::vector<int64_t> ids;
  CMS_RETURN_IF_ERROR(commands_.Read([&](store::Tx& tx, absl::Time) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(ids, store::ListRdoChecksDue(tx, due_by));
    return absl::OkStatus();
  }));
  RdoCheckStats total;
  const google::protobuf::Empty none;
  google::protobuf::Empty unused;
  const auto run = [&](const std::vector<int64_t>& chunk, RdoCheckStats& stats) {
    return commands_.Run(Actor::System(), "RdoComplianceCheck", none, "", &unused,
                         [&](Command& c) -> absl::Status {
                           stats = {};  // a retried transaction counts once
                           return CheckRdoBatch(c, chunk, day, stats);
                         });
  };
  const size_t step = static_cast<size_t>(std::max(1, actions_per_batch));
  for (size_t i = 0; i < ids.size(); i += step) {
    const std::vector<int64_t> chunk(ids.begin() + i, ids.begin() + std::min(ids.size(), i + step));
    RdoCheckStats stats;
    if (!run(chunk, stats).ok()) {
      stats = {};
      for (int64_t id : chunk) {
        RdoCheckStats one;
        if (absl::Status s = run({id}, one); !s.ok()) {
          LogLine()
              .Str("event", "RDO compliance check: an action is left for the next night")
              .Int("arrears_action", id)
              .Str("error", s.ToString())
              .Write();
          ++total.failed;
          continue;
        }
        stats.actions += one.actions;
        stats.payments += one.payments;
        stats.shortfalls += one.shortfalls;
      }
    }
    total.actions += stats.actions;
    total.payments += stats.payments;
    total.shortfalls += stats.shortfalls;
  }
  return total;
}

absl::Status ArrearsApp::CheckLsdos(Command& c, const std::vector<ArrearsAction>& actions,
                                    RdoCheckStats& stats) {
  std::vector<int64_t> cases;
  absl::CivilDay from = commands_.clock().Today(c.now());
  for (const ArrearsAction& a : actions) {
    if (!AwaitsLumpSum(a.disclosure())) continue;
    cases.push_back(a.case_id());
    from = std::min(from, CivilDayOf(a.disclosure().lsdo_watch_date()));
  }
  if (cases.empty()) return absl::OkStatus();
  CMS_ASSIGN_OR_RETURN(
      std::vector<store::PaymentReceipt> receipts,
      store::ListReceiptsByMethod(c.tx(), cases, cms::v1::PAYMENT_METHOD_LSDO, from));
  for (const ArrearsAction& a : actions) {
    if (!AwaitsLumpSum(a.disclosure())) continue;
    const cms::v1::Disclosure& d = a.disclosure();
    domain::Pence received = 0;
    for (const store::PaymentReceipt& r : receipts) {
      if (r.case_id == a.case_id() && r.received >= CivilDayOf(d.lsdo_watch_date())) {
        CMS_ASSIGN_OR_RETURN(
            received, domain::AddPence(received, r.amount_pence, "the LSDO payments received"));
      }
    }
    const domain::RdoCompliance verdict = domain::AssessRdoCompliance(
        {{CivilDayOf(d.lsdo_watch_date()), d.lsdo_amount_pence(), received, /*decided=*/true,
          /*lump_sum=*/true}},
        /*negotiation_failed=*/false);
    if (verdict.decision != domain::RdoDecision::kCompliant) continue;  // watched tomorrow
    ArrearsAction action = a;
    CMS_RETURN_IF_ERROR(RdoCompliant(c, action, verdict.reason));
    ++stats.actions;
    ++stats.payments;
  }
  return absl::OkStatus();
}

absl::Status ArrearsApp::CheckRdoBatch(Command& c, const std::vector<int64_t>& ids,
                                       absl::CivilDay day, RdoCheckStats& stats) {
  const int tolerance = rules_.missed_payment_tolerance_days;
  CMS_ASSIGN_OR_RETURN(std::vector<ArrearsAction> actions, store::LockArrearsActions(c.tx(), ids));
  // One read of every receipt the chunk's windows may need.
  std::vector<int64_t> cases;
  absl::CivilDay from = day;
  for (const ArrearsAction& a : actions) {
    const int n = PaymentToJudge(a, day, tolerance);
    if (n < 0) continue;
    cases.push_back(a.case_id());
    from =
        std::min(from, domain::RdoReceiptWindow(RdoScheduleOf(a.disclosure()), n, tolerance).from);
  }
  CMS_ASSIGN_OR_RETURN(
      std::vector<store::PaymentReceipt> receipts,
      store::ListReceiptsByMethod(c.tx(), cases, cms::v1::PAYMENT_METHOD_RDO, from));
  std::map<int64_t, std::vector<const store::PaymentReceipt*>> by_case;
  for (const store::PaymentReceipt& r : receipts) by_case[r.case_id].push_back(&r);
  CMS_RETURN_IF_ERROR(CheckLsdos(c, actions, stats));
  // Most nights each judgement is only its record and event: those are
  // written for the whole chunk in one statement each. An action whose
  // verdict needs more (a negotiation, the LO rung, compliance) goes the
  // whole way through JudgeRdoPayment instead.
  std::vector<ArrearsAction> befores, afters;
  std::vector<cms::v1::ArrearsEvent> events;
  for (ArrearsAction& action : actions) {
    ArrearsAction trial = action;
    std::vector<cms::v1::ArrearsEvent> mine;
    bool follow_up = false;
    for (int n = PaymentToJudge(trial, day, tolerance); n >= 0 && !follow_up;
         n = PaymentToJudge(trial, day, tolerance)) {
      const domain::RdoSchedule schedule = RdoScheduleOf(trial.disclosure());
      CMS_ASSIGN_OR_RETURN(
          const domain::Pence received,
          Received(by_case[trial.case_id()], domain::RdoReceiptWindow(schedule, n, tolerance)));
      const RdoJudgement j =
          RecordRdoJudgement(c, trial, domain::RdoPaymentDue(schedule, n), received);
      follow_up = NeedsFollowUp(j, trial);
      cms::v1::ArrearsEvent& e = mine.emplace_back();
      e.set_arrears_action_id(trial.id());
      e.set_kind(cms::v1::ARREARS_EVENT_KIND_RDO_PAYMENT_RECORDED);
      e.set_state(trial.state());
      e.set_rung(trial.rung());
      e.set_detail(j.detail);
      e.set_service_request_id(trial.review_service_request_id());
      e.set_actor(c.actor().staff_id);
    }
    if (mine.empty()) continue;
    ++stats.actions;
    if (!follow_up) {
      stats.payments += static_cast<int64_t>(mine.size());
      stats.shortfalls += Shortfalls(action, trial);
      befores.push_back(action);
      afters.push_back(std::move(trial));
      events.insert(events.end(), mine.begin(), mine.end());
      continue;
    }
    for (int n = PaymentToJudge(action, day, tolerance); n >= 0;
         n = PaymentToJudge(action, day, tolerance)) {
      const domain::RdoSchedule schedule = RdoScheduleOf(action.disclosure());
      CMS_ASSIGN_OR_RETURN(
          const domain::Pence received,
          Received(by_case[action.case_id()], domain::RdoReceiptWindow(schedule, n, tolerance)));
      const bool short_paid =
          domain::IsRdoShortfall(action.disclosure().rdo_payment_pence(), received);
      CMS_RETURN_IF_ERROR(JudgeRdoPayment(c, action, domain::RdoPaymentDue(schedule, n), received));
      ++stats.payments;
      stats.shortfalls += short_paid ? 1 : 0;
    }
  }
  CMS_RETURN_IF_ERROR(store::UpdateArrearsActions(c.tx(), afters, c.now_us()));
  CMS_RETURN_IF_ERROR(store::InsertArrearsEvents(c.tx(), events, c.now_us()));
  for (size_t i = 0; i < afters.size(); ++i) {
    c.Audit("arrears_action", absl::StrCat(afters[i].id()), &befores[i], afters[i]);
  }
  return absl::OkStatus();
}

}  // namespace cms::app
