// The Segment 5 compliance opportunity's offer over a real database and a
// real server (S5.1–S5.6): the legacy look-up (scripted through
// AdminService), eligibility assessed on each fact change, the offer SR
// raised once, manual handling, the 14-day window on the business clock, the
// letter returned undelivered, every decision carried out in full, the
// withdrawal of an acceptance, and the refusals (X13.3, X13.4, X13.5, SR5.7).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/compliance_fixture.h"

namespace cms::testing {
namespace {

// ---------------------------------------------------------------- S5.1–S5.3

TEST_F(ComplianceTest, S5_3_AnEligiblePayingParentGetsTheOfferSrOnce) {
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  EXPECT_EQ(opp.eligibility(), cms::v1::PP_ELIGIBILITY_YES);
  EXPECT_EQ(opp.legacy_source(), cms::v1::LEGACY_FACTS_SOURCE_LEGACY_LOOK_UP);
  ASSERT_EQ(opp.checks_size(), 12);
  for (const auto& c : opp.checks()) EXPECT_EQ(c.result(), cms::v1::CRITERION_RESULT_MET);
  // The legacy system's facts are kept on the case.
  cms::v1::GetCaseRequest get_case;
  get_case.set_id(app.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get_case, &k));
  EXPECT_EQ(k.legacy().method_of_collection(), "DEO");
  EXPECT_EQ(k.legacy().t_date().year(), 2027);

  const cms::v1::ServiceRequest offer = Sr(opp.offer_service_request_id());
  EXPECT_EQ(offer.type_code(), "OFFER_COMPLIANCE_OPPORTUNITY");
  EXPECT_EQ(offer.source(), cms::v1::SR_SOURCE_LEGACY_LOOK_UPS);
  EXPECT_EQ(offer.created_by_rule(), "S5.3");
  EXPECT_EQ(offer.case_id(), app.case_().id());

  // A later change of a fact assesses again but never raises a second offer.
  UpdatePp(app, [](cms::v1::Person& pp) {
    pp.set_employment_status(cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED);
  });
  EXPECT_EQ(SrsOfType(app.casegroup().id(), "OFFER_COMPLIANCE_OPPORTUNITY").size(), 1u);
  EXPECT_EQ(Opp(app.case_().id()).state(), cms::v1::COMPLIANCE_STATE_OFFERED);

