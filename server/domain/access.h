// Who may see a casegroup (X13.1). Pure and thread-safe.
#pragma once

#include <cstdint>

#include "cms/v1/common.pb.h"

namespace cms::domain {

// A casegroup owned by a SPECIAL_CLIENT_RECORDS segment is visible only to
// staff of that very segment; any other casegroup to every staff member.
bool CanSeeCasegroup(cms::v1::ServiceSegment owning_service_segment, int64_t owning_segment_id,
                     int64_t actor_segment_id);

}  // namespace cms::domain
