// ApprovalService over real gRPC and MariaDB: team-leader approval of an
// SR's step (A6.1), rejection back to the caseworker and resubmission with
// the full history (A6.2), and every refusal.
#include <gtest/gtest.h>

#include "cms/v1/approval.grpc.pb.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Approval;
using cms::v1::ServiceRequest;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kTl[] = "tl.gb.new_case.a";
constexpr char kOtherTl[] = "tl.gb.new_case.b";

class ApprovalServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { t_ = TestServer::Start(); }

  // An SR of `type` (AMEND_EXISTING_MOPF has "Pending Approval - TL"),
  // IN_PROGRESS, on a new casegroup of GB NEW_CASE.
  ServiceRequest InProgressSr(const std::string& type = "AMEND_EXISTING_MOPF") {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(
        t_->Context(kCw).get(),
        ApplicationRequest(NewPerson("Apa", "SW1A 1AA"), NewPerson("Apb", "SW1A 2AA")), &app));
    cms::v1::CreateServiceRequestRequest create;
    create.set_request_id(RandomRequestId());
    create.set_type_code(type);
    create.set_casegroup_id(app.casegroup().id());
    create.set_case_id(app.case_().id());
    create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    // SR5.4: the field only a MOPF SR declares.
    if (type == "AMEND_EXISTING_MOPF") (*create.mutable_fields())["MOPF Action"] = "Cancel DEO";
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(
        t_->service_requests().CreateServiceRequest(t_->Context(kCw).get(), create, &created));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(created.service_request().id());
    start.set_etag(created.service_request().etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    ServiceRequest sr;
    EXPECT_RPC_OK(
        t_->service_requests().ChangeServiceRequestStatus(t_->Context(kCw).get(), start, &sr));
    return sr;
  }

  ServiceRequest Reload(int64_t id) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(kCw).get(), get, &sr));
    return sr;
  }

  grpc::Status Submit(const ServiceRequest& sr, Approval* out, const std::string& staff = kCw) {
    cms::v1::SubmitForApprovalRequest req;
    req.set_request_id(RandomRequestId());
    req.set_service_request_id(sr.id());
    req.set_etag(sr.etag());
    req.set_step("DEO cancellation");
    req.set_comment("PP now pays by direct debit");
    return t_->approvals().SubmitForApproval(t_->Context(staff).get(), req, out);
  }

  grpc::Status Decide(const Approval& a, cms::v1::ApprovalState decision, const std::string& staff,
                      const std::string& comment = "Checked", Approval* out = nullptr,
                      const std::string& request_id = RandomRequestId()) {
    cms::v1::DecideApprovalRequest req;
    req.set_request_id(request_id);
    req.set_approval_id(a.id());
    req.set_decision(decision);
    req.set_comment(comment);
    Approval ignored;
    return t_->approvals().DecideApproval(t_->Context(staff).get(), req,
                                          out != nullptr ? out : &ignored);
  }

  std::vector<Approval> Inbox(const std::string& staff) {
    cms::v1::ListApprovalInboxResponse out;
    EXPECT_RPC_OK(t_->approvals().ListApprovalInbox(t_->Context(staff).get(), {}, &out));
    return {out.approvals().begin(), out.approvals().end()};
  }

  std::unique_ptr<TestServer> t_;
};

