// Use cases of Freedom of Information requests (AG11.3; issue 16). Whoever
// receives a request logs it; it goes to the FOI team of its country, its
// statutory deadline (domain/foi.h) armed as a durable timer that marks it
// overdue on the team's queue the day after; only the FOI team reads it
// (with service management and auditors: it names a member of the public)
// and works it to closure with the response recorded. Each change is
// audited ("foi_request"). Thread-safe.
#pragma once

#include "cms/v1/foi.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/domain/working_days.h"
#include "server/store/timer_repo.h"

namespace cms::app {

// T8.2: the day after an FOI request's deadline: overdue while open.
inline constexpr char kFoiDeadlineTimer[] = "FOI_DEADLINE";

class FoiApp {
 public:
  FoiApp(Commands& commands, const domain::WorkingDayCalendar& calendar)
      : commands_(commands), calendar_(calendar) {}

  absl::Status Create(const Actor& actor, const cms::v1::CreateFoiRequestRequest& req,
                      cms::v1::FoiRequest* out);
  absl::Status Get(const Actor& actor, const cms::v1::GetFoiRequestRequest& req,
                   cms::v1::FoiRequest* out);
  absl::Status List(const Actor& actor, const cms::v1::ListFoiRequestsRequest& req,
                    cms::v1::ListFoiRequestsResponse* out);
  absl::Status Respond(const Actor& actor, const cms::v1::RespondToFoiRequestRequest& req,
                       cms::v1::FoiRequest* out);
  // The FOI_DEADLINE timer's action: an open request becomes overdue.
  absl::Status DeadlinePassed(Command& c, const store::DueTimer& timer);

 private:
  Commands& commands_;
  const domain::WorkingDayCalendar& calendar_;
};

}  // namespace cms::app
