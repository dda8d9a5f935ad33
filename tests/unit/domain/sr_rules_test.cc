// SR5.2 (status machine, sub statuses, resolution codes), SR5.3 (activity
// plans), SR5.4 (declared and mandatory fields), SR5.5 (children close first), SR5.9
// (wait periods).
#include "server/domain/sr_rules.h"

#include <gtest/gtest.h>

#include "google/protobuf/text_format.h"
#include "server/base/errors.h"

namespace cms::domain {
namespace {

using cms::v1::SrStatus;

cms::v1::SrType ArrearsReview() {
  cms::v1::SrType t;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        code: "ARREARS_REVIEW"
        process: "Arrears"
        area: "Arrears Management"
        sub_area: "Arrears Review"
        kind: SR_KIND_CASE_OWNING
        fields { name: "Reason" mandatory: true }
        fields { name: "Segment 5 Case" }
        children_close_first: true
        sub_statuses { name: "Gather Additional Info" status: SR_STATUS_IN_PROGRESS }
        sub_statuses { name: "Wait State Arrears Notice" status: SR_STATUS_WAIT }
        resolution_codes: "No Action Appropriate"
        resolution_codes: "LO Initiated"
        activity_plan { name: "Check address" mandatory: true }
        activity_plan { name: "Issue letter" mandatory: false }
        default_wait_days: 7
      )pb",
      &t);
  return t;
}

constexpr auto OPEN = cms::v1::SR_STATUS_OPEN;
constexpr auto IN_PROGRESS = cms::v1::SR_STATUS_IN_PROGRESS;
constexpr auto WAIT = cms::v1::SR_STATUS_WAIT;
constexpr auto PENDING = cms::v1::SR_STATUS_PENDING_APPROVAL;
constexpr auto CLOSED = cms::v1::SR_STATUS_CLOSED;
constexpr auto CANCELLED = cms::v1::SR_STATUS_CANCELLED;

struct MoveRow {
  SrStatus from, to;
  bool legal;
};

class StatusMachineTest : public testing::TestWithParam<MoveRow> {};

// SR5.2: OPEN -> IN_PROGRESS -> (WAIT | PENDING_APPROVAL)* -> CLOSED or
// CANCELLED; CLOSED and CANCELLED are final.
TEST_P(StatusMachineTest, OnlyTheSpecifiedMovesAreLegal) {
  const MoveRow& row = GetParam();
  StatusMove move{row.from, row.to, "", row.to == CLOSED ? "LO Initiated" : ""};
  absl::Status s = CheckStatusMove(ArrearsReview(), move);
  if (row.legal) {
    EXPECT_TRUE(s.ok()) << s;
  } else {
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(RuleOf(s), "SR5.2");
    EXPECT_NE(s.message().find("allowed"), absl::string_view::npos) << s;
  }
}

INSTANTIATE_TEST_SUITE_P(
    SR5_2, StatusMachineTest,
    testing::Values(MoveRow{OPEN, IN_PROGRESS, true}, MoveRow{OPEN, CANCELLED, true},
                    MoveRow{OPEN, WAIT, false}, MoveRow{OPEN, CLOSED, false},
                    MoveRow{OPEN, PENDING, false}, MoveRow{IN_PROGRESS, WAIT, true},
                    MoveRow{IN_PROGRESS, PENDING, true}, MoveRow{IN_PROGRESS, CLOSED, true},
                    MoveRow{IN_PROGRESS, CANCELLED, true}, MoveRow{IN_PROGRESS, OPEN, false},
                    MoveRow{WAIT, IN_PROGRESS, true}, MoveRow{WAIT, PENDING, true},
                    MoveRow{WAIT, CLOSED, true}, MoveRow{WAIT, OPEN, false},
                    MoveRow{PENDING, IN_PROGRESS, true}, MoveRow{PENDING, WAIT, true},
                    MoveRow{PENDING, OPEN, false}, MoveRow{CLOSED, IN_PROGRESS, false},
                    MoveRow{CLOSED, CANCELLED, false}, MoveRow{CANCELLED, OPEN, false},
                    MoveRow{CANCELLED, IN_PROGRESS, false}));

TEST(StatusMoveTest, ClosingNeedsAResolutionCodeOfTheType) {
  // SR5.2
  auto t = ArrearsReview();
  absl::Status none = CheckStatusMove(t, {IN_PROGRESS, CLOSED, "", ""});
  EXPECT_EQ(none.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(none)[0].field, "resolution_code");
  EXPECT_FALSE(CheckStatusMove(t, {IN_PROGRESS, CLOSED, "", "Made Up"}).ok());
  EXPECT_TRUE(CheckStatusMove(t, {IN_PROGRESS, CLOSED, "", "No Action Appropriate"}).ok());
  EXPECT_FALSE(CheckStatusMove(t, {IN_PROGRESS, WAIT, "", "No Action Appropriate"}).ok());
}

