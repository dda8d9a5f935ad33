// What the money use cases (mopf.h, payments.h) share: the SR a
// change is made through (M7.1, M7.2); a note on it; and a case's service
// type history. Thread-compatible (run inside one command).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/payment.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"

namespace cms::app {

// The SR a change is made through: INVALID_ARGUMENT naming
// `service_request_id` when missing or not of this casegroup (or case);
// FAILED_PRECONDITION under `rule` unless it is an IN_PROGRESS `type_code`.
absl::Status CheckWorkingSr(store::Tx& tx, int64_t sr_id, absl::string_view type_code,
                            int64_t casegroup_id, int64_t case_id, absl::string_view rule);

// M7.1: every period of the case, oldest first, and the type in effect on
// `today`. A case never changed has one period: its type from application.
absl::StatusOr<cms::v1::ServiceTypeHistory> LoadServiceTypeHistory(store::Tx& tx,
                                                                   const cms::v1::Case& k,
                                                                   absl::CivilDay today);

}  // namespace cms::app
