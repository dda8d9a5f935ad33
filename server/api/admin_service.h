// AdminService (proto/cms/v1/admin.proto): translation only; rules live in
// app/admin.h, the refused-call counters in auth/refusals.h. Thread-safe.
#pragma once

#include "absl/time/clock.h"
#include "cms/v1/admin.grpc.pb.h"
#include "server/api/rpc.h"
#include "server/app/admin.h"
#include "server/auth/refusals.h"

namespace cms::api {

// X13.1: the tracker's counters as the API's SecurityStats.
void ToSecurityStats(const auth::RefusalTracker::Stats& stats, cms::v1::SecurityStats* out);

class AdminService final : public cms::v1::AdminService::CallbackService {
 public:
  AdminService(RpcRunner& runner, app::AdminApp& admin, const auth::RefusalTracker& refusals)
      : runner_(runner), admin_(admin), refusals_(refusals) {}

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
  CMS_RPC(AdminService, SetLegacyCsaCase, SetLegacyCsaCaseRequest, LegacyCsaCase,
          admin_.SetLegacyCsaCase(actor, *req, resp))
  CMS_RPC(AdminService, GetSecurityStats, GetSecurityStatsRequest, SecurityStats,
          (ToSecurityStats(refusals_.Snapshot(absl::Now()), resp), absl::OkStatus()))

 private:
  RpcRunner& runner_;
  app::AdminApp& admin_;
  const auth::RefusalTracker& refusals_;
};

}  // namespace cms::api
