// The end of a Segment 5 trial over a real database and a real server
// (S5.8–S5.12, S5.16–S5.18, AR10.9, A6.3): the outcome and UTP check and
// what each carries out, the team leader's approvals that act, extensions,
// early ends by hand and by a benefit notification, the missed-payment
// branch, and the refusals (X13.3–X13.5, SR5.7).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/compliance_fixture.h"

namespace cms::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

cms::v1::Date D(int y, int m, int d) {
  cms::v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class ComplianceOutcomeTest : public ComplianceTest {
 protected:
  // The team leader of the caseworker's team: cw.gb.x.a1 -> tl.gb.x.a.
  std::string Tl() const {
    std::string tl = "tl" + cw_.substr(2);
    tl.pop_back();
    return tl;
  }

  // An accepted trial from 11 January 2027 (end 17 July), each DD paid on
  // time up to `paid_until` but item `late_item`.
  cms::v1::Application Accepted(const Trial& s, cms::v1::Schedule* schedule = nullptr) {
    const cms::v1::Application app = Apply(s);
    ComplianceOpportunity opp = Opp(app.case_().id());
    EXPECT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
    const cms::v1::Schedule made = GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
    if (schedule != nullptr) *schedule = made;
    cw_ = CaseworkerOfOwner(*t_, app.casegroup().id());  // the schedule moves the case on
    return app;
  }

  Trial SelfEmployed() {
    Trial t;
    t.employed = false;
    t.self_employed = true;  // 100% DD
    return t;
  }

  // To the end date (17 July) with every DD paid but `late_item`.
  ComplianceOpportunity ToTheEnd(const cms::v1::Application& app, const cms::v1::Schedule& s,
                                 int late_item = -1) {
    Advance(190);  // 13 July
    PayDirectDebits(app.case_().id(), s, absl::CivilDay(2027, 7, 17), late_item);
    Advance(4);  // 17 July
    EXPECT_TRUE(Eventually(
        [&] { return Opp(app.case_().id()).state() == cms::v1::COMPLIANCE_STATE_OUTCOME_DUE; }));
    return Opp(app.case_().id());
  }

  grpc::Status Record(const ComplianceOpportunity& opp, cms::v1::ComplianceAction action,
                      cms::v1::ComplianceReason reason, cms::v1::UnlikelyToPayStatus utp,
                      ComplianceOpportunity* out, const std::string& request_id = RandomRequestId(),
                      const std::string& staff = "") {
    cms::v1::RecordOutcomeRequest req;
    req.set_request_id(request_id);
    req.set_opportunity_id(opp.id());
    req.set_etag(opp.etag());
    req.set_action(action);
    req.set_reason(reason);
    req.set_utp_status(utp);
    if (utp == cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY) {
      req.set_dp_rejected_reason("Wilful refusal to pay on time");
    }
    req.set_note("Payment history reviewed; welfare of the child considered");
    return t_->compliance().RecordOutcome(Ctx(staff.empty() ? cw_ : staff).get(), req, out);
  }

  std::vector<cms::v1::Approval> Inbox() {
    cms::v1::ListApprovalInboxRequest req;
    cms::v1::ListApprovalInboxResponse out;
    EXPECT_RPC_OK(t_->approvals().ListApprovalInbox(Ctx(Tl()).get(), req, &out));
    return {out.approvals().begin(), out.approvals().end()};
  }

  cms::v1::Approval DecideApproval(int64_t id, bool approve) {
    cms::v1::DecideApprovalRequest req;
    req.set_request_id(RandomRequestId());
    req.set_approval_id(id);
    req.set_decision(approve ? cms::v1::APPROVAL_STATE_APPROVED : cms::v1::APPROVAL_STATE_REJECTED);
    req.set_comment(approve ? "Agreed" : "Not enough evidence");
    cms::v1::Approval out;
    EXPECT_RPC_OK(t_->approvals().DecideApproval(Ctx(Tl()).get(), req, &out));
    return out;
  }

  std::vector<cms::v1::ServiceRequest> Children(int64_t casegroup_id, int64_t parent) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(casegroup_id);
    req.set_include_closed(true);
    req.set_page_size(1000);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(t_->service_requests().ListServiceRequests(Ctx(kSvc).get(), req, &out));
    std::vector<cms::v1::ServiceRequest> found;
    for (const auto& sr : out.service_requests()) {
      if (sr.parent_id() == parent) found.push_back(sr);
    }
    return found;
  }

  cms::v1::ServiceType ServiceTypeOf(int64_t case_id) {
    cms::v1::GetServiceTypeHistoryRequest req;
    req.set_case_id(case_id);
    cms::v1::ServiceTypeHistory out;
    EXPECT_RPC_OK(t_->payments().GetServiceTypeHistory(Ctx(kSvc).get(), req, &out));
    return out.current();
  }

  cms::v1::Payment Pay(int64_t case_id, int64_t pence) {
    cms::v1::RecordPaymentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(case_id);
    req.set_amount_pence(pence);
    req.set_method(cms::v1::PAYMENT_METHOD_DD);
    *req.mutable_received_date() = Today();
    cms::v1::Payment out;
    EXPECT_RPC_OK(t_->payments().RecordPayment(Cw().get(), req, &out));
    return out;
  }

  cms::v1::Date Today() {
    cms::v1::GetClockRequest req;
    cms::v1::Clock out;
    EXPECT_RPC_OK(t_->admin().GetClock(Ctx(kSvc).get(), req, &out));
    const absl::CivilSecond now =
        absl::ToCivilSecond(absl::FromUnixSeconds(out.now().seconds()), absl::UTCTimeZone());
    return D(static_cast<int>(now.year()), now.month(), now.day());
  }

  void CloseSr(const cms::v1::ServiceRequest& sr, const std::string& resolution) {
    cms::v1::ServiceRequest current = Sr(sr.id());
    if (current.status() == cms::v1::SR_STATUS_OPEN) {
      cms::v1::ChangeServiceRequestStatusRequest move;
      move.set_request_id(RandomRequestId());
      move.set_id(current.id());
      move.set_etag(current.etag());
      move.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
      ASSERT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Cw().get(), move, &current));
    }
    for (const auto& a : current.activities()) {
      if (a.status() != cms::v1::ACTIVITY_STATUS_OPEN) continue;
      cms::v1::UpdateActivityRequest done;
      done.set_request_id(RandomRequestId());
      done.set_service_request_id(current.id());
      done.set_etag(current.etag());
      done.set_activity_id(a.id());
      done.set_status(cms::v1::ACTIVITY_STATUS_DONE);
      ASSERT_RPC_OK(t_->service_requests().UpdateActivity(Cw().get(), done, &current));
    }
    cms::v1::ChangeServiceRequestStatusRequest close;
    close.set_request_id(RandomRequestId());
    close.set_id(current.id());
    close.set_etag(current.etag());
    close.set_status(cms::v1::SR_STATUS_CLOSED);
    close.set_sub_status("Complete");
    close.set_resolution_code(resolution);
    ASSERT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Cw().get(), close, &current));
  }
};

