// Service request rules (SR5.2–SR5.5, SR5.9): the status machine, sub
// statuses and resolution codes per type, activity plans, mandatory fields
// and the conditions for closing. Types come from the catalog (SrType is
// plain data). Pure and thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cms/v1/catalog.pb.h"
#include "cms/v1/service_request.pb.h"

namespace cms::domain {

// The sub statuses every type has, set by the server (SR5.2).
inline constexpr char kSubStatusComplete[] = "Complete";
inline constexpr char kSubStatusCancelled[] = "Cancelled";

// SR5.2: the statuses reachable from `from` in one move.
std::vector<cms::v1::SrStatus> AllowedNextStatuses(cms::v1::SrStatus from);

struct StatusMove {
  cms::v1::SrStatus from = cms::v1::SR_STATUS_UNSPECIFIED;
  cms::v1::SrStatus to = cms::v1::SR_STATUS_UNSPECIFIED;
  std::string sub_status;
  std::string resolution_code;
};

// SR5.2: FAILED_PRECONDITION (naming the allowed moves) for an illegal move;
// INVALID_ARGUMENT naming `sub_status` / `resolution_code` when the type
// does not allow them for the target status, or a close lacks a resolution.
absl::Status CheckStatusMove(const cms::v1::SrType& type, const StatusMove& move);

// The sub status an SR gets after `move` (Complete / Cancelled on close and
// cancel; the caller's otherwise).
std::string SubStatusAfter(const StatusMove& move);

// SR5.4: the type's mandatory fields that are missing or blank.
std::vector<std::string> MissingMandatoryFields(const cms::v1::SrType& type,
                                                const std::map<std::string, std::string>& fields);

// SR5.3: the plan generated on the first move to IN_PROGRESS (ids unset),
// numbered after `after_seq`, the last seq of any activity added by hand
// while the SR was OPEN (issue 17, defect 6: numbering from 1 again would
// collide with them and the SR could never move).
std::vector<cms::v1::Activity> GeneratePlan(const cms::v1::SrType& type, int after_seq = 0);

// SR5.3: an OPEN activity may become DONE, or NOT_REQUIRED unless mandatory.
absl::Status CheckActivityUpdate(const cms::v1::Activity& activity, cms::v1::ActivityStatus to);

// SR5.3 and SR5.5: an SR closes only with no OPEN activity and, for types
// whose children close first, no open child SR.
absl::Status CheckCanClose(const cms::v1::SrType& type,
                           const std::vector<cms::v1::Activity>& activities, int64_t open_children);

// SR5.9: days to wait for a WAIT move (the caller's, else the type's).
int WaitDays(const cms::v1::SrType& type, int requested_days);

bool IsTerminal(cms::v1::SrStatus status);

}  // namespace cms::domain
