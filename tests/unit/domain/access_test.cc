// X13.1, SR5.7: the need-to-know read matrix (domain/access.h), as a table.
#include "server/domain/access.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cms::domain {
namespace {

constexpr int64_t kOwner = 7;       // the casegroup's owning segment
constexpr int64_t kOther = 8;       // another segment
constexpr int64_t kSpecialist = 9;  // a specialist segment (e.g. the DOT)

const auto kScr = cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS;
const auto kMaint = cms::v1::SERVICE_SEGMENT_MAINTENANCE;

Viewer V(cms::v1::Role role, int64_t segment) { return Viewer{role, segment}; }
CasegroupFacts G(cms::v1::ServiceSegment owner_kind, bool fu = false) {
  return CasegroupFacts{owner_kind, kOwner, fu};
}

struct Row {
  std::string name;
  Viewer viewer;
  CasegroupFacts casegroup;
  Access want;
};

TEST(AccessTest, CasegroupMatrix) {
  using cms::v1::ROLE_AUDITOR;
  using cms::v1::ROLE_CASEWORKER;
  using cms::v1::ROLE_SEGMENT_MANAGER;
  using cms::v1::ROLE_SERVICE_MANAGEMENT;
  using cms::v1::ROLE_TEAM_LEADER;
  const std::vector<Row> rows = {
      // The owning segment's staff read and work it.
      {"owner caseworker", V(ROLE_CASEWORKER, kOwner), G(kMaint), Access::kWrite},
      {"owner team leader", V(ROLE_TEAM_LEADER, kOwner), G(kMaint), Access::kWrite},
      {"owner segment manager", V(ROLE_SEGMENT_MANAGER, kOwner), G(kMaint), Access::kWrite},
      // Need to know: other segments read nothing...
      {"other caseworker", V(ROLE_CASEWORKER, kOther), G(kMaint), Access::kNone},
      {"other team leader", V(ROLE_TEAM_LEADER, kOther), G(kMaint), Access::kNone},
      {"other segment manager", V(ROLE_SEGMENT_MANAGER, kOther), G(kMaint), Access::kNone},
      // ...unless they work an open FU SR on it: read only.
      {"specialist with FU SR", V(ROLE_CASEWORKER, kSpecialist), G(kMaint, true), Access::kRead},
      {"specialist TL with FU SR", V(ROLE_TEAM_LEADER, kSpecialist), G(kMaint, true),
       Access::kRead},
      {"specialist without", V(ROLE_CASEWORKER, kSpecialist), G(kMaint, false), Access::kNone},
      // Service management and auditors read every ordinary casegroup.
      {"service management", V(ROLE_SERVICE_MANAGEMENT, 0), G(kMaint), Access::kRead},
      {"auditor", V(ROLE_AUDITOR, 0), G(kMaint), Access::kRead},
      // Special client records: that segment only.
      {"SCR own caseworker", V(ROLE_CASEWORKER, kOwner), G(kScr), Access::kWrite},
      {"SCR own manager", V(ROLE_SEGMENT_MANAGER, kOwner), G(kScr), Access::kWrite},
      {"SCR other caseworker", V(ROLE_CASEWORKER, kOther), G(kScr), Access::kNone},
      {"SCR specialist with FU SR", V(ROLE_CASEWORKER, kSpecialist), G(kScr, true), Access::kNone},
      {"SCR service management", V(ROLE_SERVICE_MANAGEMENT, 0), G(kScr), Access::kNone},
      {"SCR auditor", V(ROLE_AUDITOR, 0), G(kScr), Access::kNone},
      // A staff member with no segment is nobody's specialist.
      {"no segment with FU flag", V(ROLE_CASEWORKER, 0), G(kMaint, true), Access::kNone},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CasegroupAccess(r.viewer, r.casegroup), r.want) << r.name;
  }
}

TEST(AccessTest, TheFuSrFactIsAskedOnlyWhenItCanDecide) {
  EXPECT_FALSE(NeedsFuSrFact(V(cms::v1::ROLE_CASEWORKER, kOwner), G(kMaint)));
  EXPECT_FALSE(NeedsFuSrFact(V(cms::v1::ROLE_CASEWORKER, kOther), G(kScr)));
  EXPECT_FALSE(NeedsFuSrFact(V(cms::v1::ROLE_AUDITOR, 0), G(kMaint)));
  EXPECT_TRUE(NeedsFuSrFact(V(cms::v1::ROLE_CASEWORKER, kSpecialist), G(kMaint)));
}

