#include "server/jobs/periodic.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/base/status_macros.h"

namespace cms::jobs {
namespace {

store::TimerSpec PeriodTimer(absl::string_view kind, int64_t subject, int64_t period,
                             absl::Time due) {
  return store::PeriodicTimerSpec(std::string(kind), subject, period, due);
}

}  // namespace

void RegisterPeriodicJob(TimerRegistry& registry, absl::string_view kind, absl::Duration period,
                         PeriodicBody body) {
  registry.Register(kind,
                    [kind = std::string(kind), period, body = std::move(body)](
                        app::Command& c, const store::DueTimer& t) -> absl::Status {
                      int64_t n = 0;
                      if (!absl::SimpleAtoi(t.payload, &n)) {
                        return absl::InternalError(
                            absl::StrCat("periodic timer ", t.id, " has no period number"));
                      }
                      CMS_ASSIGN_OR_RETURN(PeriodicNext next_step, body(c, t, n));
                      if (next_step == PeriodicNext::kStop) return absl::OkStatus();
                      // The next period is due one period after this one was *due*, not after
                      // it fired, so a late firing does not drift the schedule.
                      const absl::Time next = absl::FromUnixMicros(t.due_us) + period;
                      return store::ScheduleTimer(c.tx(), PeriodTimer(kind, t.subject, n + 1, next),
                                                  c.now_us())
                          .status();
                    });
}

absl::Status StartPeriodicJob(store::Tx& tx, absl::string_view kind, int64_t subject,
                              absl::Time first_due, int64_t now_us) {
  return store::ScheduleTimer(tx, PeriodTimer(kind, subject, 0, first_due), now_us).status();
}

}  // namespace cms::jobs
