// Use cases of Advice and Guidance requests (AG11.1; issue 16):
// * A&G answer an A&G SR inside it: the typed answer recorded (who, when)
//   and the SR closed with "Answered" through the SR status machine
//   (ServiceRequestApp::CloseByRule); the answer is read by the raiser,
//   the raiser's team leader (the team the raiser is in at the time of the
//   read), the owning A&G team, service management and auditors
//   (domain::GuidanceRoleOf), and never written into the SR (its notes and
//   fields are read by more people);
// * the special client records team asks A&G privately: the question
//   alone (domain::ValidatePrivateQuestion refuses client identifiers),
//   the country's A&G team answers, the raiser and the raising team's team
//   leader (the team recorded when it was raised) read and close it;
// * answers are immutable: corrections supersede and keep the history;
// * A&G's queue lists both kinds, oldest first, with their age.
// Each change is audited ("private_guidance_request", "guidance_answer").
// Thread-safe.
#pragma once

#include "cms/v1/guidance.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/app/service_requests.h"
#include "server/catalog/catalog.h"

namespace cms::app {

class GuidanceApp {
 public:
  GuidanceApp(Commands& commands, ServiceRequestApp& srs, const catalog::SrCatalog& catalog)
      : commands_(commands), srs_(srs), catalog_(catalog) {}

  absl::Status AnswerSr(const Actor& actor, const cms::v1::AnswerGuidanceRequestRequest& req,
                        cms::v1::SrGuidance* out);
  absl::Status GetSr(const Actor& actor, const cms::v1::GetGuidanceAnswerRequest& req,
                     cms::v1::SrGuidance* out);
  absl::Status Correct(const Actor& actor, const cms::v1::CorrectGuidanceAnswerRequest& req,
                       cms::v1::GuidanceAnswer* out);
  absl::Status CreatePrivate(const Actor& actor,
                             const cms::v1::CreatePrivateGuidanceRequestRequest& req,
                             cms::v1::PrivateGuidanceRequest* out);
  absl::Status GetPrivate(const Actor& actor, const cms::v1::GetPrivateGuidanceRequestRequest& req,
                          cms::v1::PrivateGuidanceRequest* out);
  absl::Status ListPrivate(const Actor& actor,
                           const cms::v1::ListPrivateGuidanceRequestsRequest& req,
                           cms::v1::ListPrivateGuidanceRequestsResponse* out);
  absl::Status AnswerPrivate(const Actor& actor,
                             const cms::v1::AnswerPrivateGuidanceRequestRequest& req,
                             cms::v1::PrivateGuidanceRequest* out);
  absl::Status ClosePrivate(const Actor& actor,
                            const cms::v1::ClosePrivateGuidanceRequestRequest& req,
                            cms::v1::PrivateGuidanceRequest* out);
  absl::Status ListQueue(const Actor& actor, const cms::v1::ListGuidanceQueueRequest& req,
                         cms::v1::ListGuidanceQueueResponse* out);

 private:
  Commands& commands_;
  ServiceRequestApp& srs_;
  const catalog::SrCatalog& catalog_;
};

}  // namespace cms::app
