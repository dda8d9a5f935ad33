#include "server/jobs/timer_kinds.h"

#include "absl/time/time.h"
#include "server/base/status_macros.h"
#include "server/domain/mopf.h"
#include "server/jobs/periodic.h"

namespace cms::jobs {

void RegisterTimerKinds(const TimerKindApps& apps, TimerRegistry& timers) {
  // W4.6 (issue 13): one batch of a long-running retire or split per firing;
  // each firing arms the next, so any replica carries on and a restart
  // resumes. A firing the sweeper gives up on FAILS the operation, which
  // would otherwise stay RUNNING with nothing left to run it.
  app::BomApp& bom = apps.bom;
  timers.Register(
      app::kBulkMoveTimer,
      [&bom](app::Command& c, const store::DueTimer& t) { return bom.RunBulkMoveBatch(c, t); },
      [&bom](app::Command& c, const store::DueTimer& t, const absl::Status& last_error,
             int attempts) { return bom.FailBulkMove(c, t, last_error, attempts); });
  // S5.4: day 15 of the compliance offer with no decision; S5.7: the
  // trial's end date raises the outcome SR with its proposal.
  app::ComplianceApp& compliance = apps.compliance;
  timers.Register(app::kComplianceOfferResponseTimer,
                  [&compliance](app::Command& c, const store::DueTimer& t) {
                    return compliance.OfferResponseExpired(c, t);
                  });
  timers.Register(app::kComplianceScheduledEndTimer,
                  [&compliance](app::Command& c, const store::DueTimer& t) {
                    return compliance.ScheduledEnd(c, t);
                  });
  // AR10.7: the 00:00 after an LO referral's approval moves the casegroup
  // to ENFORCEMENT.
  app::ArrearsApp& arrears = apps.arrears;
  timers.Register(app::kArrearsLoOwnershipTimer,
                  [&arrears](app::Command& c, const store::DueTimer& t) {
                    return arrears.MoveToEnforcement(c, t);
                  });
  // AR10.12: DOT's RDO Annual Review SR on the case's annual review date.
  timers.Register(app::kArrearsRdoAnnualReviewTimer,
                  [&arrears](app::Command& c, const store::DueTimer& t) {
                    return arrears.RaiseRdoAnnualReview(c, t);
                  });
  // AR10.6: the nightly RDO compliance check, 02:00 business time.
  RegisterPeriodicJob(timers, app::kArrearsRdoCheckJob, absl::Hours(24),
                      [&arrears](app::Command& c, const store::DueTimer& t,
                                 int64_t) -> absl::StatusOr<PeriodicNext> {
                        CMS_RETURN_IF_ERROR(arrears.RunRdoCheckForTimer(c, t));
                        return PeriodicNext::kRearm;
                      });
  // AG11.3: the day after an FOI request's deadline: overdue while open.
  app::FoiApp& foi = apps.foi;
  timers.Register(app::kFoiDeadlineTimer, [&foi](app::Command& c, const store::DueTimer& t) {
    return foi.DeadlinePassed(c, t);
  });
  // AG11.4: the day after an MP enquiry's deadline: overdue while unanswered.
  app::MpApp& mp = apps.mp;
  timers.Register(app::kMpDeadlineTimer, [&mp](app::Command& c, const store::DueTimer& t) {
    return mp.DeadlinePassed(c, t);
  });
  app::ServiceRequestApp& sr = apps.service_requests;
  timers.Register(app::kSrWaitExpiryTimer, [&sr](app::Command& c, const store::DueTimer& t) {
    return sr.WakeFromWait(c, t);
  });
  timers.Register(app::kActivityAlarmTimer, [&sr](app::Command& c, const store::DueTimer& t) {
    return sr.RaiseActivityAlarm(c, t);
  });
  app::MopfApp& mopf = apps.mopf;
  timers.Register(
      app::kServiceTypeEffectiveTimer,
      [&mopf](app::Command& c, const store::DueTimer& t) { return mopf.ApplyServiceType(c, t); });
  app::MissedPaymentApp& missed = apps.missed_payments;
  RegisterPeriodicJob(timers, app::kMissedPaymentJob, absl::Hours(24),
                      [&missed](app::Command& c, const store::DueTimer& t,
                                int64_t) -> absl::StatusOr<PeriodicNext> {
                        CMS_RETURN_IF_ERROR(missed.RunForTimer(c, t));
                        return PeriodicNext::kRearm;
                      });
  timers.Register(
      app::kMissedPaymentEventTimer,
      [&missed](app::Command& c, const store::DueTimer& t) { return missed.HandleEvent(c, t); });
  // M7.3 / T8.3: the 2-weekly HMRC employment re-request, until an employer
  // is known or the flag is cleared.
  app::EmploymentApp& employment = apps.employment;
  RegisterPeriodicJob(timers, app::kHmrcEmploymentRequestTimer,
                      absl::Hours(24 * domain::kHmrcRequestIntervalDays),
                      [&employment](app::Command& c, const store::DueTimer& t,
                                    int64_t period) -> absl::StatusOr<PeriodicNext> {
                        absl::StatusOr<bool> again = employment.RequestEmployment(c, t, period);
                        if (!again.ok()) return again.status();
                        return *again ? PeriodicNext::kRearm : PeriodicNext::kStop;
                      });
}

}  // namespace cms::jobs
