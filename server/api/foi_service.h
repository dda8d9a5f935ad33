// FoiService (proto/cms/v1/foi.proto): translation only; the FOI rules live
// in app/foi.h and domain/foi.h. Thread-safe.
#pragma once

#include "cms/v1/foi.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/foi.h"

namespace cms::api {

class FoiService final : public cms::v1::FoiService::CallbackService {
 public:
  FoiService(RpcRunner& runner, app::FoiApp& foi) : runner_(runner), foi_(foi) {}

  CMS_RPC(FoiService, CreateFoiRequest, CreateFoiRequestRequest, FoiRequest,
          foi_.Create(actor, *req, resp))
  CMS_RPC(FoiService, GetFoiRequest, GetFoiRequestRequest, FoiRequest, foi_.Get(actor, *req, resp))
  CMS_RPC(FoiService, ListFoiRequests, ListFoiRequestsRequest, ListFoiRequestsResponse,
          foi_.List(actor, *req, resp))
  CMS_RPC(FoiService, RespondToFoiRequest, RespondToFoiRequestRequest, FoiRequest,
          foi_.Respond(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::FoiApp& foi_;
};

}  // namespace cms::api
