// X13.1, SR5.7: the need-to-know read matrix (domain/access.h), as a table.
#include "server/domain/access.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

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

}  // namespace
}  // namespace cms::domain