  cms::v1::ListComplianceEventsRequest events_req;
  events_req.set_opportunity_id(opp.id());
  cms::v1::ListComplianceEventsResponse events;
  ASSERT_RPC_OK(t_->compliance().ListComplianceEvents(Ctx(kSvc).get(), events_req, &events));
  ASSERT_GE(events.events_size(), 1);
  EXPECT_EQ(events.events(0).kind(), cms::v1::COMPLIANCE_EVENT_KIND_OFFER_RAISED);
  EXPECT_EQ(events.events(0).to_state(), cms::v1::COMPLIANCE_STATE_OFFERED);
}

TEST_F(ComplianceTest, S5_1_EachCaseOfAPayingParentIsJudgedAlone) {
  Trial s;
  const cms::v1::Person pp = Pp(s);
  const cms::v1::Application first = Apply(s, pp);
  Trial direct = s;
  direct.rp_type = cms::v1::SERVICE_TYPE_DIRECT_PAY;
  const cms::v1::Application second = Apply(direct, pp);
  ASSERT_EQ(first.casegroup().id(), second.casegroup().id());
  EXPECT_EQ(Opp(first.case_().id()).state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  const ComplianceOpportunity other = Opp(second.case_().id());
  EXPECT_EQ(other.state(), cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE);
  EXPECT_EQ(other.eligibility(), cms::v1::PP_ELIGIBILITY_RP_REQUESTED_DIRECT_PAY);
  EXPECT_EQ(other.offer_service_request_id(), 0);
}

// S5.5: the trial runs on collect and pay. An offer accepted on a case still
// on direct pay (the RP asked for collect and pay after the application)
// puts the case on collect and pay that day.
TEST_F(ComplianceTest, S5_5_AcceptingPutsADirectPayCaseOnCollectAndPay) {
  Trial s;
  s.rp_type = cms::v1::SERVICE_TYPE_UNSPECIFIED;  // the RP has not said yet
  const cms::v1::Application app = Apply(s);
  ASSERT_EQ(app.case_().service_type(), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  ASSERT_NE(Opp(app.case_().id()).state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  cms::v1::UpdateCaseRequest update;
  update.set_request_id(RandomRequestId());
  update.set_id(app.case_().id());
  update.set_etag(app.case_().etag());
  update.set_rp_requested_service_type(cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  update.mutable_update_mask()->add_paths("rp_requested_service_type");
  cms::v1::Case updated;
  ASSERT_RPC_OK(t_->casegroups().UpdateCase(Cw().get(), update, &updated));
  EXPECT_EQ(updated.service_type(), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  cms::v1::GetCaseRequest get;
  get.set_id(app.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  EXPECT_EQ(k.service_type(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  cms::v1::GetServiceTypeHistoryRequest history_req;
  history_req.set_case_id(app.case_().id());
  cms::v1::ServiceTypeHistory history;
  ASSERT_RPC_OK(t_->payments().GetServiceTypeHistory(Ctx(kSvc).get(), history_req, &history));
  EXPECT_EQ(history.current(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
}

// S5.4, S5.12: the offer's SR ends with the opportunity, and the outcome SR
// is raised through it: a caller's status change or SR of its own would
// leave the opportunity and its SRs disagreeing. Refused, nothing changes.
TEST_F(ComplianceTest, S5_4_S5_12_TheOpportunitysSrsMoveOnlyWithIt) {
  const cms::v1::Application app = Apply();
  const ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  const cms::v1::ServiceRequest offer = Sr(opp.offer_service_request_id());
  for (cms::v1::SrStatus to : {cms::v1::SR_STATUS_CLOSED, cms::v1::SR_STATUS_CANCELLED}) {
    cms::v1::ChangeServiceRequestStatusRequest end;
    end.set_request_id(RandomRequestId());
    end.set_id(offer.id());
    end.set_etag(offer.etag());
    end.set_status(to);
    end.set_resolution_code("Compliance Rejected");
    cms::v1::ServiceRequest out;
    EXPECT_TRUE(Refused(t_->service_requests().ChangeServiceRequestStatus(Cw().get(), end, &out),
                        grpc::StatusCode::FAILED_PRECONDITION, "S5.4", "RULE_VIOLATION"));
  }
  EXPECT_EQ(Sr(offer.id()).etag(), offer.etag());
  for (int s : Sr(offer.id()).allowed_next_statuses()) {
    EXPECT_NE(s, cms::v1::SR_STATUS_CANCELLED) << "not offered as a move either";
  }

  cms::v1::CreateServiceRequestRequest create;
  create.set_request_id(RandomRequestId());
  create.set_type_code("COMPLIANCE_OPPORTUNITY_OUTCOME");
  create.set_casegroup_id(app.casegroup().id());
  create.set_case_id(app.case_().id());
  create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  (*create.mutable_fields())["Action"] = "Early End of Seg 5";
  cms::v1::CreateServiceRequestResponse created;
  EXPECT_TRUE(Refused(t_->service_requests().CreateServiceRequest(Cw().get(), create, &created),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.12", "RULE_VIOLATION"));
  EXPECT_TRUE(SrsOfType(app.casegroup().id(), "COMPLIANCE_OPPORTUNITY_OUTCOME").empty());
  EXPECT_EQ(Opp(app.case_().id()).etag(), opp.etag());
}

// S5.1 (offer step 4): a PP found on benefit while the offer is open is no
// longer eligible: the offer is not appropriate, never accepted.
TEST_F(ComplianceTest, S5_1_APpOnBenefitDuringTheOfferIsNotAccepted) {
  const cms::v1::Application app = Apply();
  ASSERT_EQ(Opp(app.case_().id()).state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_on_benefit(true); });
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  EXPECT_EQ(opp.eligibility(), cms::v1::PP_ELIGIBILITY_ON_BENEFIT);
  ComplianceOpportunity out;
  EXPECT_TRUE(Refused(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.1", "RULE_VIOLATION"));
  EXPECT_EQ(Opp(app.case_().id()).etag(), opp.etag());
  ASSERT_RPC_OK(
      Decide(opp, cms::v1::OFFER_DECISION_NOT_APPROPRIATE, "The PP is now on benefit", &out));
  EXPECT_EQ(out.state(), cms::v1::COMPLIANCE_STATE_DECLINED);
  // S5.15 (offer step 14): the twelve-month rule is for them too.
  cms::v1::GetTwelveMonthStatusRequest twelve;
  twelve.set_case_id(app.case_().id());
  cms::v1::TwelveMonthStatus status;
  ASSERT_RPC_OK(t_->compliance().GetTwelveMonthStatus(Ctx(kSvc).get(), twelve, &status));
  EXPECT_TRUE(status.applies()) << status.explanation();
}

TEST_F(ComplianceTest, S5_1_OnBenefitIsNotEligibleUntilTheBenefitEnds) {
  Trial s;
  s.on_benefit = true;
  const cms::v1::Application app = Apply(s);
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_NOT_ELIGIBLE);
  EXPECT_EQ(opp.eligibility(), cms::v1::PP_ELIGIBILITY_ON_BENEFIT);
  EXPECT_TRUE(SrsOfType(app.casegroup().id(), "OFFER_COMPLIANCE_OPPORTUNITY").empty());

  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_on_benefit(false); });
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  EXPECT_EQ(SrsOfType(app.casegroup().id(), "OFFER_COMPLIANCE_OPPORTUNITY").size(), 1u);
}

TEST_F(ComplianceTest, S5_1_ACaseWithoutALegacyLinkHasNoOpportunity) {
  auto req = ApplicationRequest(NewPerson("Pam", "SW1A 1AA"), NewPerson("Ray", "SW1A 2AA"));
  cms::v1::Application app;
  ASSERT_RPC_OK(t_->casegroups().CreateApplication(Ctx("cw.gb.new_case.a1").get(), req, &app));
  cms::v1::GetComplianceOpportunityRequest get;
  get.set_case_id(app.case_().id());
  ComplianceOpportunity opp;
  const grpc::Status s = t_->compliance().GetComplianceOpportunity(Ctx(kSvc).get(), get, &opp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(s);
  EXPECT_TRUE(absl::StrContains(s.error_message(), "S5.1")) << s.error_message();
}

// S5.1: the PP's voluntary-DEO statement is accepted unless the RP's note
// disputes it; then the legacy record decides.
TEST_F(ComplianceTest, S5_1_VoluntaryDeoStatementWithAndWithoutTheRpNote) {
  for (bool note : {false, true}) {
    SCOPED_TRACE(note ? "with the RP's note" : "without a note");
    const cms::v1::Application app = Apply();
    if (note) {
      cms::v1::AddNoteRequest add;
      add.set_request_id(RandomRequestId());
      add.set_subject(cms::v1::NOTE_SUBJECT_CASE);
      add.set_subject_id(app.case_().id());
      add.set_text("RP dissatisfied with potential direct pay due to CSA non-compliance");
      cms::v1::Note n;
      ASSERT_RPC_OK(t_->service_requests().AddNote(Cw().get(), add, &n));
    }
    ComplianceOpportunity opp = Opp(app.case_().id());
    cms::v1::RecordDeoStatementRequest req;
    req.set_request_id(RandomRequestId());
    req.set_opportunity_id(opp.id());
    req.set_etag(opp.etag());
    req.set_pp_states_deo_voluntary(true);
    ASSERT_RPC_OK(t_->compliance().RecordDeoStatement(Cw().get(), req, &opp));
    EXPECT_TRUE(opp.pp_states_deo_voluntary());
    // The legacy record shows an enforced DEO: with the note it decides.
    EXPECT_EQ(opp.eligibility(), note ? cms::v1::PP_ELIGIBILITY_YES : cms::v1::PP_ELIGIBILITY_NO);
    // The offer stays for the caseworker to close as not appropriate.
    EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  }
}

// ---------------------------------------------------------------- S5.2

TEST_F(ComplianceTest, S5_2_CcdCaseIsLookedUpByHandThenAssessed) {
  Trial s;
  s.system = cms::v1::LEGACY_SYSTEM_CCD;
  const cms::v1::Application app = Apply(s);
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_ASSESSING);
  EXPECT_EQ(opp.eligibility(), cms::v1::PP_ELIGIBILITY_LIKELY);
  EXPECT_TRUE(opp.legacy_lookup_outstanding());
  ASSERT_NE(opp.manual_handling_service_request_id(), 0);
  const cms::v1::ServiceRequest mh = Sr(opp.manual_handling_service_request_id());
  EXPECT_EQ(mh.type_code(), "MANUAL_HANDLING");
  EXPECT_EQ(mh.created_by_rule(), "S5.2");
  EXPECT_TRUE(SrsOfType(app.casegroup().id(), "OFFER_COMPLIANCE_OPPORTUNITY").empty());

  cms::v1::RecordLegacyLookupRequest req;
  req.set_request_id(RandomRequestId());
  req.set_opportunity_id(opp.id());
  req.set_etag(opp.etag());
  req.mutable_facts()->set_method_of_collection("DER");
  req.mutable_facts()->set_deo_kind(cms::v1::LEGACY_DEO_KIND_ENFORCED);
  req.mutable_facts()->mutable_t_date()->set_year(2027);
  req.mutable_facts()->mutable_t_date()->set_month(3);
  req.mutable_facts()->mutable_t_date()->set_day(1);
  req.set_service_request_id(mh.id());
  ASSERT_RPC_OK(t_->compliance().RecordLegacyLookup(Cw().get(), req, &opp));
  EXPECT_FALSE(opp.legacy_lookup_outstanding());
  EXPECT_EQ(opp.legacy_source(), cms::v1::LEGACY_FACTS_SOURCE_MANUAL_HANDLING);
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  const cms::v1::ServiceRequest closed = Sr(mh.id());
  EXPECT_EQ(closed.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(closed.resolution_code(), "Legacy Details Recorded");
}

// ---------------------------------------------------------------- S5.4

TEST_F(ComplianceTest, S5_4_Day14IsStillOpenDay15IsNoResponse) {
  const cms::v1::Application app = Apply();
  IssueProvisionalCalculation(app.case_().id());
  ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.offer_letter_date().day(), 4);
  EXPECT_EQ(opp.response_due_date().day(), 18);
  Advance(14);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(Opp(app.case_().id()).state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  Advance(1);
  ASSERT_TRUE(Eventually(
      [&] { return Opp(app.case_().id()).state() == cms::v1::COMPLIANCE_STATE_DECLINED; }));
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.decision(), cms::v1::OFFER_DECISION_NO_RESPONSE);
  EXPECT_EQ(opp.eligibility(), cms::v1::PP_ELIGIBILITY_NO_RESPONSE);
  EXPECT_EQ(opp.decided_by(), "system");
  EXPECT_EQ(opp.utp_status(), cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
  const cms::v1::ServiceRequest offer = Sr(opp.offer_service_request_id());
  EXPECT_EQ(offer.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(offer.resolution_code(), "No Response Received");
  // No response is wilful refusal: self-selected DEO and the DEO charge.
  const cms::v1::Mopf mopf = MopfOf(app.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_DEO);
  EXPECT_EQ(mopf.active(0).deo_subtype(), cms::v1::DEO_SUBTYPE_SELF_SELECTED);
  EXPECT_EQ(ChargesOf(app.case_().id()).size(), 1u);
}

TEST_F(ComplianceTest, S5_4_TheOfferLetterBeforeEligibilityStartsTheWindow) {
  Trial s;
  s.on_benefit = true;
  const cms::v1::Application app = Apply(s);
  IssueProvisionalCalculation(app.case_().id());  // while not eligible
  Advance(3);
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_on_benefit(false); });
  const ComplianceOpportunity opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_OFFERED);
  EXPECT_EQ(opp.offer_letter_date().day(), 4);  // the letter's day, not today's
}

// ---------------------------------------------------------------- S5.5

TEST_F(ComplianceTest, S5_5_AcceptedByAnEmployedPayingParent) {
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_ACCEPTED);
  EXPECT_EQ(opp.decision(), cms::v1::OFFER_DECISION_ACCEPTED);
  EXPECT_EQ(opp.employment_at_decision(), cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  EXPECT_NE(opp.fee_waiver_id(), 0);

  const cms::v1::ServiceRequest offer = Sr(opp.offer_service_request_id());
  EXPECT_EQ(offer.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(offer.resolution_code(), "Compliance Accepted");
  EXPECT_THAT(LettersOf(app.case_().id()), ::testing::IsSupersetOf({"CMSL0138", "CMSL0139"}));

  // 50% mandatory DEO (tick, desire flag) and 50% direct debit.
  const cms::v1::Mopf mopf = MopfOf(app.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 2);
  std::map<cms::v1::PaymentMethod, cms::v1::MopfMethod> by;
  for (const auto& m : mopf.active()) by[m.method()] = m;
  EXPECT_EQ(by[cms::v1::PAYMENT_METHOD_DEO].share_percent(), 50);
  EXPECT_EQ(by[cms::v1::PAYMENT_METHOD_DEO].deo_subtype(), cms::v1::DEO_SUBTYPE_MANDATORY);
  EXPECT_TRUE(by[cms::v1::PAYMENT_METHOD_DEO].mandatory_deo_tick());
  EXPECT_EQ(by[cms::v1::PAYMENT_METHOD_DEO].employer(), kEmployer);
  EXPECT_EQ(by[cms::v1::PAYMENT_METHOD_DD].share_percent(), 50);
  EXPECT_FALSE(by[cms::v1::PAYMENT_METHOD_DD].enforced());
  EXPECT_EQ(EmploymentOf(app.casegroup().id()).desire(), cms::v1::DEO_DESIRE_MANDATORY);
  // The MOPF went through its own Amend Existing MOPF child SR, closed.
  const auto mopf_srs = SrsOfType(app.casegroup().id(), "AMEND_EXISTING_MOPF");
  ASSERT_EQ(mopf_srs.size(), 1u);
  EXPECT_EQ(mopf_srs[0].parent_id(), offer.id());
  EXPECT_EQ(mopf_srs[0].status(), cms::v1::SR_STATUS_CLOSED);
  // Nothing charged: no DEO charge on an acceptance.
  EXPECT_TRUE(ChargesOf(app.case_().id()).empty());
}

TEST_F(ComplianceTest, S5_5_AcceptedBySelfEmployedOrWithoutADirectDebit) {
  Trial self;
  self.employed = false;
  self.self_employed = true;
  const cms::v1::Application a = Apply(self);
  ComplianceOpportunity opp = Opp(a.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  cms::v1::Mopf mopf = MopfOf(a.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_DD);
  EXPECT_EQ(mopf.active(0).share_percent(), 100);

  const cms::v1::Application b = Apply();
  opp = Opp(b.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp, RandomRequestId(),
                       /*no_dd=*/true));
  mopf = MopfOf(b.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_SO);
  EXPECT_EQ(mopf.active(0).share_percent(), 100);
}

// ---------------------------------------------------------------- S5.6

TEST_F(ComplianceTest, S5_6_DeclinedWithAKnownEmployerIsSelfSelectedDeoAndTheDeoCharge) {
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_DECLINED, "PP prefers the DEO", &opp));
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_DECLINED);
  EXPECT_EQ(opp.utp_status(), cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
  EXPECT_EQ(opp.offer_date().day(), 4);  // recorded with the decision
  EXPECT_EQ(Sr(opp.offer_service_request_id()).resolution_code(), "Compliance Rejected");
  const cms::v1::Mopf mopf = MopfOf(app.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_DEO);
  EXPECT_EQ(mopf.active(0).deo_subtype(), cms::v1::DEO_SUBTYPE_SELF_SELECTED);
  EXPECT_EQ(EmploymentOf(app.casegroup().id()).desire(), cms::v1::DEO_DESIRE_SELF_SELECTED);
  EXPECT_EQ(ChargesOf(app.case_().id()).size(), 1u);
}

TEST_F(ComplianceTest, AG11_2_TheOfferDecisionIsABusinessDecisionQandASamples) {
  // AG11.2: the caseworker's Segment 5 decision is recorded where it is
  // made (with the offer SR's resolution), for Q&A to sample by type.
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_DECLINED, "PP prefers the DEO", &opp));
  cms::v1::DrawAssuranceSampleRequest draw;
  draw.set_request_id(RandomRequestId());
  draw.set_seed("s5");
  *draw.mutable_period()->mutable_start_time() = TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2027, 1, 4), absl::UTCTimeZone())));
  *draw.mutable_period()->mutable_end_time() = TimeUtil::SecondsToTimestamp(
      absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2027, 1, 5), absl::UTCTimeZone())));
  draw.add_kinds(cms::v1::ASSURANCE_ITEM_KIND_DECISION);
  draw.mutable_targets()->set_case_id(app.case_().id());
  draw.mutable_targets()->set_decision_type(cms::v1::BUSINESS_DECISION_TYPE_COMPLIANCE);
  draw.set_rate_ppm(1000000);
  cms::v1::AssuranceSample sample;
  ASSERT_RPC_OK(t_->assurance().DrawAssuranceSample(Ctx("cw.gb.quality_and_assurance.a1").get(),
                                                    draw, &sample));
  ASSERT_EQ(sample.items_size(), 1) << sample.ShortDebugString();
  EXPECT_EQ(sample.items(0).decision_entity_type(), "compliance_opportunity");
  EXPECT_EQ(sample.items(0).decision_entity_id(), opp.id());
  EXPECT_EQ(sample.items(0).caseworker(), cw_);
  EXPECT_EQ(sample.items(0).service_request_id(), opp.offer_service_request_id());
  EXPECT_EQ(sample.items(0).sr_type_code(), "OFFER_COMPLIANCE_OPPORTUNITY");
  // The offer SR's closing is its own decision, an SR resolution.
  draw.set_request_id(RandomRequestId());
  draw.mutable_targets()->set_decision_type(cms::v1::BUSINESS_DECISION_TYPE_SR_RESOLUTION);
  ASSERT_RPC_OK(t_->assurance().DrawAssuranceSample(Ctx("cw.gb.quality_and_assurance.a1").get(),
                                                    draw, &sample));
  std::vector<int64_t> closed;
  for (const auto& i : sample.items()) closed.push_back(i.decision_entity_id());
  EXPECT_THAT(closed, ::testing::Contains(opp.offer_service_request_id()));
}