// ---------------------------------------------------------------- S5.9 pass

TEST_F(ComplianceOutcomeTest, S5_9_APassMovesTheCaseToDirectPayAndTheDeoWaitsForTheTeamLeader) {
  cms::v1::Schedule schedule;
  const cms::v1::Application app = Accepted(Trial{}, &schedule);  // 50% DEO + 50% DD
  ComplianceOpportunity opp = ToTheEnd(app, schedule);
  ASSERT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_PASS);
  const std::string id = RandomRequestId();
  ComplianceOpportunity done, again;
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_PASS,
                       cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &done, id));
  // A replay answers the first and does nothing twice.
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_PASS,
                       cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &again, id));
  EXPECT_EQ(done.etag(), again.etag());
  EXPECT_EQ(done.state(), cms::v1::COMPLIANCE_STATE_COMPLETED);
  EXPECT_EQ(done.utp_status(), cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE);
  EXPECT_EQ(done.outcome().action(), cms::v1::COMPLIANCE_ACTION_PASS);
  EXPECT_EQ(done.outcome().effective_date().day(), 17);
  // S5.8: the outcome SR's fields are filled as the procedure has them.
  const auto fields = Sr(done.outcome_service_request_id()).fields();
  EXPECT_EQ(fields.at("Compliance Action"), "Pass");
  EXPECT_EQ(fields.at("Compliance Reason"), "All Payments Received");
  EXPECT_EQ(fields.at("Unlikely to Pay Status"), "Not Applicable");
  EXPECT_EQ(fields.count("DP Rejected Reason"), 0u);
  EXPECT_EQ(fields.at("Effective Date").substr(8), "17");
  EXPECT_EQ(ServiceTypeOf(app.case_().id()), cms::v1::SERVICE_TYPE_DIRECT_PAY);

  const int64_t outcome_sr = opp.outcome_service_request_id();
  int service_type = 0, mopf = 0, calc = 0;
  int64_t deo_sr = 0, calc_sr = 0;
  for (const auto& child : Children(app.casegroup().id(), outcome_sr)) {
    if (child.type_code() == "CHANGE_TO_SERVICE_TYPE") {
      ++service_type;
      EXPECT_EQ(child.status(), cms::v1::SR_STATUS_CLOSED);
      EXPECT_EQ(child.resolution_code(), "Service Type Changed");
    } else if (child.type_code() == "AMEND_EXISTING_MOPF") {
      ++mopf;
      if (child.status() == cms::v1::SR_STATUS_PENDING_APPROVAL) deo_sr = child.id();
    } else if (child.type_code() == "PERFORM_CALCULATION") {
      ++calc;
      calc_sr = child.id();
      EXPECT_EQ(child.status(), cms::v1::SR_STATUS_OPEN);
    }
  }
  EXPECT_EQ(service_type, 1);
  EXPECT_EQ(mopf, 2);  // one per active method
  EXPECT_EQ(calc, 1);
  ASSERT_NE(deo_sr, 0);
  // The DD ends today; the DEO stays until the team leader approves (A6.3).
  auto ends = [&](cms::v1::PaymentMethod method) {
    const cms::v1::Mopf now = MopfOf(app.casegroup().id());
    for (const auto& x : now.history()) {
      if (x.method() == method && x.end_date().year() != 0) return true;
    }
    return false;
  };
  EXPECT_TRUE(ends(cms::v1::PAYMENT_METHOD_DD));
  EXPECT_FALSE(ends(cms::v1::PAYMENT_METHOD_DEO));
  EXPECT_THAT(LettersOf(app.case_().id()), Contains("CMSL0136"));
  EXPECT_THAT(LettersOf(app.case_().id()), Contains("CMSL0137"));
  EXPECT_EQ(Sr(outcome_sr).status(), cms::v1::SR_STATUS_IN_PROGRESS);  // children open

  const auto inbox = Inbox();
  auto it = std::find_if(inbox.begin(), inbox.end(), [&](const cms::v1::Approval& a) {
    return a.service_request_id() == deo_sr;
  });
  ASSERT_NE(it, inbox.end());
  EXPECT_TRUE(it->action().has_deo_cancellation());
  const cms::v1::Approval decided = DecideApproval(it->id(), true);
  EXPECT_TRUE(absl::StrContains(decided.action_result(), "cancelled")) << decided.action_result();
  EXPECT_TRUE(ends(cms::v1::PAYMENT_METHOD_DEO));
  EXPECT_EQ(Sr(deo_sr).status(), cms::v1::SR_STATUS_CLOSED);

  // The last child closing closes the outcome SR, CofC Accepted.
  CloseSr(Sr(calc_sr), "Calculation Complete");
  const cms::v1::ServiceRequest outcome = Sr(outcome_sr);
  EXPECT_EQ(outcome.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(outcome.resolution_code(), "CofC Accepted");
}

