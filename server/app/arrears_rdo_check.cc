// The nightly RDO compliance check (AR10.6, T8.3). DOT monitors a regular
// deduction order and tells the case owner how it is paying; the server
// does the same each night from the payments it receives by method RDO, so
// no shortfall waits for someone to notice it. Each scheduled payment is
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
  for (ArrearsAction& action : actions) {
    bool judged = false;
    for (int n = PaymentToJudge(action, day, tolerance); n >= 0;
         n = PaymentToJudge(action, day, tolerance)) {
      const domain::RdoSchedule schedule = RdoScheduleOf(action.disclosure());
      const domain::DayRange window = domain::RdoReceiptWindow(schedule, n, tolerance);
      domain::Pence received = 0;
      for (const store::PaymentReceipt* r : by_case[action.case_id()]) {
        if (r->received >= window.from && r->received <= window.to) received += r->amount_pence;
      }
      const domain::Pence expected = action.disclosure().rdo_payment_pence();
      CMS_RETURN_IF_ERROR(JudgeRdoPayment(c, action, domain::RdoPaymentDue(schedule, n), received));
      ++stats.payments;
      stats.shortfalls += domain::IsRdoShortfall(expected, received) ? 1 : 0;
      judged = true;
    }
    stats.actions += judged ? 1 : 0;
  }
  return absl::OkStatus();
}

}  // namespace cms::app
