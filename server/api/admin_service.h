// AdminService (proto/cms/v1/admin.proto): translation only; rules live in
// app/admin.h. Thread-safe.
#pragma once

#include "cms/v1/admin.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/admin.h"

namespace cms::api {

class AdminService final : public cms::v1::AdminService::Service {
 public:
  AdminService(RpcRunner& runner, app::AdminApp& admin) : runner_(runner), admin_(admin) {}

  CMS_RPC(AdminService, GetClock, GetClockRequest, Clock, admin_.GetClock(resp))
  CMS_RPC(AdminService, SetClock, SetClockRequest, Clock, admin_.SetClock(actor, *req, resp))
  CMS_RPC(AdminService, AdvanceClock, AdvanceClockRequest, Clock,
          admin_.AdvanceClock(actor, *req, resp))
  CMS_RPC(AdminService, GetTimerStats, GetTimerStatsRequest, TimerStats, admin_.GetTimerStats(resp))
  CMS_RPC(AdminService, ListAuditEvents, ListAuditEventsRequest, ListAuditEventsResponse,
          admin_.ListAuditEvents(actor, *req, resp))
  CMS_RPC(AdminService, SetHmrcEmployment, SetHmrcEmploymentRequest, HmrcEmploymentAnswer,
          admin_.SetHmrcEmployment(actor, *req, resp))
  CMS_RPC(AdminService, SetHmrcSensitiveEmployer, SetHmrcSensitiveEmployerRequest,
          HmrcSensitiveEmployer, admin_.SetHmrcSensitiveEmployer(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::AdminApp& admin_;
};

}  // namespace cms::api