TEST_F(ComplianceTest, S5_6_DeclinedWithoutAnEmployerIsAWeeklyDsoAndNoCharge) {
  Trial s;
  s.with_employer = false;
  const cms::v1::Application app = Apply(s);
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_DECLINED, "PP declined", &opp));
  const cms::v1::Mopf mopf = MopfOf(app.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_DSO);
  EXPECT_TRUE(ChargesOf(app.case_().id()).empty());
}

TEST_F(ComplianceTest, S5_6_ABenefitBeforeTheStartWithdrawsTheAcceptance) {
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  UpdatePp(app, [](cms::v1::Person& pp) { pp.set_on_benefit(true); });
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.state(), cms::v1::COMPLIANCE_STATE_WITHDRAWN);
  EXPECT_EQ(opp.utp_status(), cms::v1::UNLIKELY_TO_PAY_STATUS_NRP_UNLIKELY_TO_PAY);
  const cms::v1::Mopf mopf = MopfOf(app.casegroup().id());
  ASSERT_EQ(mopf.active_size(), 1);
  EXPECT_EQ(mopf.active(0).method(), cms::v1::PAYMENT_METHOD_DEO);
  EXPECT_EQ(mopf.active(0).deo_subtype(), cms::v1::DEO_SUBTYPE_SELF_SELECTED);
  // Not a refusal: no DEO charge.
  EXPECT_TRUE(ChargesOf(app.case_().id()).empty());
}

