// CasegroupService (proto/cms/v1/casegroup.proto): translation only; rules
// live in app/casegroups.h. Thread-safe.
#pragma once

#include "cms/v1/casegroup.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/casegroups.h"

namespace cms::api {

class CasegroupService final : public cms::v1::CasegroupService::CallbackService {
 public:
  CasegroupService(RpcRunner& runner, app::CasegroupApp& casegroups)
      : runner_(runner), casegroups_(casegroups) {}

  CMS_RPC(CasegroupService, CreatePerson, CreatePersonRequest, Person,
          casegroups_.CreatePerson(actor, *req, resp))
  CMS_RPC(CasegroupService, GetPerson, GetPersonRequest, Person,
          casegroups_.GetPerson(actor, *req, resp))
  CMS_RPC(CasegroupService, UpdatePerson, UpdatePersonRequest, Person,
          casegroups_.UpdatePerson(actor, *req, resp))
  CMS_RPC(CasegroupService, CreateApplication, CreateApplicationRequest, Application,
          casegroups_.CreateApplication(actor, *req, resp))
  CMS_RPC(CasegroupService, GetCase, GetCaseRequest, Case, casegroups_.GetCase(actor, *req, resp))
  CMS_RPC(CasegroupService, UpdateCase, UpdateCaseRequest, Case,
          casegroups_.UpdateCase(actor, *req, resp))
  CMS_RPC(CasegroupService, GetCasegroup, GetCasegroupRequest, Casegroup,
          casegroups_.GetCasegroup(actor, *req, resp))
  CMS_RPC(CasegroupService, ExplainRouting, ExplainRoutingRequest, RoutingExplanation,
          casegroups_.ExplainRouting(actor, *req, resp))
  CMS_RPC(CasegroupService, ListCasegroupMoves, ListCasegroupMovesRequest,
          ListCasegroupMovesResponse, casegroups_.ListCasegroupMoves(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::CasegroupApp& casegroups_;
};

}  // namespace cms::api