// S5.17: bailiffs hold the case: a Clear Artefact SR, the MOPFs stay.
TEST_F(ComplianceOutcomeTest, S5_17_APassWithBailiffsRaisesClearArtefactAndKeepsTheMopf) {
  cms::v1::Schedule schedule;
  const cms::v1::Application app = Apply(SelfEmployed());
  // The legacy facts as the manual look-up would record them.
  cms::v1::GetCaseRequest get;
  get.set_id(app.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  cms::v1::UpdateCaseRequest update;
  update.set_request_id(RandomRequestId());
  update.set_id(k.id());
  update.set_etag(k.etag());
  *update.mutable_legacy() = k.legacy();
  update.mutable_legacy()->set_transitional_legal_case(true);
  update.mutable_legacy()->set_bailiff_activity(true);
  update.mutable_update_mask()->add_paths("legacy");
  ASSERT_RPC_OK(t_->casegroups().UpdateCase(Cw().get(), update, &k));
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  schedule = GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
  cw_ = CaseworkerOfOwner(*t_, app.casegroup().id());
  opp = ToTheEnd(app, schedule);
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_PASS,
                       cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &opp));
  const auto artefacts = SrsOfType(app.casegroup().id(), "CLEAR_ARTEFACT");
  ASSERT_EQ(artefacts.size(), 1u);
  EXPECT_EQ(artefacts[0].created_by_rule(), "S5.17");
  EXPECT_EQ(MopfOf(app.casegroup().id()).active_size(), 1);  // the DD stays for now
}

// ---------------------------------------------------------------- S5.10 fail

