// Method of payment (MOPF) rules: M7.2 (the methods a paying parent pays
// by, their shares, DEO/DER details and dates) and M7.3 (the DEO desire flag
// and the 2-weekly HMRC employment re-request). Pure and thread-safe.
//
// Decisions where the SPEC is silent:
// - A method is active on `day` when start <= day < end: the end date is
//   exclusive (the first day it no longer applies), like every other
//   [from, to) period in the money rules. So end == start is allowed: a
//   method set up in error and ended the same day was never active.
// - "Active" for ValidateMopf means active on `today`. Shares of methods
//   that have ended, or that start in the future, are not in the total of
//   100 (each still needs a share of 1..100). A future-dated replacement
//   set is validated by calling ValidateMopf with its start as `today`.
// - The "mandatory DEO" tick contradicts a SELF_SELECTED subtype, so it is
//   refused there; it is allowed with MANDATORY (where it is redundant).
// - An employer is "missing" when empty or only whitespace.
// - Two methods of the same type may both be active (e.g. two DEOs with two
//   employers); nothing refuses that.
// - EndMethod ends one method; whether the remaining set is still valid
//   (shares total 100) is checked by ValidateMopf on the amended list, as an
//   amendment ends one method and adds another in the same SR. EndMethod
//   does not refuse a past end date: the SR decides the effective date.
// - NeedsHmrcRequest is true for MANDATORY and SELF_SELECTED alike.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/money.h"

namespace cms::domain {

enum class DeoSubtype { kNone, kMandatory, kSelfSelected };

struct MopfMethod {
  PaymentMethod method = PaymentMethod::kDd;
  int share_percent = 0;
  bool enforced = false;
  DeoSubtype deo_subtype = DeoSubtype::kNone;  // DEO and DER only
  bool mandatory_deo_tick = false;             // DEO and DER only
  std::string employer;                        // DEO and DER only, required
  absl::CivilDay start;
  std::optional<absl::CivilDay> end;  // exclusive; unset while open-ended
};

// DEO and DER are deductions taken by an employer.
bool IsEmployerMethod(PaymentMethod method);

// start <= day < end.
bool IsActiveOn(const MopfMethod& method, absl::CivilDay day);

// M7.2: OK, or INVALID_ARGUMENT (rule M7.2) naming every bad field:
// methods[i].share_percent (1..100), methods[i].employer and
// methods[i].deo_subtype (required for DEO/DER), methods[i].deo_subtype /
// methods[i].mandatory_deo_tick (only on DEO/DER), methods[i].end (not
// before start), and `methods` when no method is active on `today` or the
// active shares do not total exactly 100 (the message states the total).
absl::Status ValidateMopf(const std::vector<MopfMethod>& methods, absl::CivilDay today);

// The methods active on `day`, in input order.
std::vector<MopfMethod> ActiveOn(const std::vector<MopfMethod>& methods, absl::CivilDay day);

// The (method, share) pairs of the methods active on `day`, in input order:
// what GenerateSchedule splits each collection by.
std::vector<MethodShare> ActiveShares(const std::vector<MopfMethod>& methods, absl::CivilDay day);

// M7.2: a method ends, it is never deleted. `method` with its end set to
// `end`; INVALID_ARGUMENT naming `end` when it is before the start,
// FAILED_PRECONDITION (M7.2) when the method has already ended.
absl::StatusOr<MopfMethod> EndMethod(const MopfMethod& method, absl::CivilDay end);

// M7.3: the paying parent's DEO desire flag.
enum class DeoDesire { kNone, kMandatory, kSelfSelected };

// M7.3 / T8.3: days between HMRC employment re-requests.
inline constexpr int kHmrcRequestIntervalDays = 14;

// M7.3: while the flag is set and no employer is known, HMRC is asked for
// the paying parent's employment.
bool NeedsHmrcRequest(DeoDesire desire, bool employer_known);

// M7.3: the next re-request after one made on `last` (last + 14 days).
absl::CivilDay NextHmrcRequest(absl::CivilDay last);

}  // namespace cms::domain
