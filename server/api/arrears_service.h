// ArrearsService (proto/cms/v1/arrears.proto): translation only; the
// arrears rules live in app/arrears.h and domain/arrears_ladder.h.
// Thread-safe.
#pragma once

#include "cms/v1/arrears.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/arrears.h"

namespace cms::api {

class ArrearsService final : public cms::v1::ArrearsService::CallbackService {
 public:
  ArrearsService(RpcRunner& runner, app::ArrearsApp& arrears)
      : runner_(runner), arrears_(arrears) {}

  CMS_RPC(ArrearsService, GetArrearsAction, GetArrearsActionRequest, ArrearsAction,
          arrears_.Get(actor, *req, resp))
  CMS_RPC(ArrearsService, ListArrearsActions, ListArrearsActionsRequest, ListArrearsActionsResponse,
          arrears_.List(actor, *req, resp))
  CMS_RPC(ArrearsService, ListArrearsEvents, ListArrearsEventsRequest, ListArrearsEventsResponse,
          arrears_.ListEvents(actor, *req, resp))
  CMS_RPC(ArrearsService, GetArrearsRecommendation, GetArrearsRecommendationRequest,
          ArrearsRecommendation, arrears_.GetRecommendation(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordArrearsContact, RecordArrearsContactRequest, ArrearsAction,
          arrears_.RecordContact(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordPpBusinessStructure, RecordPpBusinessStructureRequest,
          ArrearsAction, arrears_.RecordBusinessStructure(actor, *req, resp))
  CMS_RPC(ArrearsService, IssueArrearsLetter, IssueArrearsLetterRequest, ArrearsAction,
          arrears_.IssueLetter(actor, *req, resp))
  CMS_RPC(ArrearsService, RequestEmploymentStatus, RequestEmploymentStatusRequest, ArrearsAction,
          arrears_.RequestEmploymentStatus(actor, *req, resp))
  CMS_RPC(ArrearsService, SetMissedPaymentMonitor, SetMissedPaymentMonitorRequest, ArrearsAction,
          arrears_.SetMonitor(actor, *req, resp))
  CMS_RPC(ArrearsService, StartFinalNegotiation, StartFinalNegotiationRequest, ArrearsAction,
          arrears_.StartFinalNegotiation(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordNegotiationOutcome, RecordNegotiationOutcomeRequest, ArrearsAction,
          arrears_.RecordNegotiationOutcome(actor, *req, resp))
  CMS_RPC(ArrearsService, ReferLiabilityOrder, ReferLiabilityOrderRequest, ArrearsAction,
          arrears_.ReferLiabilityOrder(actor, *req, resp))
  CMS_RPC(ArrearsService, RequestDisclosure, RequestDisclosureRequest, ArrearsAction,
          arrears_.RequestDisclosure(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordDisclosureOutcome, RecordDisclosureOutcomeRequest, ArrearsAction,
          arrears_.RecordDisclosureOutcome(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordRdoPayment, RecordRdoPaymentRequest, ArrearsAction,
          arrears_.RecordRdoPayment(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordAsset, RecordAssetRequest, Asset,
          arrears_.RecordAsset(actor, *req, resp))
  CMS_RPC(ArrearsService, ListAssets, ListAssetsRequest, ListAssetsResponse,
          arrears_.ListAssets(actor, *req, resp))
  CMS_RPC(ArrearsService, EndAsset, EndAssetRequest, Asset, arrears_.EndAsset(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordRpContact, RecordRpContactRequest, ArrearsAction,
          arrears_.RecordRpContact(actor, *req, resp))
  CMS_RPC(ArrearsService, AuthoriseDeductionOrder, AuthoriseDeductionOrderRequest, ArrearsAction,
          arrears_.AuthoriseDeductionOrder(actor, *req, resp))
  CMS_RPC(ArrearsService, RecordRdoViability, RecordRdoViabilityRequest, ArrearsAction,
          arrears_.RecordRdoViability(actor, *req, resp))
  CMS_RPC(ArrearsService, TakeEnforcementAction, TakeEnforcementActionRequest, ArrearsAction,
          arrears_.TakeEnforcementAction(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::ArrearsApp& arrears_;
};

}  // namespace cms::api