TEST(AccessTest, PersonFollowsTheirCasegroups) {
  const Viewer owner = V(cms::v1::ROLE_CASEWORKER, kOwner);
  const Viewer other = V(cms::v1::ROLE_CASEWORKER, kOther);
  const Viewer auditor = V(cms::v1::ROLE_AUDITOR, 0);
  // An intake record in no casegroup is open to all.
  EXPECT_EQ(PersonAccess(other, {}), Access::kWrite);
  EXPECT_EQ(PersonAccess(owner, {G(kMaint)}), Access::kWrite);
  EXPECT_EQ(PersonAccess(other, {G(kMaint)}), Access::kNone);
  EXPECT_EQ(PersonAccess(auditor, {G(kMaint)}), Access::kRead);
  // The best of their casegroups...
  CasegroupFacts elsewhere{kMaint, kOther, false};
  EXPECT_EQ(PersonAccess(other, {G(kMaint), elsewhere}), Access::kWrite);
  // ...but any special client records casegroup hides them from everyone else.
  CasegroupFacts scr_elsewhere{kScr, kOther, false};
  EXPECT_EQ(PersonAccess(owner, {G(kMaint), scr_elsewhere}), Access::kNone);
  EXPECT_EQ(PersonAccess(auditor, {G(kMaint), scr_elsewhere}), Access::kNone);
  EXPECT_EQ(PersonAccess(other, {G(kMaint), scr_elsewhere}), Access::kWrite);
}

TEST(AccessTest, SrIsWorkedOnlyByItsOwningSegment) {
  // SR5.7: a case-owning SR is the casegroup owner's.
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kOwner), kOwner, G(kMaint)), Access::kWrite);
  // An FU SR is the specialist's to work; the case owner reads it.
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kSpecialist), kSpecialist, G(kMaint, true)),
            Access::kWrite);
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kOwner), kSpecialist, G(kMaint)), Access::kRead);
  // The specialist keeps reading its FU SR after it ends (no open FU SR).
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kSpecialist), kSpecialist, G(kMaint, false)),
            Access::kWrite);
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kOther), kSpecialist, G(kMaint)), Access::kNone);
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_AUDITOR, 0), kOwner, G(kMaint)), Access::kRead);
  // Special client records hide even a specialist's own SR on them.
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kSpecialist), kSpecialist, G(kScr, true)),
            Access::kNone);
  EXPECT_EQ(SrAccess(V(cms::v1::ROLE_CASEWORKER, kOwner), kSpecialist, G(kScr)), Access::kRead);
}

TEST(AccessTest, OnlyTheOwningSegmentWorksAnSr) {
  // SR5.7: the one statement of the rule (WorksSr), for every viewer.
  struct Case {
    std::string name;
    Viewer viewer;
    int64_t sr_owner;
    bool works;
  };
  const std::vector<Case> cases = {
      {"owner caseworker", V(cms::v1::ROLE_CASEWORKER, kOwner), kOwner, true},
      {"owner team leader", V(cms::v1::ROLE_TEAM_LEADER, kOwner), kOwner, true},
      {"specialist on its FU SR", V(cms::v1::ROLE_CASEWORKER, kSpecialist), kSpecialist, true},
      {"case owner on the specialist's SR", V(cms::v1::ROLE_CASEWORKER, kOwner), kSpecialist,
       false},
      {"other segment", V(cms::v1::ROLE_CASEWORKER, kOther), kOwner, false},
      {"service management", V(cms::v1::ROLE_SERVICE_MANAGEMENT, 0), kOwner, false},
      {"auditor", V(cms::v1::ROLE_AUDITOR, 0), kOwner, false},
      // No segment never matches an SR of no segment.
      {"no segment, SR of no segment", V(cms::v1::ROLE_CASEWORKER, 0), 0, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WorksSr(c.viewer, c.sr_owner), c.works) << c.name;
    // SrAccess agrees: kWrite exactly when the viewer works it (the
    // casegroup is ordinary and the viewer's own when they own the SR).
    EXPECT_EQ(SrAccess(c.viewer, c.sr_owner, G(kMaint, true)) == Access::kWrite, c.works) << c.name;
  }
}