TEST_F(ComplianceOutcomeTest, S5_10_AFailChargesNothingUntilTheTeamLeaderApprovesAndNeverBefore) {
  cms::v1::Schedule schedule;
  const cms::v1::Application app = Accepted(SelfEmployed(), &schedule);
  ComplianceOpportunity opp = ToTheEnd(app, schedule, /*late_item=*/2);
  ASSERT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_FAIL);
  // A FAIL always fails the UTP check, with the DP rejected reason.
  ComplianceOpportunity out;
  EXPECT_TRUE(Refused(
      Record(opp, cms::v1::COMPLIANCE_ACTION_FAIL, cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT,
             cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &out),
      grpc::StatusCode::INVALID_ARGUMENT, "S5.8", "INVALID_FIELDS", {"utp_status"}));
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_FAIL,
                       cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY, &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_PENDING_APPROVAL);
  EXPECT_EQ(Sr(opp.outcome_service_request_id()).status(), cms::v1::SR_STATUS_PENDING_APPROVAL);
  const auto fields = Sr(opp.outcome_service_request_id()).fields();
  EXPECT_EQ(fields.at("Compliance Action"), "Fail");
  EXPECT_EQ(fields.at("Compliance Reason"), "Payment Default");
  EXPECT_EQ(fields.at("Unlikely to Pay Status"), "NRP Unlikely to Pay");
  EXPECT_FALSE(fields.at("DP Rejected Reason").empty());
  // Nothing changes before the approval: no fee on a collection, the MOPF
  // as it was, no charge.
  EXPECT_EQ(Pay(app.case_().id(), 1000).pp_fee_pence(), 0);
  EXPECT_EQ(MopfOf(app.casegroup().id()).active(0).method(), cms::v1::PAYMENT_METHOD_DD);
  EXPECT_TRUE(ChargesOf(app.case_().id()).empty());

  // Rejected: back to the caseworker, nothing carried out (A6.2).
  auto inbox = Inbox();
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_TRUE(inbox[0].action().has_compliance_fail());
  DecideApproval(inbox[0].id(), false);
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  EXPECT_FALSE(opp.has_outcome());
  EXPECT_EQ(MopfOf(app.casegroup().id()).active(0).method(), cms::v1::PAYMENT_METHOD_DD);

  // Recorded again the next day and approved: from that day, never earlier.
  Advance(1);
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_FAIL,
                       cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY, &opp));
  EXPECT_EQ(Pay(app.case_().id(), 1000).pp_fee_pence(), 0);  // still waived
  inbox = Inbox();
  ASSERT_EQ(inbox.size(), 1u);
  const cms::v1::Approval approved = DecideApproval(inbox[0].id(), true);
  EXPECT_FALSE(approved.action_result().empty());
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_COMPLETED);
  EXPECT_EQ(opp.utp_status(), cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
  EXPECT_GT(Pay(app.case_().id(), 1000).pp_fee_pence(), 0);  // fees from the approval
  // No enforced method: the MOPF becomes a DSO with the desire flag.
  const cms::v1::Mopf m = MopfOf(app.casegroup().id());
  ASSERT_EQ(m.active_size(), 1);
  EXPECT_EQ(m.active(0).method(), cms::v1::PAYMENT_METHOD_DSO);
  EXPECT_EQ(EmploymentOf(app.casegroup().id()).desire(), cms::v1::DEO_DESIRE_MANDATORY);
  EXPECT_EQ(ServiceTypeOf(app.case_().id()), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  EXPECT_THAT(LettersOf(app.case_().id()), Contains("CMSL0136"));
  EXPECT_EQ(SrsOfType(app.casegroup().id(), "PERFORM_CALCULATION").size(), 1u);
}

// ---------------------------------------------------------------- S5.11 extension

TEST_F(ComplianceOutcomeTest, S5_11_AnApprovedExtensionMovesTheEndDateAndItsTimer) {
  cms::v1::Schedule schedule;
  const cms::v1::Application app = Accepted(SelfEmployed(), &schedule);
  Advance(100);  // 15 April: the trial runs to 17 July
  ComplianceOpportunity opp = Opp(app.case_().id());
  cms::v1::RequestExtensionRequest req;
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.set_reason(cms::v1::EXTENSION_REASON_CHANGE_TO_EMPLOYER);
  req.set_note("New employer from May; first salary late");
  ComplianceOpportunity out;
  // Not whole months, then past the annual review (4 January 2028).
  for (const cms::v1::Date& bad : {D(2027, 8, 20), D(2028, 1, 17)}) {
    req.set_request_id(RandomRequestId());
    *req.mutable_proposed_revised_date() = bad;
    EXPECT_TRUE(Refused(t_->compliance().RequestExtension(Cw().get(), req, &out),
                        grpc::StatusCode::INVALID_ARGUMENT, "S5.11", "INVALID_FIELDS",
                        {"proposed_revised_date"}));
  }
  EXPECT_EQ(Opp(app.case_().id()).etag(), opp.etag());  // nothing half-done
  req.set_request_id(RandomRequestId());
  *req.mutable_proposed_revised_date() = D(2027, 9, 17);  // two months
  ASSERT_RPC_OK(t_->compliance().RequestExtension(Cw().get(), req, &opp));
  ASSERT_EQ(opp.extensions_size(), 1);
  EXPECT_EQ(opp.extensions(0).result(), cms::v1::EXTENSION_RESULT_PENDING);
  EXPECT_EQ(opp.end_date().month(), 7);  // not before the approval
  const cms::v1::ServiceRequest sr = Sr(opp.extensions(0).service_request_id());
  EXPECT_EQ(sr.fields().at("Action"), "Extension of Seg 5");
  EXPECT_EQ(sr.fields().at("Reason"), "Change to Employer");
  EXPECT_EQ(sr.fields().at("Proposed Revised Date"), "2027-09-17");
  EXPECT_EQ(sr.source(), cms::v1::SR_SOURCE_NRP);
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_PENDING_APPROVAL);
  // A second request while one waits names the rule.
  req.set_request_id(RandomRequestId());
  req.set_etag(opp.etag());
  EXPECT_TRUE(Refused(t_->compliance().RequestExtension(Cw().get(), req, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.11", "RULE_VIOLATION"));

  DecideApproval(opp.extensions(0).approval_id(), true);
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.extensions(0).result(), cms::v1::EXTENSION_RESULT_APPROVED);
  EXPECT_EQ(opp.end_date().month(), 9);
  EXPECT_EQ(opp.end_date().day(), 17);
  EXPECT_EQ(Sr(sr.id()).resolution_code(), "CofC Accepted");

  Advance(95);  // 18 July: past the old end date, no outcome SR
  ASSERT_TRUE(Eventually([&] { return Settled(); }));
  EXPECT_EQ(Opp(app.case_().id()).state(), cms::v1::COMPLIANCE_STATE_ACCEPTED);
  Advance(61);  // 17 September
  ASSERT_TRUE(Eventually(
      [&] { return Opp(app.case_().id()).state() == cms::v1::COMPLIANCE_STATE_OUTCOME_DUE; }));
}

TEST_F(ComplianceOutcomeTest, S5_11_ARejectedExtensionLeavesTheEndDate) {
  const cms::v1::Application app = Accepted(SelfEmployed());
  Advance(100);
  ComplianceOpportunity opp = Opp(app.case_().id());
  cms::v1::RequestExtensionRequest req;
  req.set_request_id(RandomRequestId());
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.set_reason(cms::v1::EXTENSION_REASON_CHANGE_OF_CIRCUMSTANCE);  // a hospital stay
  *req.mutable_proposed_revised_date() = D(2027, 8, 17);
  req.set_note("In hospital for three weeks");
  ASSERT_RPC_OK(t_->compliance().RequestExtension(Cw().get(), req, &opp));
  DecideApproval(opp.extensions(0).approval_id(), false);
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.extensions(0).result(), cms::v1::EXTENSION_RESULT_REJECTED);
  EXPECT_EQ(opp.end_date().month(), 7);
  const cms::v1::ServiceRequest sr = Sr(opp.extensions(0).service_request_id());
  EXPECT_EQ(sr.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(sr.resolution_code(), "CofC Rejected");
}

// ---------------------------------------------------------------- S5.12 early end

TEST_F(ComplianceOutcomeTest, S5_12_ABenefitNotificationEndsTheTrialByItself) {
  cms::v1::Schedule schedule;
  const cms::v1::Application app = Accepted(SelfEmployed(), &schedule);
  Advance(40);  // 13 February
  PayDirectDebits(app.case_().id(), schedule, absl::CivilDay(2027, 2, 13), -1);
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_on_benefit(true); });
  const ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  EXPECT_EQ(opp.early_end().reason(), cms::v1::EARLY_END_REASON_ON_BENEFIT_CHANGE);
  const auto cofc = SrsOfType(app.casegroup().id(), "CHANGE_OF_CIRCUMSTANCE");
  ASSERT_EQ(cofc.size(), 1u);
  const cms::v1::ServiceRequest outcome = Sr(opp.outcome_service_request_id());
  EXPECT_EQ(outcome.parent_id(), cofc[0].id());
  EXPECT_EQ(outcome.fields().at("Action"), "Early End of Seg 5");
  EXPECT_EQ(outcome.fields().at("Early End Reason"), "On-benefit change");
  EXPECT_EQ(outcome.created_by_rule(), "S5.12");
  // Every payment so far made: Ended Early / All Payments Received.
  EXPECT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_ENDED_EARLY);
  EXPECT_EQ(opp.proposal().reason(), cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED);
}

