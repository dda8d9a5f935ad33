// BomService (proto/cms/v1/bom.proto): translation only; rules live in
// app/bom.h. Thread-safe.
#pragma once

#include "cms/v1/bom.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/bom.h"

namespace cms::api {

class BomService final : public cms::v1::BomService::CallbackService {
 public:
  BomService(RpcRunner& runner, app::BomApp& bom) : runner_(runner), bom_(bom) {}

  CMS_RPC(BomService, ListSegments, ListSegmentsRequest, ListSegmentsResponse,
          bom_.ListSegments(*req, resp))
  CMS_RPC(BomService, GetSegment, GetSegmentRequest, Segment, bom_.GetSegment(*req, resp))
  CMS_RPC(BomService, CreateSegment, CreateSegmentRequest, Segment,
          bom_.CreateSegment(actor, *req, resp))
  CMS_RPC(BomService, RenameSegment, RenameSegmentRequest, Segment,
          bom_.RenameSegment(actor, *req, resp))
  CMS_RPC(BomService, RetireSegment, RetireSegmentRequest, Segment,
          bom_.RetireSegment(actor, *req, resp))
  CMS_RPC(BomService, SplitSegment, SplitSegmentRequest, SplitSegmentResponse,
          bom_.SplitSegment(actor, *req, resp))
  CMS_RPC(BomService, StartRetireSegment, StartRetireSegmentRequest, Operation,
          bom_.StartRetireSegment(actor, *req, resp))
  CMS_RPC(BomService, StartSplitSegment, StartSplitSegmentRequest, Operation,
          bom_.StartSplitSegment(actor, *req, resp))
  CMS_RPC(BomService, GetOperation, GetOperationRequest, Operation, bom_.GetOperation(*req, resp))
  CMS_RPC(BomService, ListOperations, ListOperationsRequest, ListOperationsResponse,
          bom_.ListOperations(*req, resp))
  CMS_RPC(BomService, CancelOperation, CancelOperationRequest, Operation,
          bom_.CancelOperation(actor, *req, resp))
  CMS_RPC(BomService, ListTeams, ListTeamsRequest, ListTeamsResponse, bom_.ListTeams(*req, resp))
  CMS_RPC(BomService, CreateTeam, CreateTeamRequest, Team, bom_.CreateTeam(actor, *req, resp))
  CMS_RPC(BomService, RetireTeam, RetireTeamRequest, Team, bom_.RetireTeam(actor, *req, resp))
  CMS_RPC(BomService, ListStaff, ListStaffRequest, ListStaffResponse, bom_.ListStaff(*req, resp))
  CMS_RPC(BomService, GetStaffMember, GetStaffMemberRequest, StaffMember,
          bom_.GetStaffMember(*req, resp))
  CMS_RPC(BomService, AddStaffMember, AddStaffMemberRequest, StaffMember,
          bom_.AddStaffMember(actor, *req, resp))
  CMS_RPC(BomService, MoveStaffMember, MoveStaffMemberRequest, StaffMember,
          bom_.MoveStaffMember(actor, *req, resp))
  CMS_RPC(BomService, DeactivateStaffMember, DeactivateStaffMemberRequest, StaffMember,
          bom_.DeactivateStaffMember(actor, *req, resp))
  CMS_RPC(BomService, GetBomAsOf, GetBomAsOfRequest, Bom, bom_.GetBomAsOf(*req, resp))

 private:
  RpcRunner& runner_;
  app::BomApp& bom_;
};

}  // namespace cms::api
