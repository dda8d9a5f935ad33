// Service request rules (SR5.2–SR5.5, SR5.9): the status machine, sub
// statuses and resolution codes per type, activity plans, the fields a type
// declares (undeclared ones refused) and its mandatory ones, and the
// conditions for closing. Types come from the catalog (SrType is
// plain data). Pure and thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "cms/v1/catalog.pb.h"
#include "cms/v1/service_request.pb.h"
#include "server/base/errors.h"

namespace cms::domain {

// The sub statuses every type has, set by the server (SR5.2).
inline constexpr char kSubStatusComplete[] = "Complete";
inline constexpr char kSubStatusCancelled[] = "Cancelled";

// SR5.2: the statuses reachable from `from` in one move.
std::vector<cms::v1::SrStatus> AllowedNextStatuses(cms::v1::SrStatus from);

// SR5.2: an SR of `type` may stay in `status` to change only its sub status
// (the procedures' "update the Sub Status to Gather Additional Info"): while
// OPEN, IN_PROGRESS or WAIT, when the type has sub statuses for it.
bool MayChangeSubStatusIn(const cms::v1::SrType& type, cms::v1::SrStatus status);

struct StatusMove {
  cms::v1::SrStatus from = cms::v1::SR_STATUS_UNSPECIFIED;
  cms::v1::SrStatus to = cms::v1::SR_STATUS_UNSPECIFIED;
  std::string sub_status;
  std::string resolution_code;
};

// SR5.2: FAILED_PRECONDITION (naming the allowed moves) for an illegal move;
// INVALID_ARGUMENT naming `sub_status` / `resolution_code` when the type
// does not allow them for the target status, or a close lacks a resolution.
// A move to the status the SR is in changes its sub status only
// (MayChangeSubStatusIn), so it names one.
absl::Status CheckStatusMove(const cms::v1::SrType& type, const StatusMove& move);

// The sub status an SR gets after `move` (Complete / Cancelled on close and
// cancel; the caller's otherwise).
std::string SubStatusAfter(const StatusMove& move);

// SR5.4: the type's mandatory fields (those of `fields` marked mandatory)
// that are missing or blank.
std::vector<std::string> MissingMandatoryFields(const cms::v1::SrType& type,
                                                const std::map<std::string, std::string>& fields);

// SR5.4: the bounds of an SR's fields. A type declares at most
// kMaxSrFields, so a request holding more is refused as a whole (its
// names are not listed back); names and values fit the sr_fields columns.
inline constexpr int kMaxSrFields = 50;
inline constexpr int kMaxSrFieldNameChars = 64;
inline constexpr int kMaxSrFieldValueChars = 2000;

// SR5.4, SR5.1: why `name` cannot be a field a catalog type declares, or
// nullopt: 1..64 characters of A-Z, a-z, 0-9, space and & ' ( ) / -,
// starting with a letter, with single spaces and none at the end (so an
// update mask can name it, fields.`MOPF Action`, and an error repeats it
// as it is).
std::optional<std::string> SrFieldNameProblem(absl::string_view name);

// SR5.4: the field `type` declares under `name` (exactly), or nullptr.
const cms::v1::SrField* FindSrField(const cms::v1::SrType& type, absl::string_view name);

// SR5.4: every problem with the fields an SR of `type` is given (all of
// them on create; those an update writes), each on `fields[<name>]` (the
// name bounded as errors echo input): a name the type does not declare
// (the declared ones are listed), a value over kMaxSrFieldValueChars or
// holding a NUL or control character (FreeTextProblem). More than
// kMaxSrFields entries is one problem on `fields`. Empty when acceptable.
std::vector<FieldError> SrFieldProblems(const cms::v1::SrType& type,
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
