#include "server/domain/access.h"

#include <algorithm>

namespace cms::domain {
namespace {

bool IsSpecialClientRecords(const CasegroupFacts& g) {
  return g.owning_service_segment == cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS;
}

bool OwnsIt(const Viewer& v, const CasegroupFacts& g) {
  return v.segment_id != 0 && v.segment_id == g.owning_segment_id;
}

bool ReadsEverything(const Viewer& v) {
  return v.role == cms::v1::ROLE_SERVICE_MANAGEMENT || v.role == cms::v1::ROLE_AUDITOR;
}

}  // namespace

bool NeedsFuSrFact(const Viewer& viewer, const CasegroupFacts& g) {
  return !IsSpecialClientRecords(g) && !OwnsIt(viewer, g) && !ReadsEverything(viewer) &&
         viewer.segment_id != 0;
}

Access CasegroupAccess(const Viewer& viewer, const CasegroupFacts& g) {
  if (OwnsIt(viewer, g)) return Access::kWrite;
  if (IsSpecialClientRecords(g)) return Access::kNone;
  if (ReadsEverything(viewer)) return Access::kRead;
  if (viewer.segment_id != 0 && g.viewer_works_fu_sr) return Access::kRead;
  return Access::kNone;
}

Access PersonAccess(const Viewer& viewer, const std::vector<CasegroupFacts>& casegroups) {
  if (casegroups.empty()) return Access::kWrite;
  Access best = Access::kNone;
  for (const CasegroupFacts& g : casegroups) {
    if (IsSpecialClientRecords(g) && !OwnsIt(viewer, g)) return Access::kNone;
    best = std::max(best, CasegroupAccess(viewer, g));
  }
  return best;
}

Access SrAccess(const Viewer& viewer, int64_t sr_owning_segment_id, const CasegroupFacts& g) {
  if (IsSpecialClientRecords(g) && !OwnsIt(viewer, g)) return Access::kNone;
  if (viewer.segment_id != 0 && viewer.segment_id == sr_owning_segment_id) return Access::kWrite;
  return std::min(CasegroupAccess(viewer, g), Access::kRead);
}

}  // namespace cms::domain