// ---------------------------------------------------------------- S5.5, S5.7, S5.8

TEST_F(ComplianceTest, S5_7_TheEndDateRaisesTheOutcomeSrWithTheProposal) {
  const cms::v1::Application app = Apply();  // employed: 50% DEO + 50% DD
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  const cms::v1::Schedule schedule = GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.start_date().month(), 1);
  EXPECT_EQ(opp.start_date().day(), 11);
  EXPECT_EQ(opp.end_date().month(), 7);  // 11 January + 187 days
  EXPECT_EQ(opp.end_date().day(), 17);

  // Every DD collection on time; the DEO half never collected (S5.18).
  Advance(190);  // to 13 July, before the end date
  PayDirectDebits(app.case_().id(), schedule, absl::CivilDay(2027, 7, 17), /*late_item=*/-1);
  Advance(4);  // 17 July: the end date
  ASSERT_TRUE(Eventually(
      [&] { return Opp(app.case_().id()).state() == cms::v1::COMPLIANCE_STATE_OUTCOME_DUE; }));
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_PASS);
  EXPECT_EQ(opp.proposal().reason(), cms::v1::COMPLIANCE_REASON_ALL_PAYMENTS_RECEIVED);
  int counted = 0, uncounted = 0;
  for (const auto& i : opp.proposal().items()) (i.counted() ? counted : uncounted)++;
  EXPECT_EQ(counted, 7);    // 11 Jan .. 11 Jul
  EXPECT_EQ(uncounted, 7);  // the DEO items: listed, not counted
  const cms::v1::ServiceRequest outcome = Sr(opp.outcome_service_request_id());
  EXPECT_EQ(outcome.type_code(), "COMPLIANCE_OPPORTUNITY_OUTCOME");
  EXPECT_EQ(outcome.source(), cms::v1::SR_SOURCE_INTERNAL_SYSTEM);
  EXPECT_EQ(outcome.created_by_rule(), "S5.7");
  EXPECT_TRUE(outcome.priority());
  EXPECT_EQ(outcome.fields().at("Action"), "End of Seg 5");
  EXPECT_EQ(outcome.subject_person_id(), app.case_().paying_parent_id());
  // Misses in the trial never moved the casegroup to COLLECTIONS (S5.13).
  cms::v1::GetCasegroupRequest get;
  get.set_id(app.casegroup().id());
  cms::v1::Casegroup g;
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), get, &g));
  EXPECT_NE(g.routing_rule(), "AR10.1");
}

