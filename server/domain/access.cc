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

std::optional<Access> CasegroupAccessFromOwnerAlone(const Viewer& viewer,
                                                    int64_t owning_segment_id) {
  // The first line of CasegroupAccess, without the facts it does not need.
  if (OwnsIt(viewer, CasegroupFacts{.owning_segment_id = owning_segment_id})) return Access::kWrite;
  return std::nullopt;
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

bool WorksSr(const Viewer& viewer, int64_t sr_owning_segment_id) {
  // Staff of no segment (service management, auditors) work no SR.
  return viewer.segment_id != 0 && viewer.segment_id == sr_owning_segment_id;
}

Access SrAccess(const Viewer& viewer, int64_t sr_owning_segment_id, const CasegroupFacts& g) {
  // Special client records hide even a specialist's own SR on them.
  if (IsSpecialClientRecords(g) && !OwnsIt(viewer, g)) return Access::kNone;
  if (WorksSr(viewer, sr_owning_segment_id)) return Access::kWrite;
  // Everyone else who may read the casegroup reads its SRs, never works them.
  return std::min(CasegroupAccess(viewer, g), Access::kRead);
}

std::optional<Access> SrAccessFromOwnerAlone(const Viewer& viewer, cms::v1::SrKind kind,
                                             int64_t sr_owning_segment_id) {
  // Its owner owns the casegroup too, so SrAccess's special-client-records
  // line cannot refuse it: kWrite. A functionally unique SR's owner is a
  // specialist, whom special client records may hide: ask with the facts.
  if (kind == cms::v1::SR_KIND_CASE_OWNING && WorksSr(viewer, sr_owning_segment_id)) {
    return Access::kWrite;
  }
  return std::nullopt;
}

bool MayAllocateSr(const Viewer& viewer, bool leads_a_team, int64_t sr_owning_segment_id) {
  return leads_a_team && WorksSr(viewer, sr_owning_segment_id);
}

Access CasegroupAccessThroughFuSr(const Viewer& viewer, const CasegroupFacts& g,
                                  bool viewer_works_sr_of_type) {
  const Access access = CasegroupAccess(viewer, g);
  if (access == Access::kRead && viewer.segment_id != 0 && g.viewer_works_fu_sr &&
      viewer_works_sr_of_type) {
    return Access::kWrite;
  }
  return access;
}

GuidanceRole GuidanceRoleOf(const GuidanceViewer& who, const GuidanceFacts& g) {
  // The answering A&G team: the owner of the SR or of the private request.
  if (WorksSr(who.viewer, g.answering_segment_id)) return GuidanceRole::kAnswerer;
  if (!who.staff_id.empty() && who.staff_id == g.raised_by) return GuidanceRole::kAsker;
  if (who.viewer.role == cms::v1::ROLE_TEAM_LEADER && who.team_id != 0 &&
      who.team_id == g.raising_team_id) {
    return GuidanceRole::kAsker;
  }
  if (ReadsEverything(who.viewer)) return GuidanceRole::kReader;
  return GuidanceRole::kNone;
}

}  // namespace cms::domain
