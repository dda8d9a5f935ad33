// S5.14: the mixed master case, a table of the paying parent's cases and
// what a new schedule for one of them is.
#include "server/domain/compliance_mixed_master.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cms::domain {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2027, 3, 8);

MasterCaseMember Case(int64_t id, std::optional<cms::v1::ComplianceState> state = std::nullopt,
                      std::optional<absl::CivilDay> trial_end = std::nullopt) {
  MasterCaseMember m;
  m.case_id = id;
  m.opportunity_state = state;
  m.trial_end = trial_end;
  return m;
}

MasterCaseMember Closed(MasterCaseMember m) {
  m.closed = true;
  return m;
}

constexpr auto kAccepted = cms::v1::COMPLIANCE_STATE_ACCEPTED;
constexpr auto kOutcomeDue = cms::v1::COMPLIANCE_STATE_OUTCOME_DUE;

struct Row {
  const char* name;
  std::vector<MasterCaseMember> cases;
  int64_t schedule_case;
  bool mixed;
  std::vector<int64_t> under;
  std::vector<int64_t> not_under;
};

TEST(MixedMasterCase, S5_14_TheTable) {
  const std::vector<Row> rows = {
      {"one case, under a trial", {Case(1, kAccepted)}, 1, false, {1}, {}},
      {"one case, no opportunity", {Case(1)}, 1, false, {}, {1}},
      {"trial and a case without an opportunity: the other case's schedule",
       {Case(1, kAccepted, absl::CivilDay(2027, 7, 17)), Case(2)},
       2,
       true,
       {1},
       {2}},
      {"trial and a case without an opportunity: the trial case's own schedule",
       {Case(1, kAccepted), Case(2)},
       1,
       true,
       {1},
       {2}},
      {"outcome due counts as under", {Case(1, kOutcomeDue), Case(2)}, 2, true, {1}, {2}},
      {"accepted, trial not yet started (no end date)",
       {Case(1, kAccepted), Case(2)},
       2,
       true,
       {1},
       {2}},
      {"both cases under", {Case(1, kAccepted), Case(2, kOutcomeDue)}, 2, false, {1, 2}, {}},
      {"neither case under",
       {Case(1, cms::v1::COMPLIANCE_STATE_DECLINED), Case(2, cms::v1::COMPLIANCE_STATE_OFFERED)},
       2,
       false,
       {},
       {1, 2}},
      {"the trial ended on its end date: no longer under",
       {Case(1, kAccepted, kToday), Case(2)},
       2,
       false,
       {},
       {1, 2}},
      {"the day before the end date: still under",
       {Case(1, kAccepted, kToday + 1), Case(2)},
       2,
       true,
       {1},
       {2}},
      {"withdrawn, not eligible, assessing are not under",
       {Case(1, cms::v1::COMPLIANCE_STATE_WITHDRAWN),
        Case(2, cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE),
        Case(3, cms::v1::COMPLIANCE_STATE_ASSESSING)},
       3,
       false,
       {},
       {1, 2, 3}},
      {"a closed other case is left out", {Case(1, kAccepted), Closed(Case(2))}, 1, false, {1}, {}},
      {"three cases, one under", {Case(1), Case(2, kAccepted), Case(3)}, 3, true, {2}, {1, 3}},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    const absl::StatusOr<MixedMasterDecision> d =
        JudgeMixedMasterCase(row.cases, row.schedule_case, kToday);
    ASSERT_TRUE(d.ok()) << d.status();
    EXPECT_EQ(d->mixed, row.mixed) << d->explanation;
    EXPECT_THAT(d->under, ElementsAreArray(row.under));
    EXPECT_THAT(d->not_under, ElementsAreArray(row.not_under));
    EXPECT_FALSE(d->explanation.empty());
  }
}

TEST(MixedMasterCase, S5_14_TheExplanationNamesTheCasesAndTheFactsForTheReviewer) {
  MasterCaseMember trial = Case(7, kAccepted, absl::CivilDay(2027, 7, 17));
  trial.legacy_t_date = absl::CivilDay(2027, 3, 1);
  trial.legacy_link = true;
  MasterCaseMember other = Case(9);
  other.application_date = absl::CivilDay(2027, 3, 5);
  other.arrears_2012_pence = 1234;
  const auto d = JudgeMixedMasterCase({trial, other}, 9, kToday);
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(d->mixed);
  EXPECT_THAT(d->explanation, HasSubstr("S5.14"));
  EXPECT_THAT(d->explanation, HasSubstr("case 7 (ACCEPTED, trial to 2027-07-17) is under"));
  EXPECT_THAT(d->explanation, HasSubstr("case 9 (no compliance opportunity; applied 2027-03-05, "
                                        "after the PP's legacy T-date 2027-03-01; 2012 arrears "
                                        "£12.34) is not"));
  EXPECT_THAT(d->explanation, HasSubstr("schedule for case 9 is held"));
}

TEST(MixedMasterCase, S5_14_TheScheduleCaseMustBeOneOfThePayingParents) {
  const auto d = JudgeMixedMasterCase({Case(1, kAccepted), Case(2)}, 3, kToday);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MixedMasterCase, S5_14_UnderMeansAcceptedBeforeTheEndOrOutcomeDue) {
  EXPECT_TRUE(UnderComplianceOpportunity(Case(1, kAccepted), kToday));
  EXPECT_TRUE(UnderComplianceOpportunity(Case(1, kAccepted, kToday + 1), kToday));
  EXPECT_FALSE(UnderComplianceOpportunity(Case(1, kAccepted, kToday), kToday));
  EXPECT_TRUE(UnderComplianceOpportunity(Case(1, kOutcomeDue, kToday - 3), kToday));
  EXPECT_FALSE(UnderComplianceOpportunity(Case(1), kToday));
  EXPECT_FALSE(UnderComplianceOpportunity(Case(1, cms::v1::COMPLIANCE_STATE_DECLINED), kToday));
}

}  // namespace
}  // namespace cms::domain