TEST_F(ComplianceTest, S5_8_ALateDirectDebitProposesFail) {
  Trial self;
  self.employed = false;
  self.self_employed = true;  // 100% DD
  const cms::v1::Application app = Apply(self);
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  const cms::v1::Schedule schedule = GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
  Advance(190);
  PayDirectDebits(app.case_().id(), schedule, absl::CivilDay(2027, 7, 17), /*late_item=*/2);
  Advance(4);
  ASSERT_TRUE(Eventually(
      [&] { return Opp(app.case_().id()).state() == cms::v1::COMPLIANCE_STATE_OUTCOME_DUE; }));
  opp = Opp(app.case_().id());
  EXPECT_EQ(opp.proposal().action(), cms::v1::COMPLIANCE_ACTION_FAIL);
  EXPECT_EQ(opp.proposal().reason(), cms::v1::COMPLIANCE_REASON_PAYMENT_DEFAULT);
  int late = 0;
  for (const auto& i : opp.proposal().items()) {
    if (absl::StrContains(i.finding(), "late")) ++late;
  }
  EXPECT_EQ(late, 1);
}

// S5.13: a miss during the trial keeps the casegroup where it is (never
// COLLECTIONS) and raises the Arrears Review with the Segment 5 Case flag.
TEST_F(ComplianceTest, S5_13_AMissedDirectDebitInTheTrialNeverRoutesToCollections) {
  Trial self;
  self.employed = false;
  self.self_employed = true;  // 100% DD
  const cms::v1::Application app = Apply(self);
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &opp));
  GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
  const int64_t owner = CasegroupSegment(app.casegroup().id());
  Advance(40);  // past 11 January's DD and its tolerance, unpaid
  ASSERT_TRUE(
      Eventually([&] { return !SrsOfType(app.casegroup().id(), "ARREARS_REVIEW").empty(); }));
  const auto reviews = SrsOfType(app.casegroup().id(), "ARREARS_REVIEW");
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].fields().at("Segment 5 Case"), "Y");
  EXPECT_EQ(reviews[0].created_by_rule(), "S5.13");
  cms::v1::GetCasegroupRequest get;
  get.set_id(app.casegroup().id());
  cms::v1::Casegroup g;
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), get, &g));
  EXPECT_NE(g.routing_rule(), "AR10.1");
  EXPECT_EQ(g.owning_segment_id(), owner);
  cms::v1::ListMissedPaymentEventsRequest events;
  events.set_case_id(app.case_().id());
  cms::v1::ListMissedPaymentEventsResponse listed;
  ASSERT_RPC_OK(t_->payments().ListMissedPaymentEvents(Ctx(kSvc).get(), events, &listed));
  ASSERT_GE(listed.events_size(), 1);
  EXPECT_TRUE(absl::StrContains(listed.events(0).outcome(), "S5.13")) << listed.events(0).outcome();
}