TEST_F(ComplianceOutcomeTest, S5_12_TheRpAskingForDirectPayEndsItEarlyAndPassesOnTheUtpCheck) {
  const cms::v1::Application app = Accepted(SelfEmployed());
  Advance(40);
  ComplianceOpportunity opp = Opp(app.case_().id());
  cms::v1::EndEarlyRequest req;
  req.set_request_id(RandomRequestId());
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.set_reason(cms::v1::EARLY_END_REASON_CHANGE_TO_DIRECT_PAY);
  req.set_note("The receiving parent asked for direct pay");
  ASSERT_RPC_OK(t_->compliance().EndEarly(Cw().get(), req, &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  EXPECT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_ENDED_EARLY);
  ComplianceOpportunity out;
  // PASS is for a trial run to its end date.
  EXPECT_TRUE(Refused(
      Record(opp, cms::v1::COMPLIANCE_ACTION_PASS, cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
             cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &out),
      grpc::StatusCode::INVALID_ARGUMENT, "S5.8", "INVALID_FIELDS", {"action"}));
  // The case is with enforcement: the pass brings it back to maintenance.
  cms::v1::GetCaseRequest get;
  get.set_id(app.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  cms::v1::UpdateCaseRequest enforce;
  enforce.set_request_id(RandomRequestId());
  enforce.set_id(k.id());
  enforce.set_etag(k.etag());
  enforce.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_ENFORCEMENT);
  enforce.mutable_update_mask()->add_paths("lifecycle_stage");
  ASSERT_RPC_OK(t_->casegroups().UpdateCase(Cw().get(), enforce, &k));
  cw_ = CaseworkerOfOwner(*t_, app.casegroup().id());
  EXPECT_TRUE(absl::StartsWith(cw_, "cw.gb.enforcement.")) << cw_;
  opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Record(opp, cms::v1::COMPLIANCE_ACTION_ENDED_EARLY,
                       cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
                       cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &out));
  EXPECT_EQ(out.state(), cms::v1::COMPLIANCE_STATE_COMPLETED);
  EXPECT_EQ(ServiceTypeOf(app.case_().id()), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  EXPECT_EQ(k.lifecycle_stage(), cms::v1::LIFECYCLE_STAGE_MAINTENANCE);
  EXPECT_TRUE(absl::StartsWith(CaseworkerOfOwner(*t_, app.casegroup().id()), "cw.gb.maintenance."));
}

// S5.16: prison raises a Change of Address SR, once; the outcome SR is made
// by hand as its child.
TEST_F(ComplianceOutcomeTest, S5_16_APrisonRecordRaisesAChangeOfAddressOnce) {
  const cms::v1::Application app = Accepted(SelfEmployed());
  Advance(40);
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_in_prison(true); });
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_phone("07700900123"); });
  const auto coa = SrsOfType(app.casegroup().id(), "CHANGE_OF_ADDRESS");
  ASSERT_EQ(coa.size(), 1u);
  EXPECT_EQ(coa[0].created_by_rule(), "S5.16");
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.prison_service_request_id(), coa[0].id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_ACCEPTED);  // not ended by itself
  cms::v1::EndEarlyRequest req;
  req.set_request_id(RandomRequestId());
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.set_reason(cms::v1::EARLY_END_REASON_CHANGE_OF_CIRCUMSTANCE);
  req.set_trigger_service_request_id(coa[0].id());
  req.set_note("The paying parent is in prison");
  ASSERT_RPC_OK(t_->compliance().EndEarly(Cw().get(), req, &opp));
  EXPECT_EQ(Sr(opp.outcome_service_request_id()).parent_id(), coa[0].id());
}

