// The steps of the arrears procedure as the integration tests drive them
// (arrears_test.cc, arrears_enforcement_test.cc): reads of the action, its
// SRs and the casegroup, and one helper per caseworker, team leader or DOT
// decision, over ArrearsFixture's server, database and application.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/arrears_fixture.h"

namespace cms::testing {

class ArrearsFlowFixture : public ArrearsFixture {
 protected:
  cms::v1::ArrearsRecommendation Recommend() {
    cms::v1::GetArrearsRecommendationRequest req;
    req.set_case_id(app_.case_().id());
    cms::v1::ArrearsRecommendation out;
    EXPECT_RPC_OK(t_->arrears().GetArrearsRecommendation(Ctx(kSvc).get(), req, &out));
    return out;
  }

  cms::v1::ServiceRequest Sr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    cms::v1::ServiceRequest out;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx(kSvc).get(), req, &out));
    return out;
  }

  std::vector<cms::v1::ServiceRequest> SrsOfType(const std::string& type) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(app_.casegroup().id());
    req.set_include_closed(true);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(t_->service_requests().ListServiceRequests(Ctx(kSvc).get(), req, &out));
    std::vector<cms::v1::ServiceRequest> found;
    for (const auto& sr : out.service_requests()) {
      if (sr.type_code() == type) found.push_back(sr);
    }
    return found;
  }

  std::vector<cms::v1::ArrearsEvent> Events(int64_t action_id) {
    cms::v1::ListArrearsEventsRequest req;
    req.set_arrears_action_id(action_id);
    cms::v1::ListArrearsEventsResponse out;
    EXPECT_RPC_OK(t_->arrears().ListArrearsEvents(Ctx(kSvc).get(), req, &out));
    return {out.events().begin(), out.events().end()};
  }

  cms::v1::Casegroup Casegroup() {
    cms::v1::GetCasegroupRequest get;
    get.set_id(app_.casegroup().id());
    cms::v1::Casegroup g;
    EXPECT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), get, &g));
    return g;
  }

  grpc::Status Contact(cms::v1::ArrearsContactOutcome outcome, const std::string& etag,
                       cms::v1::ArrearsAction* out, const std::string& note = "called the PP",
                       const std::string& request_id = RandomRequestId()) {
    cms::v1::RecordArrearsContactRequest req;
    req.set_request_id(request_id);
    req.set_case_id(app_.case_().id());
    req.set_etag(etag);
    req.set_outcome(outcome);
    req.set_note(note);
    return t_->arrears().RecordArrearsContact(Owner().get(), req, out);
  }

  grpc::Status IssueLetter(const cms::v1::ArrearsAction& a, cms::v1::ArrearsAction* out,
                           const std::string& request_id = RandomRequestId()) {
    cms::v1::IssueArrearsLetterRequest req;
    req.set_request_id(request_id);
    req.set_case_id(app_.case_().id());
    req.set_etag(a.etag());
    return t_->arrears().IssueArrearsLetter(Owner().get(), req, out);
  }

  grpc::Status AskHmrc(const cms::v1::ArrearsAction& a, cms::v1::ArrearsAction* out) {
    cms::v1::RequestEmploymentStatusRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(a.etag());
    return t_->arrears().RequestEmploymentStatus(Owner().get(), req, out);
  }

  void ScriptHmrc(cms::v1::HmrcAnswer answer, const std::string& employer = "") {
    cms::v1::SetHmrcEmploymentRequest req;
    req.set_nino(pp_nino_);
    req.set_answer(answer);
    req.set_employer_name(employer);
    cms::v1::HmrcEmploymentAnswer out;
    ASSERT_RPC_OK(t_->admin().SetHmrcEmployment(Ctx(kSvc).get(), req, &out));
  }

  // --------------------------------------------------------------- AR10.7

  // The owning caseworker's team leader (demo BOM: cw.<c>.<k>.a1 → tl.<c>.<k>.a).
  std::string Tl() {
    std::string cw = CaseworkerOfOwner(*t_, app_.casegroup().id());
    std::string tl = "tl" + cw.substr(2);
    tl.pop_back();
    return tl;
  }

  grpc::Status Negotiate(cms::v1::ArrearsRung purpose, cms::v1::ArrearsAction* out) {
    cms::v1::StartFinalNegotiationRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_purpose(purpose);
    return t_->arrears().StartFinalNegotiation(Owner().get(), req, out);
  }

  grpc::Status NegotiationFailed(cms::v1::ArrearsAction* out) {
    cms::v1::RecordNegotiationOutcomeRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_outcome(cms::v1::NEGOTIATION_OUTCOME_FAILED);
    req.set_note("PP offered nothing");
    return t_->arrears().RecordNegotiationOutcome(Owner().get(), req, out);
  }

  grpc::Status Refer(cms::v1::ArrearsAction* out,
                     const std::string& request_id = RandomRequestId()) {
    cms::v1::ReferLiabilityOrderRequest req;
    req.set_request_id(request_id);
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_checklist_note("address confirmed; calls on 12 and 14 Jan; no agreement; welfare ok");
    return t_->arrears().ReferLiabilityOrder(Owner().get(), req, out);
  }

  cms::v1::Approval Decide(int64_t approval_id, bool approve, const std::string& comment) {
    cms::v1::DecideApprovalRequest req;
    req.set_request_id(RandomRequestId());
    req.set_approval_id(approval_id);
    req.set_decision(approve ? cms::v1::APPROVAL_STATE_APPROVED : cms::v1::APPROVAL_STATE_REJECTED);
    req.set_comment(comment);
    cms::v1::Approval out;
    EXPECT_RPC_OK(t_->approvals().DecideApproval(Ctx(Tl()).get(), req, &out));
    return out;
  }

  grpc::Status Disclose(cms::v1::ArrearsAction* out) {
    cms::v1::RequestDisclosureRequest ask;
    ask.set_request_id(RandomRequestId());
    ask.set_case_id(app_.case_().id());
    ask.set_etag(Action().etag());
    ask.set_reason("any account");
    return t_->arrears().RequestDisclosure(Owner().get(), ask, out);
  }

  static constexpr char kDot[] = "cw.gb.deduction_order_team.a1";

  // DOT's report on the Disclosure SR it works (AR10.6, AR10.11).
  grpc::Status Report(cms::v1::DisclosureOutcome outcome, cms::v1::ArrearsAction* out,
                      const std::string& note = "the PP's current account") {
    cms::v1::RecordDisclosureOutcomeRequest report;
    report.set_request_id(RandomRequestId());
    report.set_case_id(app_.case_().id());
    report.set_etag(Action().etag());
    report.set_outcome(outcome);
    report.set_assets_found(true);
    report.set_note(note);
    return t_->arrears().RecordDisclosureOutcome(Ctx(kDot).get(), report, out);
  }

  // The case owner authorises the deduction order (AR10.11).
  grpc::Status Authorise(cms::v1::DeductionOrder order, cms::v1::ArrearsAction* out) {
    cms::v1::AuthoriseDeductionOrderRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_order(order);
    req.set_note("welfare of the child considered: an RDO is appropriate");
    return t_->arrears().AuthoriseDeductionOrder(Owner().get(), req, out);
  }

  // DOT reports the disclosure successful, the owner authorises an RDO and
  // DOT sets it up: £100 a week from `first`.
  grpc::Status Rdo(cms::v1::Date first, cms::v1::ArrearsAction* out) {
    grpc::Status s = Report(cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL, out);
    if (s.ok()) s = Authorise(cms::v1::DEDUCTION_ORDER_RDO, out);
    if (!s.ok()) return s;
    cms::v1::RecordDisclosureOutcomeRequest report;
    report.set_request_id(RandomRequestId());
    report.set_case_id(app_.case_().id());
    report.set_etag(Action().etag());
    report.set_outcome(cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP);
    report.set_note("RDO on the current account");
    report.set_rdo_payment_pence(10000);
    *report.mutable_rdo_first_payment_date() = first;
    report.set_rdo_frequency(cms::v1::FREQUENCY_WEEKLY);
    return t_->arrears().RecordDisclosureOutcome(Ctx(kDot).get(), report, out);
  }

  grpc::Status RdoPaid(cms::v1::Date due, int64_t pence, cms::v1::ArrearsAction* out) {
    cms::v1::RecordRdoPaymentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    *req.mutable_due_date() = due;
    req.set_received_pence(pence);
    return t_->arrears().RecordRdoPayment(Owner().get(), req, out);
  }

  // A self-employed PP with £300 a week missed twice (£600 owed, above the
  // LO de minimis), the first letter sent and answered, its wait run out:
  // the review is ready for the LO path.
  void ReadyForLo() {
    Start(cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED, 30000);
    cms::v1::ArrearsAction a = TwoMissed();
    ASSERT_RPC_OK(IssueLetter(a, &a));
    ASSERT_RPC_OK(Contact(cms::v1::ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY, a.etag(), &a,
                          "will not pay, not interested in an arrangement"));
    Advance(7);
  }
};

}  // namespace cms::testing