// S5.15: after a decline the API says how far the PP is towards twelve
// consecutive months of payments; an accepted PP is not under the rule.
TEST_F(ComplianceTest, S5_15_TheTwelveMonthRuleCountsPaidMonthsAfterADecline) {
  const cms::v1::Application accepted = Apply();
  ComplianceOpportunity other = Opp(accepted.case_().id());
  ASSERT_RPC_OK(Decide(other, cms::v1::OFFER_DECISION_ACCEPTED, "", &other));
  const cms::v1::Application app = Apply();
  ComplianceOpportunity opp = Opp(app.case_().id());
  ASSERT_RPC_OK(Decide(opp, cms::v1::OFFER_DECISION_DECLINED, "PP prefers the DEO", &opp));
  const cms::v1::Schedule schedule = GenerateMonthly(app.case_().id(), absl::CivilDay(2027, 1, 11));
  Advance(50);  // 23 February: January and February's items are due
  for (const auto& i : schedule.items()) {
    if (i.due_date().month() > 2 || i.due_date().year() > 2027) continue;
    cms::v1::RecordPaymentRequest pay;
    pay.set_request_id(RandomRequestId());
    pay.set_case_id(app.case_().id());
    pay.set_amount_pence(i.expected_pence());
    pay.set_method(i.expected_method());
    *pay.mutable_received_date() = i.due_date();
    cms::v1::Payment paid;
    ASSERT_RPC_OK(t_->payments().RecordPayment(
        t_->Context(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), pay, &paid));
  }
  Advance(7);  // 2 March: February has ended
  cms::v1::GetTwelveMonthStatusRequest req;
  req.set_case_id(app.case_().id());
  cms::v1::TwelveMonthStatus status;
  ASSERT_RPC_OK(t_->compliance().GetTwelveMonthStatus(Ctx(kSvc).get(), req, &status));
  EXPECT_TRUE(status.applies());
  EXPECT_EQ(status.consecutive_months(), 2) << status.explanation();
  EXPECT_FALSE(status.reached());
  EXPECT_EQ(status.reach_date().year(), 2028);
  EXPECT_EQ(status.reach_date().month(), 1);

  req.set_case_id(accepted.case_().id());
  ASSERT_RPC_OK(t_->compliance().GetTwelveMonthStatus(Ctx(kSvc).get(), req, &status));
  EXPECT_FALSE(status.applies());
}

