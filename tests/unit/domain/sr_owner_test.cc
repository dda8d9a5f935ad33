// W4.2 (case-owning work follows the casegroup) and SR5.7 (functionally
// unique SRs go to the specialist segment of the subject's country): who
// owns a new SR (domain/sr_owner.h), as a table.
#include "server/domain/sr_owner.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/base/errors.h"

namespace cms::domain {
namespace {

constexpr int64_t kCasegroupSegment = 7;
constexpr int64_t kGbDot = 20;       // GB DEDUCTION_ORDER_TEAM
constexpr int64_t kGbDotSplit = 21;  // a second, newer GB DOT (after a split)
constexpr int64_t kNiDot = 30;       // NI DEDUCTION_ORDER_TEAM
constexpr int64_t kGbMaint = 40;     // GB MAINTENANCE
constexpr int64_t kGbDotRetired = 19;

const auto kGb = cms::v1::COUNTRY_GB;
const auto kNi = cms::v1::COUNTRY_NI;
const auto kDot = cms::v1::SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM;
const auto kMaint = cms::v1::SERVICE_SEGMENT_MAINTENANCE;

cms::v1::Segment S(int64_t id, cms::v1::Country country, cms::v1::ServiceSegment service,
                   cms::v1::LifecycleStatus status = cms::v1::LIFECYCLE_STATUS_ACTIVE) {
  cms::v1::Segment s;
  s.set_id(id);
  s.set_country(country);
  s.set_service_segment(service);
  s.set_status(status);
  return s;
}

SrOwnerFacts Facts(cms::v1::SrKind kind, cms::v1::Country subject_country,
                   std::vector<cms::v1::Segment> live) {
  SrOwnerFacts f;
  f.kind = kind;
  f.casegroup_segment_id = kCasegroupSegment;
  f.casegroup_allocated_to = "cw.owner";
  f.specialist = kDot;
  f.type_name = "Disclosure";
  f.subject_country = subject_country;
  f.live_segments = std::move(live);
  return f;
}

struct Row {
  std::string name;
  SrOwnerFacts facts;
  int64_t want_segment;  // 0: refused (SR5.7)
  std::string want_allocated_to;
  std::string want_rule;
};

TEST(SrOwnerTest, CaseOwningFollowsTheCasegroupFunctionallyUniqueGoesToTheSubjectsSpecialist) {
  const auto kCo = cms::v1::SR_KIND_CASE_OWNING;
  const auto kFu = cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE;
  const std::vector<cms::v1::Segment> gb = {S(kGbMaint, kGb, kMaint), S(kGbDot, kGb, kDot)};
  const std::vector<Row> rows = {
      // W4.2: the casegroup's segment and its caseworker, whatever segments
      // are live.
      {"case-owning", Facts(kCo, kGb, gb), kCasegroupSegment, "cw.owner", "W4.2"},
      {"case-owning, no facts gathered", Facts(kCo, cms::v1::COUNTRY_UNSPECIFIED, {}),
       kCasegroupSegment, "cw.owner", "W4.2"},
      {"case-owning, unallocated casegroup",
       [&] {
         SrOwnerFacts f = Facts(kCo, kGb, gb);
         f.casegroup_allocated_to.clear();
         return f;
       }(),
       kCasegroupSegment, "", "W4.2"},
      // SR5.7: the specialist of the subject's country, unallocated (its queue).
      {"FU, GB subject", Facts(kFu, kGb, gb), kGbDot, "", "SR5.7"},
      {"FU, NI subject", Facts(kFu, kNi, {S(kNiDot, kNi, kDot)}), kNiDot, "", "SR5.7"},
      // ...never another country's, even when given one.
      {"FU, NI subject, only GB DOT live", Facts(kFu, kNi, gb), 0, "", "SR5.7"},
      // ...never a retired one; the oldest live one after a split.
      {"FU, retired DOT passed over",
       Facts(
           kFu, kGb,
           {S(kGbDotRetired, kGb, kDot, cms::v1::LIFECYCLE_STATUS_RETIRED), S(kGbDot, kGb, kDot)}),
       kGbDot, "", "SR5.7"},
      {"FU, two live DOTs: the oldest",
       Facts(kFu, kGb, {S(kGbDot, kGb, kDot), S(kGbDotSplit, kGb, kDot)}), kGbDot, "", "SR5.7"},
      // No live specialist segment: refused, naming the rule.
      {"FU, no DOT live", Facts(kFu, kGb, {S(kGbMaint, kGb, kMaint)}), 0, "", "SR5.7"},
  };
  for (const Row& r : rows) {
    absl::StatusOr<SrOwner> got = ChooseSrOwner(r.facts);
    if (r.want_segment == 0) {
      ASSERT_FALSE(got.ok()) << r.name;
      EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition) << r.name;
      EXPECT_EQ(RuleOf(got.status()), r.want_rule) << r.name;
      continue;
    }
    ASSERT_TRUE(got.ok()) << r.name << ": " << got.status();
    EXPECT_EQ(got->segment_id, r.want_segment) << r.name;
    EXPECT_EQ(got->allocated_to, r.want_allocated_to) << r.name;
    EXPECT_EQ(got->rule_id, r.want_rule) << r.name;
  }
}

TEST(SrOwnerTest, TheRefusalNamesWhatIsMissing) {
  // SR5.7
  absl::StatusOr<SrOwner> got = ChooseSrOwner(Facts(cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE, kNi, {}));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "SR5.7: no live NI DEDUCTION_ORDER_TEAM segment to work Disclosure SRs");
}

TEST(SrOwnerTest, SpecialistFactsAreGatheredForFunctionallyUniqueSrsOnly) {
  // SR5.7: the subject's region and the live segments are looked up only
  // when they can decide.
  EXPECT_TRUE(NeedsSpecialistFacts(cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE));
  EXPECT_FALSE(NeedsSpecialistFacts(cms::v1::SR_KIND_CASE_OWNING));
  EXPECT_EQ(ChooseSrOwner(Facts(cms::v1::SR_KIND_UNSPECIFIED, kGb, {})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cms::domain
