#include "server/app/changed_work.h"

#include "absl/strings/str_cat.h"

namespace cms::app {

void AuditChangedWork(Command& c, const store::ChangedWork& changed) {
  for (const auto& [before, after] : changed.casegroups) {
    c.Audit("casegroup", absl::StrCat(after.id()), &before, after);
  }
  for (const auto& [before, after] : changed.service_requests) {
    c.Audit("service_request", absl::StrCat(after.id()), &before, after);
  }
}

}  // namespace cms::app
