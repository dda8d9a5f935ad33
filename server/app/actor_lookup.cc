#include "server/app/actor_lookup.h"

#include "absl/strings/str_cat.h"
#include "server/base/errors.h"
#include "server/base/status_macros.h"
#include "server/store/bom_repo.h"

namespace cms::app {

absl::StatusOr<Actor> ActorOf(Commands& commands, const std::string& staff_id,
                              const std::string& client) {
  Actor actor;
  CMS_RETURN_IF_ERROR(commands.db().RunLatest([&](store::Tx& tx) -> absl::Status {
    auto row = store::GetStaffWithSegment(tx, staff_id);
    const cms::v1::StaffMember* member = row.ok() ? &row->staff : nullptr;
    // MariaDB's PAD SPACE collations match "svc.manager " to "svc.manager":
    // only the byte-for-byte same id is that staff member.
    if (absl::IsNotFound(row.status()) || (row.ok() && member->staff_id() != staff_id)) {
      return PermissionDenied(absl::StrCat("unknown staff id ", EchoInput(staff_id)), "X13.1");
    }
    CMS_RETURN_IF_ERROR(row.status());
    if (!member->active()) {
      return PermissionDenied(absl::StrCat("staff id ", staff_id, " is deactivated"), "X13.1");
    }
    actor = Actor{member->staff_id(),   client,
                  member->role(),       member->team_id(),
                  member->segment_id(), row->segment_country,
                  row->service_segment};
    return absl::OkStatus();
  }));
  return actor;
}

}  // namespace cms::app
