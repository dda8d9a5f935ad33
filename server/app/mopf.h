// Use cases of a case's service type (M7.1) and the methods of payment
// (M7.2): the paying parent's MOPF per casegroup and the receiving parent's
// MOPT per case. Every change names the SR it is made through (IN_PROGRESS,
// of the type the reference uses, on the same casegroup), which gets a note
// saying what changed; methods end, they are never deleted. A service type
// effective on a later day takes effect then, by a durable timer.
// Thread-safe.
#pragma once

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

 private:
  Commands& commands_;
};

}  // namespace cms::app
