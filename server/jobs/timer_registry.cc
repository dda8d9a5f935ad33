#include "server/jobs/timer_registry.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "cms/v1/admin.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/log.h"

namespace cms::jobs {

void TimerRegistry::Register(absl::string_view kind, TimerAction action) {
  if (!actions_.emplace(std::string(kind), std::move(action)).second) {
    LogLine().Str("event", "timer kind registered twice").Str("kind", kind).Write();
    std::abort();
  }
}

const TimerAction* TimerRegistry::Find(absl::string_view kind) const {
  auto it = actions_.find(kind);
  return it == actions_.end() ? nullptr : &it->second;
}

std::vector<std::string> TimerRegistry::kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, action] : actions_) out.push_back(kind);
  return out;
}

cms::v1::TimerFiring FiringOf(const store::DueTimer& t, int64_t fired_us) {
  cms::v1::TimerFiring f;
  f.set_timer_id(t.id);
  f.set_kind(t.kind);
  f.set_subject(t.subject);
  *f.mutable_due_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(t.due_us);
  *f.mutable_fired_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(fired_us);
  return f;
}

void RegisterProbeTimer(TimerRegistry& registry) {
  registry.Register(kProbeTimer, [](app::Command& c, const store::DueTimer& t) -> absl::Status {
    absl::Status s = store::IncrementTimerProbe(c.tx(), t.subject);
    if (!s.ok()) return s;
    // The audit row names the timer that caused the effect, so a test can
    // prove each effect happened once.
    c.Audit("timer_probe", absl::StrCat(t.subject), nullptr, FiringOf(t, c.now_us()));
    return absl::OkStatus();
  });
}

}  // namespace cms::jobs
