// The need-to-know read matrix (X13.1, SR5.7): who may read and who may
// change a casegroup (and so its cases, SRs, letters, money and audit
// trail), a person, and an SR. The role matrix (auth/permissions.h) says
// which RPCs a role may call at all; this says on which records. The app
// layer gathers the facts (app/access.h); every check in the server comes
// here. Pure and thread-safe.
//
// The matrix, from the procedures (work-allocation, BOM overview, A&G):
//   * Special client records: a casegroup owned by a SPECIAL_CLIENT_RECORDS
//     segment is seen by that segment's staff only. Nobody else reads it or
//     anything under it: not service management, not auditors, not a
//     specialist with an SR on it.
//   * The owning segment's staff (caseworkers, team leaders, segment
//     managers) read and work the casegroup: work moves through the segment's
//     queue, so any of them may be given it (W4.2, W4.3).
//   * A specialist segment reads a casegroup, read-only, while it works an
//     open functionally unique SR on it ("read only access to the relevant
//     case group", work-allocation); when the SR ends, so does the access.
//   * Service management (runs the BOM, recovers orphans) and auditors (Q&A
//     sample any case or location) read every other casegroup; they change
//     none.
//   * Everyone else reads nothing of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cms/v1/bom.pb.h"
#include "cms/v1/common.pb.h"
#include "cms/v1/service_request.pb.h"

namespace cms::domain {

enum class Access { kNone = 0, kRead = 1, kWrite = 2 };

// Who asks: their role and the segment they belong to (their team's, or the
// one they manage; 0 for service management and auditors).
struct Viewer {
  cms::v1::Role role = cms::v1::ROLE_UNSPECIFIED;
  int64_t segment_id = 0;
};

// What decides access to one casegroup.
struct CasegroupFacts {
  cms::v1::ServiceSegment owning_service_segment = cms::v1::SERVICE_SEGMENT_UNSPECIFIED;
  int64_t owning_segment_id = 0;
  // The viewer's segment works an open functionally unique SR on it. Only
  // asked for when nothing else decides (NeedsFuSrFact).
  bool viewer_works_fu_sr = false;
};

// Whether the answer for (viewer, casegroup) can depend on
// `viewer_works_fu_sr`, so callers look it up only then.
bool NeedsFuSrFact(const Viewer& viewer, const CasegroupFacts& casegroup);

Access CasegroupAccess(const Viewer& viewer, const CasegroupFacts& casegroup);

// CasegroupAccess's answer when the owning segment alone decides it: its
// own staff change it, whatever else is true of it. nullopt: gather the
// facts and ask CasegroupAccess. Lets the hot path (staff working their own
// segment's casegroups) skip the query for the rest.
std::optional<Access> CasegroupAccessFromOwnerAlone(const Viewer& viewer,
                                                    int64_t owning_segment_id);

// A person is hidden while any casegroup of theirs is special client
// records the viewer may not see; otherwise the best access any of their
// casegroups gives. A person in no casegroup (an intake record) is open to
// every viewer: nothing of a case is attached yet.
Access PersonAccess(const Viewer& viewer, const std::vector<CasegroupFacts>& casegroups);

// An SR is read with its casegroup, and also by the segment that owns it (a
// specialist keeps reading the FU SR it worked after it ends). Only the
// owning segment works it (SR5.7): the casegroup's for case-owning SRs, the
// specialist's for functionally unique ones. Special client records hide it
// from everyone else.
Access SrAccess(const Viewer& viewer, int64_t sr_owning_segment_id,
                const CasegroupFacts& casegroup);

// SR5.7: only the SR's owning segment works it. The one statement of that
// rule: SrAccess, SrAccessFromOwnerAlone and MayAllocateSr ask it, and no
// other code compares a caller's segment with an SR's.
bool WorksSr(const Viewer& viewer, int64_t sr_owning_segment_id);

// SrAccess's answer when the SR alone decides it: a case-owning SR's
// owning segment is always its casegroup's owner (W4.2; R3.3 moves them
// together), so that segment works it and no casegroup facts are needed.
// nullopt: gather them and ask SrAccess. Never disagrees with SrAccess.
std::optional<Access> SrAccessFromOwnerAlone(const Viewer& viewer, cms::v1::SrKind kind,
                                             int64_t sr_owning_segment_id);

// W4.3, SR5.7: a team leader allocates (or reallocates) an SR only within
// their own team, so only while they lead one and their segment works the
// SR. The role check (team leaders only) is the role matrix's.
bool MayAllocateSr(const Viewer& viewer, bool leads_a_team, int64_t sr_owning_segment_id);

// A change the owning segment makes to a casegroup that a specialist
// segment may also make while it works an open functionally unique SR of
// the type the change belongs to (AR10.14: the Deduction Order Team records
// the PP's assets while it works a Disclosure SR on the casegroup). The
// same reader as CasegroupAccess's "a specialist segment reads it while it
// works an FU SR on it", made a writer for that change alone:
// `viewer_works_sr_of_type` is that fact gathered for the one SR type.
// kWrite: may make it; kRead: may only read the casegroup; kNone: may not
// see it (special client records hide it from every specialist).
Access CasegroupAccessThroughFuSr(const Viewer& viewer, const CasegroupFacts& casegroup,
                                  bool viewer_works_sr_of_type);

// AG11.1: an Advice and Guidance answer (of an A&G SR or of a special
// client records private request) is read on a need-to-know basis: the A&G
// team that answers it (its answering segment's staff) reads, answers and
// corrects it; the raiser and the team leader of the raising team ask it
// and read the answer (and close a private request); service management
// and auditors read it; nobody else, whatever else they may see. For an
// A&G SR the caller must also see the SR (SrAccess: special client records
// hide it), which the app checks first.
struct GuidanceFacts {
  std::string raised_by;             // the raiser's staff id
  int64_t raising_team_id = 0;       // the raiser's team (0: none)
  int64_t answering_segment_id = 0;  // the A&G segment that answers
};
// Who asks: the viewer with their staff id and team.
struct GuidanceViewer {
  Viewer viewer;
  std::string staff_id;
  int64_t team_id = 0;
};
enum class GuidanceRole { kNone = 0, kReader = 1, kAsker = 2, kAnswerer = 3 };
GuidanceRole GuidanceRoleOf(const GuidanceViewer& who, const GuidanceFacts& g);

}  // namespace cms::domain
