// Use cases of the paying parent's employment (M7.3) and of calculations
// with the NDR check (M7.4).
//
// M7.3: the DEO desire flag is per casegroup (its paying parent). Setting it
// (MANDATORY or SELF_SELECTED) while no employer is known arms a periodic
// job (T8.3, timer kind HMRC_EMPLOYMENT_REQUEST) whose subject is the flag
// setting: period 0 is due at once, each later one 14 days (of business
// time) after the previous was due. Each period asks the HMRC gateway for
// the PP's NINO and records the request and answer; an employer found is
// recorded on the casegroup's employment record and raises a Change of
// Circumstance SR (Change Type "Employment found by HMRC") for review, and
// the job stops re-arming. Clearing the flag ends the setting: its pending
// timer finds it ended and does nothing. The gateway is called inside the
// sweep transaction (it is an in-process fake; a real one would want a
// timeout shorter than the lock wait).
//
// M7.4: RecordCalculation through an IN_PROGRESS Perform Calculation SR;
// an NDR above 40% of net earnings leaves the calculation PENDING_NDR and
// the SR in sub status "Determine NDR" (which cannot close until
// ResolveNdr enters a maximum NDR of at most 40%).
// Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cms/v1/payment.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/app/hmrc.h"
#include "server/app/service_requests.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// T8.3: the 2-weekly HMRC employment re-request (subject: the flag setting).
inline constexpr char kHmrcEmploymentRequestTimer[] = "HMRC_EMPLOYMENT_REQUEST";

// The PP's employer as the case knows it: the person's own record first
// (`recorded`, the first employer on the person, "" if none), else the one
// HMRC found (M7.3); empty when none is known. A read in the caller's
// transaction only when the person has none.
absl::StatusOr<std::string> KnownEmployer(store::Tx& tx, absl::string_view recorded,
                                          int64_t casegroup_id);
// The first employer recorded on the person, "" if none.
std::string FirstEmployer(const cms::v1::Person& p);

class EmploymentApp {
 public:
  EmploymentApp(Commands& commands, ServiceRequestApp& service_requests,
                HmrcEmploymentGateway& hmrc)
      : commands_(commands), service_requests_(service_requests), hmrc_(hmrc) {}

  absl::Status SetDeoDesire(const Actor& actor, const cms::v1::SetDeoDesireRequest& req,
                            cms::v1::Employment* out);
  absl::Status GetEmployment(const Actor& actor, const cms::v1::GetEmploymentRequest& req,
                             cms::v1::Employment* out);
  // SetDeoDesire as a step of a running command (e.g. the Segment 5
  // compliance opportunity, SPEC §9); the RPC runs the same body. The
  // caller has already decided who may act (no CasegroupForWrite here; the
  // casegroup must exist) and there is no caller's etag: the step locks the
  // employment version row and acts on the current setting. Arms the HMRC
  // periodic job exactly as the RPC does; audited by the command's actor.
  absl::StatusOr<cms::v1::Employment> SetDeoDesireIn(Command& c, int64_t casegroup_id,
                                                     cms::v1::DeoDesire desire);
  // AR10.5: asks HMRC for the PP's employment now (the caseworker's "Get
  // Employment Status"), as a step of a running command. An employer found
  // while none is known is recorded on the casegroup's employment record
  // (source HMRC), which stops the 2-weekly re-requests; the answer is
  // audited. The caller has decided who may act.
  absl::StatusOr<HmrcEmployment> LookUpNow(Command& c, int64_t casegroup_id);
  // The periodic job's body for one period: true to re-arm the next one.
  absl::StatusOr<bool> RequestEmployment(Command& c, const store::DueTimer& timer, int64_t period);

  absl::Status RecordCalculation(const Actor& actor, const cms::v1::RecordCalculationRequest& req,
                                 cms::v1::Calculation* out);
  absl::Status ResolveNdr(const Actor& actor, const cms::v1::ResolveNdrRequest& req,
                          cms::v1::Calculation* out);
  absl::Status GetCalculation(const Actor& actor, const cms::v1::GetCalculationRequest& req,
                              cms::v1::Calculation* out);

 private:
  absl::StatusOr<cms::v1::Employment> BuildEmployment(store::Tx& tx, int64_t casegroup_id,
                                                      absl::Time now);
  // The body of SetDeoDesire(In): locks the version row, then checks the
  // RPC caller's `etag` under it (X13.3; null for a rule's step).
  absl::StatusOr<cms::v1::Employment> SetDeoDesireStep(Command& c, int64_t casegroup_id,
                                                       cms::v1::DeoDesire desire,
                                                       const std::string* etag);

  Commands& commands_;
  ServiceRequestApp& service_requests_;
  HmrcEmploymentGateway& hmrc_;
};

}  // namespace cms::app
