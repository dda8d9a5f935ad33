// ComplianceService (proto/cms/v1/compliance.proto): translation only; the
// Segment 5 rules live in app/compliance.h and domain/compliance_eligibility.h.
// Thread-safe.
#pragma once

#include "cms/v1/compliance.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/compliance.h"

namespace cms::api {

class ComplianceService final : public cms::v1::ComplianceService::CallbackService {
 public:
  ComplianceService(RpcRunner& runner, app::ComplianceApp& compliance)
      : runner_(runner), compliance_(compliance) {}

  CMS_RPC(ComplianceService, GetComplianceOpportunity, GetComplianceOpportunityRequest,
          ComplianceOpportunity, compliance_.Get(actor, *req, resp))
  CMS_RPC(ComplianceService, ListComplianceOpportunities, ListComplianceOpportunitiesRequest,
          ListComplianceOpportunitiesResponse, compliance_.List(actor, *req, resp))
  CMS_RPC(ComplianceService, ListComplianceEvents, ListComplianceEventsRequest,
          ListComplianceEventsResponse, compliance_.ListEvents(actor, *req, resp))
  CMS_RPC(ComplianceService, RecordLegacyLookup, RecordLegacyLookupRequest, ComplianceOpportunity,
          compliance_.RecordLegacyLookup(actor, *req, resp))
  CMS_RPC(ComplianceService, RecordDeoStatement, RecordDeoStatementRequest, ComplianceOpportunity,
          compliance_.RecordDeoStatement(actor, *req, resp))
  CMS_RPC(ComplianceService, RecordOfferContact, RecordOfferContactRequest, ComplianceOpportunity,
          compliance_.RecordOfferContact(actor, *req, resp))
  CMS_RPC(ComplianceService, DecideOffer, DecideOfferRequest, ComplianceOpportunity,
          compliance_.DecideOffer(actor, *req, resp))
  CMS_RPC(ComplianceService, GetTwelveMonthStatus, GetTwelveMonthStatusRequest, TwelveMonthStatus,
          compliance_.GetTwelveMonthStatus(actor, *req, resp))
  CMS_RPC(ComplianceService, RecordOutcome, RecordOutcomeRequest, ComplianceOpportunity,
          compliance_.RecordOutcome(actor, *req, resp))
  CMS_RPC(ComplianceService, RequestExtension, RequestExtensionRequest, ComplianceOpportunity,
          compliance_.RequestExtension(actor, *req, resp))
  CMS_RPC(ComplianceService, EndEarly, EndEarlyRequest, ComplianceOpportunity,
          compliance_.EndEarly(actor, *req, resp))
  CMS_RPC(ComplianceService, RecordMissedPaymentReason, RecordMissedPaymentReasonRequest,
          ComplianceOpportunity, compliance_.RecordMissedPaymentReason(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::ComplianceApp& compliance_;
};

}  // namespace cms::api
