// WorkService (proto/cms/v1/work.proto): translation only; rules live in
// app/work.h. Thread-safe.
#pragma once

#include "cms/v1/work.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/work.h"

namespace cms::api {

class WorkService final : public cms::v1::WorkService::CallbackService {
 public:
  WorkService(RpcRunner& runner, app::WorkApp& work) : runner_(runner), work_(work) {}

  CMS_RPC(WorkService, GetNextWork, GetNextWorkRequest, ServiceRequest,
          work_.GetNextWork(actor, *req, resp))
  CMS_RPC(WorkService, AllocateWork, AllocateWorkRequest, ServiceRequest,
          work_.AllocateWork(actor, *req, resp))
  CMS_RPC(WorkService, ListMyWork, ListMyWorkRequest, ListMyWorkResponse,
          work_.ListMyWork(actor, *req, resp))
  CMS_RPC(WorkService, ListTeamWork, ListTeamWorkRequest, ListTeamWorkResponse,
          work_.ListTeamWork(actor, *req, resp))
  CMS_RPC(WorkService, ListSegmentQueue, ListSegmentQueueRequest, ListSegmentQueueResponse,
          work_.ListSegmentQueue(actor, *req, resp))
  CMS_RPC(WorkService, GetQueueStats, GetQueueStatsRequest, QueueStats,
          work_.GetQueueStats(actor, *req, resp))
  CMS_RPC(WorkService, GetTeamLoad, GetTeamLoadRequest, TeamLoad,
          work_.GetTeamLoad(actor, *req, resp))
  CMS_RPC(WorkService, CheckOrphans, CheckOrphansRequest, Orphans, work_.CheckOrphans(resp))
  CMS_RPC(WorkService, RecoverOrphans, RecoverOrphansRequest, Orphans,
          work_.RecoverOrphans(actor, *req, resp))

 private:
  RpcRunner& runner_;
  app::WorkApp& work_;
};

}  // namespace cms::api
