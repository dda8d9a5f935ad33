// AssuranceService (proto/cms/v1/assurance.proto): translation only; the
// Q&A assurance rules live in app/assurance.h, domain/sampling.h and
// domain/assurance.h. Thread-safe.
#pragma once

#include "cms/v1/assurance.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/assurance.h"

namespace cms::api {

class AssuranceService final : public cms::v1::AssuranceService::CallbackService {
 public:
  AssuranceService(RpcRunner& runner, app::AssuranceApp& assurance)
      : runner_(runner), assurance_(assurance) {}

  CMS_RPC(AssuranceService, DrawAssuranceSample, DrawAssuranceSampleRequest, AssuranceSample,
          assurance_.Draw(actor, *req, resp))
  CMS_RPC(AssuranceService, GetAssuranceSample, GetAssuranceSampleRequest, AssuranceSample,
          assurance_.GetSample(actor, *req, resp))
  CMS_RPC(AssuranceService, ListAssuranceSamples, ListAssuranceSamplesRequest,
          ListAssuranceSamplesResponse, assurance_.ListSamples(actor, *req, resp))
  CMS_RPC(AssuranceService, RecordAssuranceCheck, RecordAssuranceCheckRequest, AssuranceCheck,
          assurance_.RecordCheck(actor, *req, resp))
  CMS_RPC(AssuranceService, GetAssuranceCheck, GetAssuranceCheckRequest, AssuranceCheck,
          assurance_.GetCheck(actor, *req, resp))
  CMS_RPC(AssuranceService, ListAssuranceChecks, ListAssuranceChecksRequest,
          ListAssuranceChecksResponse, assurance_.ListChecks(actor, *req, resp))
  CMS_RPC(AssuranceService, GiveAssuranceFeedback, GiveAssuranceFeedbackRequest, AssuranceFeedback,
          assurance_.GiveFeedback(actor, *req, resp))
  CMS_RPC(AssuranceService, ListAssuranceFeedback, ListAssuranceFeedbackRequest,
          ListAssuranceFeedbackResponse, assurance_.ListFeedback(actor, *req, resp))
  CMS_RPC(AssuranceService, AddCorrectiveAction, AddCorrectiveActionRequest, CorrectiveAction,
          assurance_.AddAction(actor, *req, resp))
  CMS_RPC(AssuranceService, CompleteCorrectiveAction, CompleteCorrectiveActionRequest,
          CorrectiveAction, assurance_.CompleteAction(actor, *req, resp))
  CMS_RPC(AssuranceService, GetCorrectiveAction, GetCorrectiveActionRequest, CorrectiveAction,
          assurance_.GetAction(actor, *req, resp))
  CMS_RPC(AssuranceService, ListCorrectiveActions, ListCorrectiveActionsRequest,
          ListCorrectiveActionsResponse, assurance_.ListActions(actor, *req, resp))
  CMS_RPC(AssuranceService, GetCoachingNeeds, GetCoachingNeedsRequest, CoachingNeeds,
          assurance_.GetCoachingNeeds(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::AssuranceApp& assurance_;
};

}  // namespace cms::api
