#include "server/api/admin_service.h"

#include "google/protobuf/util/time_util.h"

namespace cms::api {

void ToSecurityStats(const auth::RefusalTracker::Stats& stats, cms::v1::SecurityStats* out) {
  for (const auto& [code, count] : stats.refused_by_code) {
    auto* r = out->add_refused();
    r->set_code(code);
    r->set_count(count);
  }
  out->set_rate_limited(stats.rate_limited);
  for (const auto& peer : stats.limited_peers) {
    auto* p = out->add_limited_peers();
    p->set_address(peer.address);
    *p->mutable_retry_after() = google::protobuf::util::TimeUtil::MillisecondsToDuration(
        absl::ToInt64Milliseconds(peer.retry_after));
  }
}

}  // namespace cms::api
