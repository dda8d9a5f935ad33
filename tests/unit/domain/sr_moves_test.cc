// The moves a caller may ask for (SR5.2 less A6.1's, AG11.1's and S5.4's routes),
// which every SR the server returns lists for its client.
#include "server/domain/sr_moves.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "server/base/enum_names.h"
#include "server/base/errors.h"
#include "server/domain/guidance.h"
#include "server/domain/sr_rules.h"

namespace cms::domain {
namespace {

using cms::v1::SrStatus;
using Statuses = std::vector<SrStatus>;

constexpr auto OPEN = cms::v1::SR_STATUS_OPEN;
constexpr auto IN_PROGRESS = cms::v1::SR_STATUS_IN_PROGRESS;
constexpr auto WAIT = cms::v1::SR_STATUS_WAIT;
constexpr auto PENDING = cms::v1::SR_STATUS_PENDING_APPROVAL;
constexpr auto CLOSED = cms::v1::SR_STATUS_CLOSED;
constexpr auto CANCELLED = cms::v1::SR_STATUS_CANCELLED;

cms::v1::SrType TypeOf(const std::string& code, bool approval_step) {
  cms::v1::SrType t;
  t.set_code(code);
  cms::v1::SrSubStatus* s = t.add_sub_statuses();
  s->set_name("Gather Additional Info");
  s->set_status(IN_PROGRESS);
  if (approval_step) {
    s = t.add_sub_statuses();
    s->set_name(kSubStatusPendingTl);
    s->set_status(PENDING);
  }
  return t;
}

struct Row {
  const char* type_code;
  bool approval_step;
  SrStatus from;
  Statuses caller_moves;
  bool may_submit;
};

class CallerMovesTest : public testing::TestWithParam<Row> {};

TEST_P(CallerMovesTest, TheMachineLessTheRoutesOfOtherUseCases) {
  const Row& row = GetParam();
  const cms::v1::SrType type = TypeOf(row.type_code, row.approval_step);
  EXPECT_EQ(CallerNextStatuses(type, row.from), row.caller_moves);
  EXPECT_EQ(MaySubmitForApproval(type, row.from), row.may_submit);
  // Each listed move is a route the caller may take; each move the machine
  // has but the list lacks is refused with its rule.
  for (SrStatus to : AllowedNextStatuses(row.from)) {
    const bool listed =
        std::find(row.caller_moves.begin(), row.caller_moves.end(), to) != row.caller_moves.end();
    EXPECT_EQ(CheckCallerRoute(type, row.from, to).ok(), listed) << ShortName(to);
  }
}

INSTANTIATE_TEST_SUITE_P(
    SR5_2_A6_1_AG11_1, CallerMovesTest,
    testing::Values(
        // SR5.2: the machine, PENDING_APPROVAL left out (A6.1).
        Row{"ARREARS_REVIEW", true, OPEN, {IN_PROGRESS, CANCELLED}, false},
        // SR5.2: and the status it is in, for a new sub status of it.
        Row{"ARREARS_REVIEW", true, IN_PROGRESS, {WAIT, CLOSED, CANCELLED, IN_PROGRESS}, true},
        Row{"ARREARS_REVIEW", true, WAIT, {IN_PROGRESS, CLOSED, CANCELLED}, true},
        // A6.1: a pending SR is left only by its team leader's decision.
        Row{"ARREARS_REVIEW", true, PENDING, {}, false},
        // Final statuses move no more.
        Row{"ARREARS_REVIEW", true, CLOSED, {}, false},
        Row{"ARREARS_REVIEW", true, CANCELLED, {}, false},
        // A6.1: a type without the approval step is never submitted.
        Row{"CHANGE_OF_ADDRESS", false, IN_PROGRESS, {WAIT, CLOSED, CANCELLED, IN_PROGRESS}, false},
        // AG11.1: an A&G SR is closed by its answer, but may be cancelled.
        Row{kGuidanceSrType, false, IN_PROGRESS, {WAIT, CANCELLED, IN_PROGRESS}, false},
        Row{kGuidanceSrType, false, WAIT, {IN_PROGRESS, CANCELLED}, false},
        // S5.4: the Segment 5 offer's SR ends with the PP's decision only.
        Row{kOfferComplianceOpportunitySrType, false, IN_PROGRESS, {WAIT, IN_PROGRESS}, false},
        Row{kOfferComplianceOpportunitySrType, false, OPEN, {IN_PROGRESS}, false}));

TEST(CallerRouteTest, A6_1_PendingApprovalIsEnteredAndLeftThroughApprovalService) {
  const cms::v1::SrType type = TypeOf("ARREARS_REVIEW", true);
  for (const auto& [from, to] : std::vector<std::pair<SrStatus, SrStatus>>{
           {IN_PROGRESS, PENDING}, {PENDING, IN_PROGRESS}, {PENDING, CLOSED}}) {
    absl::Status s = CheckCallerRoute(type, from, to);
    EXPECT_TRUE(absl::IsFailedPrecondition(s));
    EXPECT_EQ(RuleOf(s), "A6.1");
  }
}

TEST(CallerRouteTest, AG11_1_AnAAndGSrIsNotClosedByAStatusChange) {
  absl::Status s = CheckCallerRoute(TypeOf(kGuidanceSrType, false), IN_PROGRESS, CLOSED);
  EXPECT_TRUE(absl::IsFailedPrecondition(s));
  EXPECT_EQ(RuleOf(s), "AG11.1");
}

TEST(CallerRouteTest, S5_4_TheOfferSrIsNeitherClosedNorCancelledByAStatusChange) {
  for (SrStatus to : {CLOSED, CANCELLED}) {
    absl::Status s =
        CheckCallerRoute(TypeOf(kOfferComplianceOpportunitySrType, false), IN_PROGRESS, to);
    EXPECT_TRUE(absl::IsFailedPrecondition(s));
    EXPECT_EQ(RuleOf(s), "S5.4");
  }
}

TEST(ApprovalStepTest, A6_1_OnlyThePendingTlSubStatusOfPendingApprovalMakesTheStep) {
  EXPECT_TRUE(HasApprovalStep(TypeOf("X", true)));
  EXPECT_FALSE(HasApprovalStep(TypeOf("X", false)));
  cms::v1::SrType misplaced = TypeOf("X", false);
  cms::v1::SrSubStatus* s = misplaced.add_sub_statuses();
  s->set_name(kSubStatusPendingTl);
  s->set_status(WAIT);  // the name under another status is no approval step
  EXPECT_FALSE(HasApprovalStep(misplaced));
}

}  // namespace
}  // namespace cms::domain