TEST(StatusMoveTest, SubStatusMustBelongToTheTypeAndTargetStatus) {
  // SR5.2
  auto t = ArrearsReview();
  EXPECT_TRUE(CheckStatusMove(t, {OPEN, IN_PROGRESS, "Gather Additional Info", ""}).ok());
  EXPECT_TRUE(CheckStatusMove(t, {IN_PROGRESS, WAIT, "Wait State Arrears Notice", ""}).ok());
  absl::Status wrong_status = CheckStatusMove(t, {IN_PROGRESS, WAIT, "Gather Additional Info", ""});
  EXPECT_EQ(FieldErrorsOf(wrong_status)[0].field, "sub_status");
  EXPECT_NE(FieldErrorsOf(wrong_status)[0].description.find("Wait State Arrears Notice"),
            std::string::npos);
  EXPECT_FALSE(CheckStatusMove(t, {OPEN, IN_PROGRESS, "End of Seg 5", ""}).ok());
}

TEST(StatusMoveTest, SR5_2_StayingInAStatusChangesItsSubStatusOnly) {
  auto t = ArrearsReview();  // sub statuses under IN_PROGRESS and WAIT, none under OPEN
  EXPECT_TRUE(MayChangeSubStatusIn(t, IN_PROGRESS));
  EXPECT_TRUE(MayChangeSubStatusIn(t, WAIT));
  EXPECT_FALSE(MayChangeSubStatusIn(t, OPEN));     // the type has none for OPEN
  EXPECT_FALSE(MayChangeSubStatusIn(t, PENDING));  // the approval step's own
  EXPECT_FALSE(MayChangeSubStatusIn(t, CLOSED));
  EXPECT_FALSE(MayChangeSubStatusIn(t, CANCELLED));
  EXPECT_TRUE(CheckStatusMove(t, {IN_PROGRESS, IN_PROGRESS, "Gather Additional Info", ""}).ok());
  EXPECT_TRUE(CheckStatusMove(t, {WAIT, WAIT, "Wait State Arrears Notice", ""}).ok());
  // A stay names its new sub status, one of the status's own.
  absl::Status bare = CheckStatusMove(t, {IN_PROGRESS, IN_PROGRESS, "", ""});
  EXPECT_EQ(bare.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldErrorsOf(bare)[0].field, "sub_status");
  EXPECT_EQ(RuleOf(bare), "SR5.2");
  EXPECT_EQ(FieldErrorsOf(
                CheckStatusMove(t, {IN_PROGRESS, IN_PROGRESS, "Wait State Arrears Notice", ""}))[0]
                .field,
            "sub_status");
  // Where the type has no sub status for it, or the SR is final, there is
  // no staying: the machine's refusal.
  absl::Status open = CheckStatusMove(t, {OPEN, OPEN, "Gather Additional Info", ""});
  EXPECT_EQ(open.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckStatusMove(t, {CLOSED, CLOSED, "", "LO Initiated"}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StatusMoveTest, CloseAndCancelSetCompleteAndCancelled) {
  // SR5.2
  EXPECT_EQ(SubStatusAfter({IN_PROGRESS, CLOSED, "", "x"}), "Complete");
  EXPECT_EQ(SubStatusAfter({OPEN, CANCELLED, "", ""}), "Cancelled");
  EXPECT_EQ(SubStatusAfter({OPEN, IN_PROGRESS, "Gather Additional Info", ""}),
            "Gather Additional Info");
}

TEST(MandatoryFieldsTest, MissingOrBlankFieldsAreNamed) {
  // SR5.4
  auto t = ArrearsReview();
  EXPECT_EQ(MissingMandatoryFields(t, {}), std::vector<std::string>{"Reason"});
  EXPECT_EQ(MissingMandatoryFields(t, {{"Reason", "  "}}), std::vector<std::string>{"Reason"});
  EXPECT_TRUE(MissingMandatoryFields(t, {{"Reason", "Arrears Routing Logic"}}).empty());
}

TEST(MandatoryFieldsTest, OnlyFieldsMarkedMandatoryAreRequired) {
  // SR5.4: an optional declared field may be left out.
  auto t = ArrearsReview();
  EXPECT_TRUE(MissingMandatoryFields(t, {{"Reason", "Refusal to Pay"}}).empty());
  cms::v1::SrType none;
  none.add_fields()->set_name("Evidence");
  EXPECT_TRUE(MissingMandatoryFields(none, {}).empty());
}

TEST(DeclaredFieldsTest, NamesAFieldTheCatalogMayDeclare) {
  // SR5.4, SR5.1: names an update mask can spell and an error repeats as is.
  struct Case {
    std::string name;
    bool ok;
  };
  for (const Case& c : std::vector<Case>{
           {"Reason", true},
           {"MOPF Action", true},
           {"Segment 5 Case", true},
           {"Employer's Name (PAYE) / Ref-1 & Co", true},
           {std::string(64, 'a'), true},
           {"", false},
           {std::string(65, 'a'), false},
           {"5 Case", false},        // starts with a digit
           {" Reason", false},       // leading space
           {"Reason ", false},       // trailing space
           {"MOPF  Action", false},  // double space
           {"fields.Reason", false},
           {"`Reason`", false},
           {"Reason\t", false},
           {"Raison d\xc3\xaatre", false},  // ASCII only
       }) {
    EXPECT_EQ(SrFieldNameProblem(c.name).has_value(), !c.ok) << c.name;
  }
}

struct FieldsRow {
  std::string what;
  std::map<std::string, std::string> fields;
  std::vector<FieldError> want;  // empty: accepted
};

class DeclaredFieldsTableTest : public testing::TestWithParam<FieldsRow> {};

// SR5.4 (issue 17 defect 9): an SR holds only the fields its type declares;
// each undeclared one is named, with the declared ones in the description.
TEST_P(DeclaredFieldsTableTest, UndeclaredOrBadFieldsAreEachNamed) {
  const FieldsRow& row = GetParam();
  const std::vector<FieldError> got = SrFieldProblems(ArrearsReview(), row.fields);
  std::vector<std::string> got_fields, want_fields;
  for (const FieldError& e : got) got_fields.push_back(e.field);
  for (const FieldError& e : row.want) want_fields.push_back(e.field);
  EXPECT_EQ(got_fields, want_fields) << row.what;
  for (size_t i = 0; i < got.size() && i < row.want.size(); ++i) {
    EXPECT_NE(got[i].description.find(row.want[i].description), std::string::npos)
        << row.what << ": " << got[i].description;
  }
}

std::map<std::string, std::string> ManyKeys(int n) {
  std::map<std::string, std::string> m;
  for (int i = 0; i < n; ++i) m["key" + std::to_string(i)] = "v";
  return m;
}

INSTANTIATE_TEST_SUITE_P(
    SrFields, DeclaredFieldsTableTest,
    testing::Values(
        FieldsRow{"none", {}, {}},
        FieldsRow{"every declared field", {{"Reason", "x"}, {"Segment 5 Case", "Y"}}, {}},
        FieldsRow{"blank values are the mandatory rule's business", {{"Reason", ""}}, {}},
        FieldsRow{"one undeclared",
                  {{"Reason", "x"}, {"Evidence", "payslip"}},
                  {{"fields[Evidence]",
                    "not a field of Arrears Review SRs; its fields: Reason, Segment 5 Case"}}},
        FieldsRow{"names are exact", {{"reason", "x"}}, {{"fields[reason]", "not a field"}}},
        FieldsRow{"each undeclared named",
                  {{"A", "1"}, {"B", "2"}, {"Reason", "x"}},
                  {{"fields[A]", "not a field"}, {"fields[B]", "not a field"}}},
        FieldsRow{"an empty name", {{"", "x"}}, {{"fields[]", "not a field"}}},
        FieldsRow{"a name with controls is echoed escaped",
                  {{"Re\nason\t", "x"}},
                  {{"fields[Re\\x0aason\\x09]", "not a field"}}},
        FieldsRow{"a long name is echoed bounded",
                  {{std::string(500, 'k'), "x"}},
                  {{"fields[" + std::string(64, 'k') + "\u2026]", "not a field"}}},
        FieldsRow{
            "a value with NUL", {{"Reason", std::string("a\0b", 3)}}, {{"fields[Reason]", "NUL"}}},
        FieldsRow{"a value with a control character",
                  {{"Reason", "a\x1b"}},
                  {{"fields[Reason]", "control characters"}}},
        FieldsRow{"a value over 2000 characters",
                  {{"Reason", std::string(2001, 'x')}},
                  {{"fields[Reason]", "at most 2000 characters"}}},
        FieldsRow{"a value of 2000 characters", {{"Reason", std::string(2000, 'x')}}, {}},
        FieldsRow{"51 keys: one problem on the map, no names listed",
                  ManyKeys(51),
                  {{"fields", "at most 50 fields"}}},
        FieldsRow{"1,000 keys", ManyKeys(1000), {{"fields", "at most 50 fields"}}},
        FieldsRow{"50 undeclared keys are each named", ManyKeys(50), [] {
                    std::vector<FieldError> want;
                    for (const auto& [k, v] : ManyKeys(50)) {
                      want.push_back({"fields[" + k + "]", "not a field"});
                    }
                    return want;
                  }()}));

TEST(DeclaredFieldsTest, ATypeWithoutFieldsTakesNone) {
  // SR5.4
  cms::v1::SrType t;
  t.set_sub_area("Change of Address");
  const auto got = SrFieldProblems(t, {{"Reason", "x"}});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].field, "fields[Reason]");
  EXPECT_NE(got[0].description.find("the type declares none"), std::string::npos);
  EXPECT_TRUE(SrFieldProblems(t, {}).empty());
  EXPECT_EQ(FindSrField(ArrearsReview(), "Segment 5 Case")->name(), "Segment 5 Case");
  EXPECT_EQ(FindSrField(ArrearsReview(), "segment 5 case"), nullptr);
}

