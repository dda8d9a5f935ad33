#include "server/jobs/timer_registry.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "cms/v1/admin.pb.h"
#include "google/protobuf/util/time_util.h"
#include "server/base/log.h"

namespace cms::jobs {

void TimerRegistry::Register(absl::string_view kind, TimerAction action, GiveUpAction on_give_up) {
  if (!kinds_.emplace(std::string(kind), Kind{std::move(action), std::move(on_give_up)}).second) {
    LogLine().Str("event", "timer kind registered twice").Str("kind", kind).Write();
    std::abort();
  }
}

const TimerAction* TimerRegistry::Find(absl::string_view kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() ? nullptr : &it->second.action;
}

const GiveUpAction* TimerRegistry::FindGiveUp(absl::string_view kind) const {
  auto it = kinds_.find(kind);
  return it == kinds_.end() || !it->second.on_give_up ? nullptr : &it->second.on_give_up;
}

std::vector<std::string> TimerRegistry::kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, unused] : kinds_) out.push_back(kind);
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

absl::Status EnableProbeTimer(store::Db& db, TimerRegistry& registry) {
  if (absl::Status table = store::EnsureTimerProbeTable(db); !table.ok()) return table;
  RegisterProbeTimer(registry);
  return absl::OkStatus();
}

}  // namespace cms::jobs
