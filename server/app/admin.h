// Use cases of AdminService: the business clock (T8.1), the timers'
// backlog (T8.2), the audit trail queries (X13.2) and the test harness's
// HMRC answers (M7.3) and legacy CSA cases (S5.1; test-clock servers only). Thread-safe.
#pragma once

#include <functional>

#include "absl/strings/string_view.h"
#include "cms/v1/admin.pb.h"
#include "server/app/actor.h"
#include "server/app/commands.h"
#include "server/app/hmrc.h"
#include "server/app/legacy_csa.h"

namespace cms::app {

class AdminApp {
 public:
  // `clock_changed` runs after a clock change commits (the server wakes
  // its timer sweeper with it, so due timers fire promptly).
  // `hmrc` is the fake the server asks (M7.3); the harness scripts it.
  // `legacy_csa` likewise (S5.1, S5.2).
  AdminApp(Commands& commands, std::function<void()> clock_changed, FakeHmrcGateway& hmrc,
           FakeLegacyCsaGateway& legacy_csa)
      : commands_(commands),
        clock_changed_(std::move(clock_changed)),
        hmrc_(hmrc),
        legacy_csa_(legacy_csa) {}

  absl::Status GetClock(cms::v1::Clock* out);
  absl::Status SetClock(const Actor& actor, const cms::v1::SetClockRequest& req,
                        cms::v1::Clock* out);
  absl::Status AdvanceClock(const Actor& actor, const cms::v1::AdvanceClockRequest& req,
                            cms::v1::Clock* out);
  absl::Status GetTimerStats(cms::v1::TimerStats* out);
  absl::Status ListAuditEvents(const Actor& actor, const cms::v1::ListAuditEventsRequest& req,
                               cms::v1::ListAuditEventsResponse* out);
  absl::Status SetHmrcEmployment(const Actor& actor, const cms::v1::SetHmrcEmploymentRequest& req,
                                 cms::v1::HmrcEmploymentAnswer* out);
  absl::Status SetHmrcSensitiveEmployer(const Actor& actor,
                                        const cms::v1::SetHmrcSensitiveEmployerRequest& req,
                                        cms::v1::HmrcSensitiveEmployer* out);
  // S5.1, S5.2: scripts the fake legacy CSA system (test clock only).
  absl::Status SetLegacyCsaCase(const Actor& actor, const cms::v1::SetLegacyCsaCaseRequest& req,
                                cms::v1::LegacyCsaCase* out);

 private:
  absl::Status ChangeClock(const Actor& actor, absl::string_view rpc,
                           const google::protobuf::Message& req,
                           const std::function<absl::StatusOr<absl::Time>(store::Tx&)>& change,
                           cms::v1::Clock* out);

  Commands& commands_;
  std::function<void()> clock_changed_;
  FakeHmrcGateway& hmrc_;
  FakeLegacyCsaGateway& legacy_csa_;
};

}  // namespace cms::app
