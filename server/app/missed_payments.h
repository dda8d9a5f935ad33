// The daily missed-payment job and its event (AR10.1, T8.3).
//
// Each business day a periodic job (a durable timer re-arming itself) marks
// the PENDING schedule items due before today minus the tolerance: MISSED
// when nothing was paid, PARTIAL otherwise (missed_on = today). It walks the
// book by ranges of case ids, each range one transaction that marks the
// items and emits, per case marked, one missed-payment event carrying the
// case's count of consecutive missed collections, and schedules that
// event's timer. A crash between
// batches leaves each case either done or not, and re-running (the job's
// timer fires again) finishes the rest; a second run the same day finds
// nothing PENDING past the cutoff and changes nothing.
//
// A case whose Disable Missed Payment Monitor is set (AR10.13,
// ArrearsService.SetMissedPaymentMonitor) has its items marked but gets no
// event.
//
// The event is the single hook of the arrears flow. A procedure governing
// the case may take it over first (CaseEvents::MissedPayment: a Segment 5
// trial keeps the casegroup where it is and raises its own Arrears Review,
// S5.13); else its timer's action (HandleEvent) decides by
// domain::RouteMissedPayment:
// - the first missed collection places the casegroup, with its case-owning
//   work, in the COLLECTIONS segment of its country to contact the paying
//   parent (rule AR10.1, recorded as a move) when it sits where R3.2 rules 5
//   and 6 put it (new case, maintenance); a casegroup that a higher R3.2
//   rule places (SCR, international, enforcement, arrears) stays;
// - the second and later raise an Arrears Review SR (reason "Arrears
//   Routing Logic") in the owning maintenance segment, one open per case
//   (SR5.10): a casegroup that AR10.1 placed in COLLECTIONS is re-routed by
//   R3.2 first.
// The outcome is written on the event. Thread-safe.
#pragma once

#include <cstdint>

#include "absl/time/civil_time.h"
#include "cms/v1/payment.pb.h"
#include "server/app/actor.h"
#include "server/app/case_events.h"
#include "server/app/commands.h"
#include "server/app/payment_rules.h"
#include "server/app/service_requests.h"
#include "server/store/timer_repo.h"

namespace cms::app {

inline constexpr char kMissedPaymentJob[] = "MISSED_PAYMENT_JOB";
inline constexpr char kMissedPaymentEventTimer[] = "MISSED_PAYMENT_EVENT";

struct MissedPaymentRunStats {
  int64_t items_marked = 0;
  int64_t events = 0;
  int64_t batches = 0;
};

// T8.3: arms period 0 of the daily job (01:00 business time, tomorrow when
// 01:00 has passed) in the caller's command; a no-op once armed. The first
// schedule ever generated arms it, so a server with no money runs no job.
absl::Status ArmMissedPaymentJob(Command& c, const BusinessClock& clock);

class MissedPaymentApp {
 public:
  // `events` may take an event over: a procedure governing the case then
  // (the Segment 5 trial, S5.13) acts instead of the routing below.
  MissedPaymentApp(Commands& commands, ServiceRequestApp& srs, PaymentRules rules,
                   CaseEvents& events, int cases_per_batch = 1000)
      : commands_(commands),
        srs_(srs),
        rules_(rules),
        events_(events),
        cases_per_batch_(cases_per_batch) {}

  // The job's work for business day `day`, in batches of its own
  // transactions (see above).
  absl::StatusOr<MissedPaymentRunStats> RunDetection(absl::CivilDay day);
  // The periodic job's body: the day is the business day the period's
  // timer was due on.
  absl::Status RunForTimer(Command& c, const store::DueTimer& timer);
  absl::Status ListEvents(const Actor& actor, const cms::v1::ListMissedPaymentEventsRequest& req,
                          cms::v1::ListMissedPaymentEventsResponse* out);
  // The event timer's action, in the sweeper's transaction.
  absl::Status HandleEvent(Command& c, const store::DueTimer& timer);

 private:
  // One transaction: cases [first_case, last_case].
  absl::StatusOr<MissedPaymentRunStats> RunBatch(absl::CivilDay day, int64_t first_case,
                                                 int64_t last_case);

  Commands& commands_;
  ServiceRequestApp& srs_;
  const PaymentRules rules_;
  CaseEvents& events_;
  const int cases_per_batch_;
};

}  // namespace cms::app