TEST(AccessTest, TheOwnerAloneShortcutsNeverDisagreeWithTheMatrix) {
  // X13.1, SR5.7, W4.2: the hot paths that skip gathering casegroup facts
  // answer only what the full matrix answers.
  const std::vector<Viewer> viewers = {
      V(cms::v1::ROLE_CASEWORKER, kOwner),    V(cms::v1::ROLE_TEAM_LEADER, kOwner),
      V(cms::v1::ROLE_CASEWORKER, kOther),    V(cms::v1::ROLE_CASEWORKER, kSpecialist),
      V(cms::v1::ROLE_SERVICE_MANAGEMENT, 0), V(cms::v1::ROLE_AUDITOR, 0),
      V(cms::v1::ROLE_CASEWORKER, 0)};
  for (const Viewer& v : viewers) {
    for (auto kind : {kMaint, kScr}) {
      for (bool fu : {false, true}) {
        const CasegroupFacts g = G(kind, fu);
        const std::string where =
            absl::StrCat("viewer segment ", v.segment_id, " role ", static_cast<int>(v.role),
                         " owner kind ", static_cast<int>(kind), " fu ", fu ? "yes" : "no");
        if (auto known = CasegroupAccessFromOwnerAlone(v, g.owning_segment_id)) {
          EXPECT_EQ(*known, CasegroupAccess(v, g)) << where;
        }
        // A case-owning SR is owned by its casegroup's owner (W4.2).
        if (auto known = SrAccessFromOwnerAlone(v, cms::v1::SR_KIND_CASE_OWNING, kOwner)) {
          EXPECT_EQ(*known, SrAccess(v, kOwner, g)) << where;
        }
        // A functionally unique SR is never decided without the facts:
        // special client records may hide it even from its specialist.
        EXPECT_FALSE(SrAccessFromOwnerAlone(v, cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE, kSpecialist)
                         .has_value())
            << where;
      }
    }
  }
  // The shortcut is taken by the owner's own staff, and only by them.
  EXPECT_EQ(CasegroupAccessFromOwnerAlone(V(cms::v1::ROLE_CASEWORKER, kOwner), kOwner),
            Access::kWrite);
  EXPECT_FALSE(CasegroupAccessFromOwnerAlone(V(cms::v1::ROLE_CASEWORKER, kOther), kOwner));
  EXPECT_FALSE(CasegroupAccessFromOwnerAlone(V(cms::v1::ROLE_AUDITOR, 0), kOwner));
  EXPECT_EQ(SrAccessFromOwnerAlone(V(cms::v1::ROLE_CASEWORKER, kOwner),
                                   cms::v1::SR_KIND_CASE_OWNING, kOwner),
            Access::kWrite);
}

TEST(AccessTest, ATeamLeaderAllocatesOnlyWorkTheirSegmentWorks) {
  // W4.3, SR5.7: within their own team, so only while leading one, and only
  // SRs their segment works.
  const Viewer tl = V(cms::v1::ROLE_TEAM_LEADER, kOwner);
  EXPECT_TRUE(MayAllocateSr(tl, /*leads_a_team=*/true, kOwner));
  EXPECT_FALSE(MayAllocateSr(tl, /*leads_a_team=*/false, kOwner));
  EXPECT_FALSE(MayAllocateSr(tl, true, kSpecialist));  // the specialist's FU SR
  EXPECT_TRUE(MayAllocateSr(V(cms::v1::ROLE_TEAM_LEADER, kSpecialist), true, kSpecialist));
  EXPECT_FALSE(MayAllocateSr(V(cms::v1::ROLE_TEAM_LEADER, kOther), true, kOwner));
  EXPECT_FALSE(MayAllocateSr(V(cms::v1::ROLE_SERVICE_MANAGEMENT, 0), true, kOwner));
}

TEST(AccessTest, AR10_14_ASpecialistChangesOnlyThroughTheFuSrTypeThatAllowsIt) {
  using cms::v1::ROLE_CASEWORKER;
  const Viewer dot = V(ROLE_CASEWORKER, kSpecialist);
  // The owner always; the DOT while it works a Disclosure SR on it, and
  // reads only while it works another FU SR; nobody through special client
  // records, service management never.
  EXPECT_EQ(CasegroupAccessThroughFuSr(V(ROLE_CASEWORKER, kOwner), G(kMaint), false),
            Access::kWrite);
  EXPECT_EQ(CasegroupAccessThroughFuSr(dot, G(kMaint, true), true), Access::kWrite);
  EXPECT_EQ(CasegroupAccessThroughFuSr(dot, G(kMaint, true), false), Access::kRead);
  EXPECT_EQ(CasegroupAccessThroughFuSr(dot, G(kMaint, false), false), Access::kNone);
  EXPECT_EQ(CasegroupAccessThroughFuSr(dot, G(kScr, true), true), Access::kNone);
  EXPECT_EQ(CasegroupAccessThroughFuSr(V(cms::v1::ROLE_SERVICE_MANAGEMENT, 0), G(kMaint), true),
            Access::kRead);
  EXPECT_EQ(CasegroupAccessThroughFuSr(V(ROLE_CASEWORKER, kOther), G(kMaint), false),
            Access::kNone);
}

}  // namespace
}  // namespace cms::domain