// ---------------------------------------------------------------- AR10.9, S5.18

TEST_F(ComplianceOutcomeTest, AR10_9_NoContactAboutAMissEndsTheTrialWithFail) {
  const cms::v1::Application app = Accepted(SelfEmployed());
  Advance(40);  // 11 January's DD missed
  ASSERT_TRUE(
      Eventually([&] { return !SrsOfType(app.casegroup().id(), "ARREARS_REVIEW").empty(); }));
  const cms::v1::ServiceRequest review = SrsOfType(app.casegroup().id(), "ARREARS_REVIEW")[0];
  // The review follows the Segment 5 branch, not the arrears ladder: the
  // server recommends it, and refuses the ladder's letter (nobody contacts
  // the PP about the payment, S5.13), changing nothing.
  const auto recommend = [&] {
    cms::v1::GetArrearsRecommendationRequest get;
    get.set_case_id(app.case_().id());
    cms::v1::ArrearsRecommendation r;
    EXPECT_RPC_OK(t_->arrears().GetArrearsRecommendation(Cw().get(), get, &r));
    return r;
  };
  const auto action = [&] {
    cms::v1::GetArrearsActionRequest get;
    get.set_case_id(app.case_().id());
    cms::v1::ArrearsAction a;
    EXPECT_RPC_OK(t_->arrears().GetArrearsAction(Cw().get(), get, &a));
    return a;
  };
  cms::v1::ArrearsRecommendation advice = recommend();
  EXPECT_EQ(advice.step(), cms::v1::ARREARS_STEP_SEGMENT5_BRANCH);
  EXPECT_EQ(advice.rule(), "AR10.9");
  EXPECT_TRUE(absl::StrContains(advice.why(), "RecordMissedPaymentReason")) << advice.why();
  const cms::v1::ArrearsAction before = action();
  EXPECT_TRUE(before.segment5_case());
  cms::v1::IssueArrearsLetterRequest letter;
  letter.set_request_id(RandomRequestId());
  letter.set_case_id(app.case_().id());
  letter.set_etag(before.etag());
  cms::v1::ArrearsAction unchanged;
  EXPECT_TRUE(Refused(t_->arrears().IssueArrearsLetter(Cw().get(), letter, &unchanged),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.9", "RULE_VIOLATION"));
  EXPECT_EQ(action().etag(), before.etag());

  ComplianceOpportunity opp = Opp(app.case_().id());
  cms::v1::RecordMissedPaymentReasonRequest req;
  req.set_request_id(RandomRequestId());
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.set_arrears_review_service_request_id(review.id());
  req.set_contact(cms::v1::MISSED_PAYMENT_CONTACT_ACCEPTABLE_REASON);
  req.set_note("Bank error on the direct debit");
  ASSERT_RPC_OK(t_->compliance().RecordMissedPaymentReason(Cw().get(), req, &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_ACCEPTED);  // the trial runs on
  const auto negotiate = SrsOfType(app.casegroup().id(), "ACTION_MISSED_PAYMENT");
  ASSERT_EQ(negotiate.size(), 1u);
  EXPECT_EQ(negotiate[0].parent_id(), review.id());

  req.set_request_id(RandomRequestId());
  req.set_etag(opp.etag());
  req.set_contact(cms::v1::MISSED_PAYMENT_CONTACT_NO_CONTACT);
  req.set_note("Three calls, no answer");
  ASSERT_RPC_OK(t_->compliance().RecordMissedPaymentReason(Cw().get(), req, &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OUTCOME_DUE);
  EXPECT_EQ(opp.early_end().reason(), cms::v1::EARLY_END_REASON_MISSED_PAYMENTS);
  EXPECT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_FAIL);
  EXPECT_EQ(opp.proposal().reason(), cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT);
  EXPECT_EQ(Sr(opp.outcome_service_request_id()).parent_id(), review.id());
  // The trial has ended: what is left of the branch is closing the review.
  advice = recommend();
  EXPECT_EQ(advice.step(), cms::v1::ARREARS_STEP_SEGMENT5_BRANCH);
  EXPECT_TRUE(absl::StrContains(advice.why(), "OUTCOME_DUE")) << advice.why();
  EXPECT_TRUE(absl::StrContains(advice.why(), "close it")) << advice.why();
}

TEST_F(ComplianceOutcomeTest, S5_18_AMissedDeoGoesToTheEmployerSupportTeam) {
  const cms::v1::Application app = Accepted(Trial{});  // 50% DEO + 50% DD
  Advance(40);
  ASSERT_TRUE(Eventually(
      [&] { return !SrsOfType(app.casegroup().id(), "EMPLOYER_MISSED_PAYMENT").empty(); }));
  const cms::v1::ServiceRequest est = SrsOfType(app.casegroup().id(), "EMPLOYER_MISSED_PAYMENT")[0];
  EXPECT_EQ(est.created_by_rule(), "S5.18");
  cms::v1::GetSegmentRequest get;
  get.set_id(est.owning_segment_id());
  cms::v1::Segment owner;
  ASSERT_RPC_OK(t_->bom().GetSegment(Ctx(kSvc).get(), get, &owner));
  EXPECT_EQ(owner.service_segment(), cms::v1::SERVICE_SEGMENT_EMPLOYER_SUPPORT_TEAM);
}

// ---------------------------------------------------------------- A6.3, refusals

TEST_F(ComplianceOutcomeTest, A6_3_ADeoIsNeverCancelledOutsideAnApproval) {
  const cms::v1::Application app = Accepted(Trial{});
  const cms::v1::Mopf m = MopfOf(app.casegroup().id());
  const auto deo = std::find_if(m.active().begin(), m.active().end(), [](const auto& x) {
    return x.method() == cms::v1::PAYMENT_METHOD_DEO;
  });
  ASSERT_NE(deo, m.active().end());
  cms::v1::CancelMopfMethodRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_casegroup_id(app.casegroup().id());
  cancel.set_etag(m.etag());
  cancel.set_method_id(deo->id());
  // A working Amend Existing MOPF SR of the casegroup, as a caseworker
  // would raise to cancel it.
  cms::v1::CreateServiceRequestRequest create;
  create.set_request_id(RandomRequestId());
  create.set_type_code("AMEND_EXISTING_MOPF");
  create.set_casegroup_id(app.casegroup().id());
  create.set_case_id(app.case_().id());
  create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  (*create.mutable_fields())["MOPF Action"] = "Cancel";
  cms::v1::CreateServiceRequestResponse made;
  ASSERT_RPC_OK(t_->service_requests().CreateServiceRequest(Cw().get(), create, &made));
  cms::v1::ChangeServiceRequestStatusRequest start;
  start.set_request_id(RandomRequestId());
  start.set_id(made.service_request().id());
  start.set_etag(made.service_request().etag());
  start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  cms::v1::ServiceRequest working;
  ASSERT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Cw().get(), start, &working));
  cancel.set_service_request_id(working.id());
  *cancel.mutable_end_date() = Today();
  cms::v1::Mopf out;
  EXPECT_TRUE(Refused(t_->payments().CancelMopfMethod(Cw().get(), cancel, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.3", "RULE_VIOLATION"));
  EXPECT_EQ(MopfOf(app.casegroup().id()).etag(), m.etag());
}

TEST_F(ComplianceOutcomeTest, OutcomeDecisionsAreRefusedWithTheRuleAndChangeNothing) {
  const cms::v1::Application app = Accepted(SelfEmployed());
  ComplianceOpportunity opp = Opp(app.case_().id());
  ComplianceOpportunity out;
  // Before the end: no outcome yet.
  EXPECT_TRUE(Refused(
      Record(opp, cms::v1::COMPLIANCE_ACTION_PASS, cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED,
             cms::v1::UNLIKELY_TO_PAY_STATUS_NOT_APPLICABLE, &out),
      grpc::StatusCode::FAILED_PRECONDITION, "S5.8", "RULE_VIOLATION"));
  // Before the trial starts, nothing ends it early.
  cms::v1::EndEarlyRequest end;
  end.set_request_id(RandomRequestId());
  end.set_opportunity_id(opp.id());
  end.set_etag(opp.etag());
  end.set_reason(cms::v1::EARLY_END_REASON_CASE_CLOSED);
  end.set_note("closing");
  Advance(1);
  opp = Opp(app.case_().id());
  end.set_etag(opp.etag());
  // Someone outside the owning segment; no note.
  EXPECT_EQ(t_->compliance().EndEarly(Ctx("cw.gb.collections.a1").get(), end, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  end.set_note("");
  EXPECT_TRUE(Refused(t_->compliance().EndEarly(Cw().get(), end, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S5.12", "INVALID_FIELDS", {"note"}));
  // A stale etag.
  end.set_note("closing");
  end.set_etag("\"1\"");  // an earlier version
  EXPECT_EQ(t_->compliance().EndEarly(Cw().get(), end, &out).error_code(),
            grpc::StatusCode::ABORTED);
  EXPECT_EQ(Opp(app.case_().id()).etag(), opp.etag());
  // A Seg 5 action cannot be asked for through SubmitForApproval.
  cms::v1::SubmitForApprovalRequest submit;
  submit.set_request_id(RandomRequestId());
  const cms::v1::ServiceRequest mopf_sr = SrsOfType(app.casegroup().id(), "AMEND_EXISTING_MOPF")[0];
  submit.set_service_request_id(mopf_sr.id());
  submit.set_etag(mopf_sr.etag());
  submit.set_step("Seg 5 extension");
  submit.mutable_action()->mutable_compliance_extension()->set_opportunity_id(opp.id());
  cms::v1::Approval approval;
  EXPECT_EQ(t_->approvals().SubmitForApproval(Cw().get(), submit, &approval).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace cms::testing
