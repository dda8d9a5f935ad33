// MpService (proto/cms/v1/mp.proto): translation only; the MP contact rules
// live in app/mp.h and domain/mp.h. Thread-safe.
#pragma once

#include "cms/v1/mp.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/mp.h"

namespace cms::api {

class MpService final : public cms::v1::MpService::CallbackService {
 public:
  MpService(RpcRunner& runner, app::MpApp& mp) : runner_(runner), mp_(mp) {}

  CMS_RPC(MpService, CreateMpEnquiry, CreateMpEnquiryRequest, MpEnquiry,
          mp_.Create(actor, *req, resp))
  CMS_RPC(MpService, GetMpEnquiry, GetMpEnquiryRequest, MpEnquiry, mp_.Get(actor, *req, resp))
  CMS_RPC(MpService, ListMpEnquiries, ListMpEnquiriesRequest, ListMpEnquiriesResponse,
          mp_.List(actor, *req, resp))
  CMS_RPC(MpService, ValidateMpEnquiry, ValidateMpEnquiryRequest, MpEnquiry,
          mp_.Validate(actor, *req, resp))
  CMS_RPC(MpService, AnswerMpEnquiry, AnswerMpEnquiryRequest, MpEnquiry,
          mp_.Answer(actor, *req, resp))
  CMS_RPC(MpService, CloseMpEnquiry, CloseMpEnquiryRequest, MpEnquiry, mp_.Close(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::MpApp& mp_;
};

}  // namespace cms::api
