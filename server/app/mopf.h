// Use cases of a case's service type (M7.1) and the methods of payment
// (M7.2): the paying parent's MOPF per casegroup and the receiving parent's
// MOPT per case. Every change names the SR it is made through (IN_PROGRESS,
// of the type the reference uses, on the same casegroup), which gets a note
// saying what changed; methods end, they are never deleted. A service type
// effective on a later day takes effect then, by a durable timer.
// A6.3: the RPCs never end a DEO (CancelMopfMethod of one, or SetMopf
// without one while one applies): a DEO is cancelled only by an approved
// deo_cancellation (app/deo_cancellation.h). Thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "cms/v1/payment.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// T8.2: the timer kind that puts a future-dated service type into effect.
inline constexpr char kServiceTypeEffectiveTimer[] = "SERVICE_TYPE_EFFECTIVE";

class MopfApp {
 public:
  explicit MopfApp(Commands& commands) : commands_(commands) {}

  absl::Status ChangeServiceType(const Actor& actor, const cms::v1::ChangeServiceTypeRequest& req,
                                 cms::v1::ServiceTypeHistory* out);
  absl::Status GetServiceTypeHistory(const Actor& actor,
                                     const cms::v1::GetServiceTypeHistoryRequest& req,
                                     cms::v1::ServiceTypeHistory* out);
  // The timer action: the case takes the type in effect on the timer's day.
  absl::Status ApplyServiceType(Command& c, const store::DueTimer& timer);

  absl::Status SetMopf(const Actor& actor, const cms::v1::SetMopfRequest& req, cms::v1::Mopf* out);
  absl::Status CancelMopfMethod(const Actor& actor, const cms::v1::CancelMopfMethodRequest& req,
                                cms::v1::Mopf* out);
  absl::Status GetMopf(const Actor& actor, const cms::v1::GetMopfRequest& req, cms::v1::Mopf* out);

  absl::Status SetMopt(const Actor& actor, const cms::v1::SetMoptRequest& req, cms::v1::Mopt* out);
  absl::Status CancelMopt(const Actor& actor, const cms::v1::CancelMoptRequest& req,
                          cms::v1::Mopt* out);
  absl::Status GetMopt(const Actor& actor, const cms::v1::GetMoptRequest& req, cms::v1::Mopt* out);

  // ---- The same changes as steps of a running command (e.g. a rule of
  // the server such as the Segment 5 compliance opportunity, SPEC §9): the
  // RPCs above run exactly these bodies. The caller has already decided who
  // may act (no CasegroupForWrite/CaseForWrite here) and there is no
  // caller's etag: the step locks the MOPF/MOPT version row and acts on the
  // current version. Everything else is checked here as for the RPC: the
  // SR `sr_id` must be an IN_PROGRESS SR of the type the change is made
  // through (AMEND_EXISTING_MOPF, CHANGE_TO_SERVICE_TYPE) on the same
  // casegroup and case; dates are today or later; the SR gets the same
  // note (by the command's actor) and the change the same audit row.

  // M7.1. `type`: DIRECT_PAY or COLLECT_AND_PAY; a later effective day is
  // put into effect by a SERVICE_TYPE_EFFECTIVE timer.
  absl::StatusOr<cms::v1::ServiceTypeHistory> ChangeServiceTypeIn(Command& c, int64_t case_id,
                                                                  int64_t sr_id,
                                                                  cms::v1::ServiceType type,
                                                                  absl::CivilDay effective_from);
  // M7.2: the new set from `start` (the methods' own dates are ignored):
  // validated exactly as SetMopf's (INVALID_ARGUMENT naming methods[i]...),
  // what would still apply on `start` ends the day before.
  absl::StatusOr<cms::v1::Mopf> SetMopfIn(Command& c, int64_t casegroup_id, int64_t sr_id,
                                          absl::CivilDay start,
                                          std::vector<cms::v1::MopfMethod> methods);
  // M7.2: `end` is the method's last day; what stays active totals 100% or
  // nothing, not counting the methods `ending_too` (cancelled by the same
  // decision, e.g. a DEO whose cancellation awaits approval). Unlike the
  // RPC, cancels a DEO: the caller is the approval that allows it (A6.3).
  absl::StatusOr<cms::v1::Mopf> CancelMopfMethodIn(Command& c, int64_t casegroup_id, int64_t sr_id,
                                                   int64_t method_id, absl::CivilDay end,
                                                   const std::vector<int64_t>& ending_too = {});
  // M7.2: the casegroup's methods active today. A read in the command.
  absl::StatusOr<std::vector<cms::v1::MopfMethod>> ActiveMethods(Command& c,
                                                                 int64_t casegroup_id) const;
  // The same in a read's transaction, as of `today`.
  absl::StatusOr<std::vector<cms::v1::MopfMethod>> ActiveMethods(store::Tx& tx,
                                                                 int64_t casegroup_id,
                                                                 absl::CivilDay today) const;
  // M7.2: ends the case's open MOPT; `end` is its last day.
  absl::StatusOr<cms::v1::Mopt> CancelMoptIn(Command& c, int64_t case_id, int64_t sr_id,
                                             absl::CivilDay end);

 private:
  Commands& commands_;
};

}  // namespace cms::app