TEST(ActivityPlanTest, GeneratedInTemplateOrderAllOpen) {
  // SR5.3
  auto plan = GeneratePlan(ArrearsReview());
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].seq(), 1);
  EXPECT_EQ(plan[0].name(), "Check address");
  EXPECT_TRUE(plan[0].mandatory());
  EXPECT_EQ(plan[1].seq(), 2);
  EXPECT_FALSE(plan[1].mandatory());
  for (const auto& a : plan) EXPECT_EQ(a.status(), cms::v1::ACTIVITY_STATUS_OPEN);
}

TEST(ActivityPlanTest, Defect6_ThePlanFollowsActivitiesAddedWhileOpen) {
  // SR5.3 (issue 17, defect 6): an activity added to an OPEN SR keeps seq 1;
  // the plan generated on IN_PROGRESS numbers after it.
  auto plan = GeneratePlan(ArrearsReview(), 1);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].seq(), 2);
  EXPECT_EQ(plan[1].seq(), 3);
}

TEST(ActivityPlanTest, MandatoryActivitiesMustBeDone) {
  // SR5.3
  auto plan = GeneratePlan(ArrearsReview());
  EXPECT_TRUE(CheckActivityUpdate(plan[0], cms::v1::ACTIVITY_STATUS_DONE).ok());
  EXPECT_EQ(CheckActivityUpdate(plan[0], cms::v1::ACTIVITY_STATUS_NOT_REQUIRED).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckActivityUpdate(plan[1], cms::v1::ACTIVITY_STATUS_NOT_REQUIRED).ok());
  plan[1].set_status(cms::v1::ACTIVITY_STATUS_DONE);
  EXPECT_EQ(RuleOf(CheckActivityUpdate(plan[1], cms::v1::ACTIVITY_STATUS_NOT_REQUIRED)), "SR5.3");
  EXPECT_EQ(CheckActivityUpdate(plan[0], cms::v1::ACTIVITY_STATUS_OPEN).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CloseTest, NoOpenActivityAndNoOpenChildForChildrenFirstTypes) {
  // SR5.3, SR5.5
  auto t = ArrearsReview();
  auto plan = GeneratePlan(t);
  absl::Status open = CheckCanClose(t, plan, 0);
  EXPECT_EQ(RuleOf(open), "SR5.3");
  EXPECT_NE(open.message().find("Check address"), absl::string_view::npos);
  plan[0].set_status(cms::v1::ACTIVITY_STATUS_DONE);
  plan[1].set_status(cms::v1::ACTIVITY_STATUS_NOT_REQUIRED);
  EXPECT_TRUE(CheckCanClose(t, plan, 0).ok());
  EXPECT_EQ(RuleOf(CheckCanClose(t, plan, 2)), "SR5.5");
  t.set_children_close_first(false);
  EXPECT_TRUE(CheckCanClose(t, plan, 2).ok());
}

TEST(WaitTest, RequestedDaysElseTheTypeDefault) {
  // SR5.9
  auto t = ArrearsReview();
  EXPECT_EQ(WaitDays(t, 0), 7);
  EXPECT_EQ(WaitDays(t, 14), 14);
  t.set_default_wait_days(0);
  EXPECT_EQ(WaitDays(t, 0), 0);
}

}  // namespace
}  // namespace cms::domain
