#include "server/domain/access.h"

namespace cms::domain {

bool CanSeeCasegroup(cms::v1::ServiceSegment owning_service_segment, int64_t owning_segment_id,
                     int64_t actor_segment_id) {
  if (owning_service_segment != cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS) return true;
  return actor_segment_id != 0 && actor_segment_id == owning_segment_id;
}

}  // namespace cms::domain
