// The one place timer kinds meet their actions (T8.2): every kind the use
// cases schedule, registered with the action (and, where a subject waits on
// its firings, the give-up action) that runs it. Called once while the
// server is wired, before the sweeper starts (api/server.cc). Not
// thread-safe; the registry is read-only afterwards.
#pragma once

#include "server/app/arrears.h"
#include "server/app/bom.h"
#include "server/app/compliance.h"
#include "server/app/employment.h"
#include "server/app/foi.h"
#include "server/app/missed_payments.h"
#include "server/app/mopf.h"
#include "server/app/mp.h"
#include "server/app/service_requests.h"
#include "server/jobs/timer_registry.h"

namespace cms::jobs {

// The use cases the actions run; each must outlive the registry's use.
struct TimerKindApps {
  app::BomApp& bom;
  app::ServiceRequestApp& service_requests;
  app::MopfApp& mopf;
  app::MissedPaymentApp& missed_payments;
  app::EmploymentApp& employment;
  app::ComplianceApp& compliance;
  app::ArrearsApp& arrears;
  app::FoiApp& foi;
  app::MpApp& mp;
};

void RegisterTimerKinds(const TimerKindApps& apps, TimerRegistry& timers);

}  // namespace cms::jobs