TEST_F(ApprovalServiceTest, RejectResubmitApproveKeepsTheWholeHistory) {
  // A6.1: submitting puts the SR in PENDING_APPROVAL / "Pending Approval - TL"
  // and in the inbox of the submitter's team leader.
  ServiceRequest sr = InProgressSr();
  Approval first;
  ASSERT_RPC_OK(Submit(sr, &first));
  EXPECT_EQ(first.state(), cms::v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(first.submitted_by(), kCw);
  sr = Reload(sr.id());
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(sr.sub_status(), "Pending Approval - TL");
  ASSERT_EQ(Inbox(kTl).size(), 1u);
  EXPECT_EQ(Inbox(kTl)[0].id(), first.id());
  EXPECT_TRUE(Inbox(kOtherTl).empty());

  // A6.2: rejected, the SR is back IN_PROGRESS for the caseworker.
  Approval rejected;
  ASSERT_RPC_OK(
      Decide(first, cms::v1::APPROVAL_STATE_REJECTED, kTl, "Evidence missing", &rejected));
  EXPECT_EQ(rejected.state(), cms::v1::APPROVAL_STATE_REJECTED);
  EXPECT_EQ(rejected.decided_by(), kTl);
  EXPECT_EQ(rejected.decision_comment(), "Evidence missing");
  sr = Reload(sr.id());
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_TRUE(Inbox(kTl).empty());
  // A decided approval is not decided again.
  EXPECT_TRUE(Refused(Decide(first, cms::v1::APPROVAL_STATE_APPROVED, kTl),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));

  // Resubmitted and approved.
  Approval second, approved;
  ASSERT_RPC_OK(Submit(sr, &second));
  EXPECT_NE(second.id(), first.id());
  const std::string request_id = RandomRequestId();
  ASSERT_RPC_OK(Decide(second, cms::v1::APPROVAL_STATE_APPROVED, kTl, "Evidence seen", &approved,
                       request_id));
  EXPECT_EQ(approved.state(), cms::v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(Reload(sr.id()).status(), cms::v1::SR_STATUS_IN_PROGRESS);
  // X13.4: a retried decision returns the first result.
  Approval replay;
  ASSERT_RPC_OK(
      Decide(second, cms::v1::APPROVAL_STATE_APPROVED, kTl, "Evidence seen", &replay, request_id));
  EXPECT_EQ(replay.id(), approved.id());
  EXPECT_EQ(replay.state(), cms::v1::APPROVAL_STATE_APPROVED);

  // A6.2: the history of every submission and decision, oldest first, and
  // the SR's notes say what happened.
  cms::v1::ListApprovalsRequest list;
  list.set_service_request_id(sr.id());
  cms::v1::ListApprovalsResponse history;
  ASSERT_RPC_OK(t_->approvals().ListApprovals(t_->Context("qa.auditor").get(), list, &history));
  ASSERT_EQ(history.approvals_size(), 2);
  EXPECT_EQ(history.approvals(0).state(), cms::v1::APPROVAL_STATE_REJECTED);
  EXPECT_EQ(history.approvals(1).state(), cms::v1::APPROVAL_STATE_APPROVED);
  cms::v1::ListNotesRequest notes_req;
  notes_req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes_req.set_subject_id(sr.id());
  cms::v1::ListNotesResponse notes;
  ASSERT_RPC_OK(t_->service_requests().ListNotes(t_->Context(kCw).get(), notes_req, &notes));
  ASSERT_EQ(notes.notes_size(), 4);  // two submissions, a rejection, an approval
  EXPECT_NE(notes.notes(1).text().find("rejected by tl.gb.new_case.a"), std::string::npos);
  EXPECT_NE(notes.notes(3).text().find("approved by tl.gb.new_case.a"), std::string::npos);
}

TEST_F(ApprovalServiceTest, OnlyAnotherTeamLeaderOfTheTeamDecidesWithAComment) {
  // A6.1: not a TL, another team's TL, the submitter themself, no comment.
  ServiceRequest sr = InProgressSr();
  Approval pending;
  ASSERT_RPC_OK(Submit(sr, &pending));
  EXPECT_TRUE(Refused(Decide(pending, cms::v1::APPROVAL_STATE_APPROVED, kCw),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Decide(pending, cms::v1::APPROVAL_STATE_APPROVED, kOtherTl),
                      grpc::StatusCode::PERMISSION_DENIED, "A6.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Decide(pending, cms::v1::APPROVAL_STATE_APPROVED, kTl, ""),
                      grpc::StatusCode::INVALID_ARGUMENT, "A6.1", "INVALID_FIELDS", {"comment"}));
  EXPECT_TRUE(Refused(Decide(pending, cms::v1::APPROVAL_STATE_UNSPECIFIED, kTl),
                      grpc::StatusCode::INVALID_ARGUMENT, "A6.1", "INVALID_FIELDS", {"decision"}));
  // Nothing changed: still pending, SR still waiting.
  EXPECT_EQ(Inbox(kTl).size(), 1u);
  EXPECT_EQ(Reload(sr.id()).status(), cms::v1::SR_STATUS_PENDING_APPROVAL);

  // The caseworker cannot step round the approval by changing the status.
  ServiceRequest waiting = Reload(sr.id());
  cms::v1::ChangeServiceRequestStatusRequest skip;
  skip.set_request_id(RandomRequestId());
  skip.set_id(waiting.id());
  skip.set_etag(waiting.etag());
  skip.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  ServiceRequest out;
  EXPECT_TRUE(
      Refused(t_->service_requests().ChangeServiceRequestStatus(t_->Context(kCw).get(), skip, &out),
              grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));

  // Nobody approves their own request: a TL who submits needs another TL.
  ServiceRequest own = InProgressSr();
  Approval by_tl;
  ASSERT_RPC_OK(Submit(own, &by_tl, kTl));
  EXPECT_TRUE(Refused(Decide(by_tl, cms::v1::APPROVAL_STATE_APPROVED, kTl),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
}

TEST_F(ApprovalServiceTest, SubmissionRefusals) {
  // A6.1: bad fields are named; a stale etag is ABORTED; an OPEN SR cannot
  // be submitted (SR5.2), nor a type without a TL approval step.
  ServiceRequest sr = InProgressSr();
  cms::v1::SubmitForApprovalRequest bad;
  Approval out;
  EXPECT_TRUE(Refused(t_->approvals().SubmitForApproval(t_->Context(kCw).get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "A6.1", "INVALID_FIELDS",
                      {"service_request_id", "step"}));
  ServiceRequest stale = sr;
  stale.set_etag("\"1\"");
  EXPECT_EQ(Submit(stale, &out).error_code(), grpc::StatusCode::ABORTED);

  // SR5.2: only work in progress is submitted...
  cms::v1::ChangeServiceRequestStatusRequest wait;
  wait.set_request_id(RandomRequestId());
  wait.set_id(sr.id());
  wait.set_etag(sr.etag());
  wait.set_status(cms::v1::SR_STATUS_CANCELLED);
  ServiceRequest cancelled;
  ASSERT_RPC_OK(
      t_->service_requests().ChangeServiceRequestStatus(t_->Context(kCw).get(), wait, &cancelled));
  EXPECT_TRUE(Refused(Submit(cancelled, &out), grpc::StatusCode::FAILED_PRECONDITION, "SR5.2",
                      "RULE_VIOLATION"));
  // ... and only a type with a TL approval step ("Pending Approval - TL").
  ServiceRequest income = InProgressSr("CHANGE_INCOME");
  EXPECT_TRUE(Refused(Submit(income, &out), grpc::StatusCode::FAILED_PRECONDITION, "A6.1",
                      "RULE_VIOLATION"));
  EXPECT_TRUE(Inbox(kTl).empty());
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

TEST_F(ApprovalServiceTest, A6_1_AnSrSaysWhetherItMayBeSubmittedAndWhichMovesAreLeftWhilePending) {
  ServiceRequest sr = InProgressSr();
  EXPECT_TRUE(sr.may_submit_for_approval());
  EXPECT_EQ(std::vector<int>(sr.allowed_next_statuses().begin(), sr.allowed_next_statuses().end()),
            (std::vector<int>{cms::v1::SR_STATUS_WAIT, cms::v1::SR_STATUS_CLOSED,
                              cms::v1::SR_STATUS_CANCELLED}));
  // A type without the approval step is never submittable.
  EXPECT_FALSE(InProgressSr("CHANGE_OF_ADDRESS").may_submit_for_approval());

  Approval pending;
  ASSERT_RPC_OK(Submit(sr, &pending));
  sr = Reload(sr.id());
  // Pending: no caller's move at all (the TL's decision moves it), and no
  // second submission.
  EXPECT_TRUE(sr.allowed_next_statuses().empty());
  EXPECT_FALSE(sr.may_submit_for_approval());
  ASSERT_RPC_OK(Decide(pending, cms::v1::APPROVAL_STATE_APPROVED, kTl));
  sr = Reload(sr.id());
  EXPECT_TRUE(sr.may_submit_for_approval());
  EXPECT_EQ(sr.allowed_next_statuses_size(), 3);
}

TEST_F(ApprovalServiceTest, A6_2_ATeamsDecisionHistoryNewestFirstForItsLeaderAndManager) {
  ServiceRequest first_sr = InProgressSr(), second_sr = InProgressSr();
  Approval first, second, third;
  ASSERT_RPC_OK(Submit(first_sr, &first));
  ASSERT_RPC_OK(Decide(first, cms::v1::APPROVAL_STATE_REJECTED, kTl, "Evidence missing"));
  ASSERT_RPC_OK(Submit(second_sr, &second));
  ASSERT_RPC_OK(Submit(Reload(first_sr.id()), &third));
  ASSERT_RPC_OK(Decide(third, cms::v1::APPROVAL_STATE_APPROVED, kTl));

  auto list = [&](const std::string& staff, cms::v1::ListApprovalsRequest req,
                  std::vector<int64_t>* ids) {
    req.set_page_size(2);
    for (int pages = 0; pages < 10; ++pages) {
      cms::v1::ListApprovalsResponse page;
      grpc::Status s = t_->approvals().ListApprovals(t_->Context(staff).get(), req, &page);
      if (!s.ok()) return s;
      for (const Approval& a : page.approvals()) ids->push_back(a.id());
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return grpc::Status::OK;
  };
  cms::v1::ListApprovalsRequest team;
  team.set_team_id(first.team_id());
  std::vector<int64_t> by_tl, by_sm, decided;
  ASSERT_RPC_OK(list(kTl, team, &by_tl));
  EXPECT_EQ(by_tl, (std::vector<int64_t>{third.id(), second.id(), first.id()}));
  ASSERT_RPC_OK(list("sm.gb.new_case", team, &by_sm));
  EXPECT_EQ(by_sm, by_tl);
  cms::v1::ListApprovalsRequest approved = team;
  approved.set_state(cms::v1::APPROVAL_STATE_APPROVED);
  ASSERT_RPC_OK(list(kTl, approved, &decided));
  EXPECT_EQ(decided, (std::vector<int64_t>{third.id()}));

  // Nobody else lists a team's approvals: they carry comments on clients.
  std::vector<int64_t> none;
  for (const char* staff : {kOtherTl, kCw, "sm.gb.arrears", "svc.manager"}) {
    EXPECT_TRUE(Refused(list(staff, team, &none), grpc::StatusCode::PERMISSION_DENIED, "A6.2",
                        "PERMISSION_DENIED"))
        << staff;
  }
  EXPECT_TRUE(none.empty());
  // Bad input is named.
  cms::v1::ListApprovalsRequest both = team;
  both.set_service_request_id(first_sr.id());
  EXPECT_TRUE(Refused(list(kTl, both, &none), grpc::StatusCode::INVALID_ARGUMENT, "",
                      "INVALID_FIELDS", {"team_id"}));
  cms::v1::ListApprovalsRequest unknown;
  unknown.set_team_id(999999);
  EXPECT_TRUE(Refused(list(kTl, unknown, &none), grpc::StatusCode::INVALID_ARGUMENT, "",
                      "INVALID_FIELDS", {"team_id"}));
}

}  // namespace
}  // namespace cms::testing