// ---------------------------------------------------------------- refusals

TEST_F(ComplianceTest, DecisionsAreRefusedWithTheRuleAndChangeNothing) {
  const cms::v1::Application app = Apply();
  const ComplianceOpportunity opp = Opp(app.case_().id());
  ComplianceOpportunity out;
  // No reason for a refusal.
  EXPECT_TRUE(Refused(Decide(opp, cms::v1::OFFER_DECISION_DECLINED, "", &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S5.6", "INVALID_FIELDS", {"reason"}));
  // A stale etag: the opportunity changed since it was read.
  cms::v1::RecordOfferContactRequest contact;
  contact.set_request_id(RandomRequestId());
  contact.set_opportunity_id(opp.id());
  contact.set_etag(opp.etag());
  contact.mutable_contact_date()->set_year(2027);
  contact.mutable_contact_date()->set_month(1);
  contact.mutable_contact_date()->set_day(4);
  ComplianceOpportunity contacted;
  ASSERT_RPC_OK(t_->compliance().RecordOfferContact(Cw().get(), contact, &contacted));
  EXPECT_EQ(contacted.offer_date().day(), 4);
  EXPECT_EQ(Sr(contacted.offer_service_request_id()).fields().at("Offer Date"), "2027-01-04");
  EXPECT_EQ(Decide(opp, cms::v1::OFFER_DECISION_ACCEPTED, "", &out).error_code(),
            grpc::StatusCode::ABORTED);
  const ComplianceOpportunity fresh = contacted;
  // Someone outside the owning segment.
  const grpc::Status other = Decide(fresh, cms::v1::OFFER_DECISION_ACCEPTED, "", &out,
                                    RandomRequestId(), false, "cw.gb.maintenance.a1");
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(other);
  EXPECT_EQ(Opp(app.case_().id()).etag(), fresh.etag());

  // A replay answers the first decision and does nothing twice.
  const std::string id = RandomRequestId();
  ComplianceOpportunity first, again;
  ASSERT_RPC_OK(Decide(fresh, cms::v1::OFFER_DECISION_DECLINED, "PP declined", &first, id));
  ASSERT_RPC_OK(Decide(fresh, cms::v1::OFFER_DECISION_DECLINED, "PP declined", &again, id));
  EXPECT_EQ(first.etag(), again.etag());
  EXPECT_EQ(ChargesOf(app.case_().id()).size(), 1u);
  // A decision on a decided offer names the rule.
  const ComplianceOpportunity decided = Opp(app.case_().id());
  EXPECT_TRUE(Refused(Decide(decided, cms::v1::OFFER_DECISION_ACCEPTED, "", &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S5.5", "RULE_VIOLATION"));
}

TEST_F(ComplianceTest, ListFiltersByStateAndHidesWhatTheCallerMayNotSee) {
  const cms::v1::Application offered = Apply();
  Trial benefit;
  benefit.on_benefit = true;
  const cms::v1::Application not_eligible = Apply(benefit);
  cms::v1::ListComplianceOpportunitiesRequest req;
  req.set_state(cms::v1::COMPLIANCE_STATE_OFFERED);
  cms::v1::ListComplianceOpportunitiesResponse out;
  ASSERT_RPC_OK(t_->compliance().ListComplianceOpportunities(Ctx(kSvc).get(), req, &out));
  std::vector<int64_t> cases;
  for (const auto& o : out.opportunities()) cases.push_back(o.case_id());
  EXPECT_THAT(cases, ::testing::Contains(offered.case_().id()));
  EXPECT_THAT(cases, ::testing::Not(::testing::Contains(not_eligible.case_().id())));
}

}  // namespace
}  // namespace cms::testing
