// ServiceRequestService (proto/cms/v1/service_request.proto): translation
// only; rules live in app/service_requests.h. Thread-safe.
#pragma once

#include "cms/v1/service_request.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/service_requests.h"

namespace cms::api {

class ServiceRequestService final : public cms::v1::ServiceRequestService::CallbackService {
 public:
  ServiceRequestService(RpcRunner& runner, app::ServiceRequestApp& srs)
      : runner_(runner), srs_(srs) {}

  CMS_RPC(ServiceRequestService, ListSrTypes, ListSrTypesRequest, ListSrTypesResponse,
          srs_.ListSrTypes(*req, resp))
  CMS_RPC(ServiceRequestService, CreateServiceRequest, CreateServiceRequestRequest,
          CreateServiceRequestResponse, srs_.Create(actor, *req, resp))
  CMS_RPC(ServiceRequestService, GetServiceRequest, GetServiceRequestRequest, ServiceRequest,
          srs_.Get(actor, *req, resp))
  CMS_RPC(ServiceRequestService, ListServiceRequests, ListServiceRequestsRequest,
          ListServiceRequestsResponse, srs_.List(actor, *req, resp))
  CMS_RPC(ServiceRequestService, ChangeServiceRequestStatus, ChangeServiceRequestStatusRequest,
          ServiceRequest, srs_.ChangeStatus(actor, *req, resp))
  CMS_RPC(ServiceRequestService, UpdateServiceRequestFields, UpdateServiceRequestFieldsRequest,
          ServiceRequest, srs_.UpdateFields(actor, *req, resp))
  CMS_RPC(ServiceRequestService, UpdateActivity, UpdateActivityRequest, ServiceRequest,
          srs_.UpdateActivity(actor, *req, resp))
  CMS_RPC(ServiceRequestService, AddActivity, AddActivityRequest, ServiceRequest,
          srs_.AddActivity(actor, *req, resp))
  CMS_RPC(ServiceRequestService, AddNote, AddNoteRequest, Note, srs_.AddNote(actor, *req, resp))
  CMS_RPC(ServiceRequestService, ListNotes, ListNotesRequest, ListNotesResponse,
          srs_.ListNotes(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::ServiceRequestApp& srs_;
};

}  // namespace cms::api
