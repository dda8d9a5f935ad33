// GuidanceService (proto/cms/v1/guidance.proto): translation only; the A&G
// rules live in app/guidance.h, domain/guidance.h and domain/access.h.
// Thread-safe.
#pragma once

#include "cms/v1/guidance.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/guidance.h"

namespace cms::api {

class GuidanceService final : public cms::v1::GuidanceService::CallbackService {
 public:
  GuidanceService(RpcRunner& runner, app::GuidanceApp& guidance)
      : runner_(runner), guidance_(guidance) {}

  CMS_RPC(GuidanceService, AnswerGuidanceRequest, AnswerGuidanceRequestRequest, SrGuidance,
          guidance_.AnswerSr(actor, *req, resp))
  CMS_RPC(GuidanceService, GetGuidanceAnswer, GetGuidanceAnswerRequest, SrGuidance,
          guidance_.GetSr(actor, *req, resp))
  CMS_RPC(GuidanceService, CorrectGuidanceAnswer, CorrectGuidanceAnswerRequest, GuidanceAnswer,
          guidance_.Correct(actor, *req, resp))
  CMS_RPC(GuidanceService, CreatePrivateGuidanceRequest, CreatePrivateGuidanceRequestRequest,
          PrivateGuidanceRequest, guidance_.CreatePrivate(actor, *req, resp))
  CMS_RPC(GuidanceService, GetPrivateGuidanceRequest, GetPrivateGuidanceRequestRequest,
          PrivateGuidanceRequest, guidance_.GetPrivate(actor, *req, resp))
  CMS_RPC(GuidanceService, ListPrivateGuidanceRequests, ListPrivateGuidanceRequestsRequest,
          ListPrivateGuidanceRequestsResponse, guidance_.ListPrivate(actor, *req, resp))
  CMS_RPC(GuidanceService, AnswerPrivateGuidanceRequest, AnswerPrivateGuidanceRequestRequest,
          PrivateGuidanceRequest, guidance_.AnswerPrivate(actor, *req, resp))
  CMS_RPC(GuidanceService, ClosePrivateGuidanceRequest, ClosePrivateGuidanceRequestRequest,
          PrivateGuidanceRequest, guidance_.ClosePrivate(actor, *req, resp))
  CMS_RPC(GuidanceService, ListGuidanceQueue, ListGuidanceQueueRequest, ListGuidanceQueueResponse,
          guidance_.ListQueue(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::GuidanceApp& guidance_;
};

}  // namespace cms::api
