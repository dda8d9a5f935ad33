// The audit trail of bulk work changes (X13.2): deactivating or moving a
// caseworker, retiring or splitting a segment and re-routing a casegroup
// move or release many casegroups and SRs with a few bulk statements
// (store::ChangedWork); each item still gets its own audit row with its
// before and after, written with the command's other rows in one multi-row
// insert at commit. Stateless; used inside a running command.
#pragma once

#include "server/app/commands.h"
#include "server/store/work_repo.h"

namespace cms::app {

void AuditChangedWork(Command& c, const store::ChangedWork& changed);

}  // namespace cms::app
