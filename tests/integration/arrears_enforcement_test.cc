// ArrearsService after disclosure, over a real server and database on the
// business clock (issue 15): the 48-hour authorisation of a successful
// disclosure (AR10.11), the nightly RDO compliance check from the RDO
// payments received (AR10.6), the enforcement case manager's review of an
// RDO with DOT (AR10.12) and the enforcement actions with their de minimis,
// legacy debt and property checks (AR10.8, AR10.10, AR10.14). Refusals
// change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "tests/integration/arrears_flow_fixture.h"

namespace cms::testing {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::ServiceRequest;
using ::testing::HasSubstr;

constexpr char kEcm[] = "cw.gb.enforcement.a1";

class ArrearsEnforcementTest : public ArrearsFlowFixture {
 protected:
  // The PP of ReadyForLo after a failed final chance and a disclosure
  // request: DOT is working the Disclosure SR (19 January 2027, 12:00).
  void Disclosed() {
    ReadyForLo();
    ArrearsAction a;
    ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
    ASSERT_RPC_OK(NegotiationFailed(&a));
    ASSERT_RPC_OK(Disclose(&a));
  }

  // A payment received by `method` (RDO unless said) on `day` (today or
  // earlier).
  void PaidByRdo(cms::v1::Date day, int64_t pence,
                 cms::v1::PaymentMethod method = cms::v1::PAYMENT_METHOD_RDO) {
    cms::v1::RecordPaymentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_amount_pence(pence);
    *req.mutable_received_date() = day;
    req.set_method(method);
    cms::v1::Payment out;
    ASSERT_RPC_OK(t_->payments().RecordPayment(Owner().get(), req, &out));
  }

  int64_t Arrears() {
    cms::v1::GetArrearsRequest req;
    req.set_case_id(app_.case_().id());
    cms::v1::Arrears out;
    EXPECT_RPC_OK(t_->payments().GetArrears(Ctx(kSvc).get(), req, &out));
    return out.balance_pence();
  }

  // An RDO from Friday 22 January whose first payment never comes: its
  // shortfall's negotiation fails, the LO is referred and approved, and at
  // 00:00 the casegroup is ENFORCEMENT's with the RDO still in force. Then
  // the next missed collection (Monday 25 January, marked on the 26th)
  // raises an Arrears Review on the enforcement case (AR10.12).
  void EnforcementReviewWithRdo() {
    Disclosed();
    ArrearsAction a;
    ASSERT_RPC_OK(Rdo(D(2027, 1, 22), &a));
    Advance(4);  // 23 January: the nightly check finds nothing paid on the 22nd
    a = Action();
    ASSERT_EQ(a.disclosure().rdo_payments_size(), 1);
    ASSERT_RPC_OK(NegotiationFailed(&a));
    ASSERT_RPC_OK(Refer(&a));
    Decide(Action().lo().approval_id(), true, "LO appropriate");
    AdvanceBy(*t_, absl::Hours(12));  // 00:00 on the 24th
    ASSERT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("ENF"));
    AdvanceBy(*t_, absl::Hours(50));  // 02:00 on 26 January: the review
  }

  grpc::Status Viability(cms::v1::RdoViability viability, bool further_assets, ArrearsAction* out,
                         const std::string& staff = kEcm) {
    cms::v1::RecordRdoViabilityRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_viability(viability);
    req.set_further_assets(further_assets);
    req.set_note("PP will not pay the shortfall; DOT keeps the RDO");
    return t_->arrears().RecordRdoViability(Ctx(staff).get(), req, out);
  }

  grpc::Status Enforce(cms::v1::EnforcementAction action, ArrearsAction* out, int64_t asset_id = 0,
                       const std::string& court = "") {
    cms::v1::TakeEnforcementActionRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_etag(Action().etag());
    req.set_action(action);
    req.set_asset_id(asset_id);
    req.set_court(court);
    req.set_note("enforcement checklist complete");
    return t_->arrears().TakeEnforcementAction(Ctx(kEcm).get(), req, out);
  }

  int64_t RecordProperty(cms::v1::AssetType type) {
    cms::v1::RecordAssetRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_person_id(app_.casegroup().paying_parent_id());
    req.set_type(type);
    req.set_description("the PP's house at 1 High Street");
    req.set_source(cms::v1::ASSET_SOURCE_CASEWORKER);
    cms::v1::Asset out;
    EXPECT_RPC_OK(t_->arrears().RecordAsset(Ctx(kEcm).get(), req, &out));
    return out.id();
  }

  void SetLegacyDebt(int64_t pence) {
    cms::v1::GetCaseRequest get;
    get.set_id(app_.case_().id());
    cms::v1::Case k;
    ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
    k.mutable_legacy()->set_system(cms::v1::LEGACY_SYSTEM_CS2);
    k.mutable_legacy()->set_legacy_case_reference("CS2LEGACY1");
    k.mutable_legacy()->set_csa_debt_to_migrate_pence(pence);
    cms::v1::UpdateCaseRequest update;
    update.set_request_id(RandomRequestId());
    update.set_id(k.id());
    update.set_etag(k.etag());
    *update.mutable_legacy() = k.legacy();
    update.mutable_update_mask()->add_paths("legacy");
    ASSERT_RPC_OK(t_->casegroups().UpdateCase(Ctx(kEcm).get(), update, &k));
  }

  void SetAnnualReview(cms::v1::Date day) {
    cms::v1::GetCaseRequest get;
    get.set_id(app_.case_().id());
    cms::v1::Case k;
    ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
    cms::v1::UpdateCaseRequest update;
    update.set_request_id(RandomRequestId());
    update.set_id(k.id());
    update.set_etag(k.etag());
    *update.mutable_annual_review_date() = day;
    update.mutable_update_mask()->add_paths("annual_review_date");
    ASSERT_RPC_OK(t_->casegroups().UpdateCase(Ctx(kEcm).get(), update, &k));
  }
};

TEST_F(ArrearsEnforcementTest, AR10_11_ASuccessfulDisclosureIsAuthorisedWithin48Hours) {
  Disclosed();
  ArrearsAction a;
  EXPECT_TRUE(Refused(Authorise(cms::v1::DEDUCTION_ORDER_RDO, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.11", "RULE_VIOLATION"))
      << "nothing to authorise before DOT's report";
  // DOT reports at 12:00 on 19 January: authorise by 12:00 on the 21st.
  ASSERT_RPC_OK(Report(cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL, &a));
  EXPECT_EQ(a.disclosure().outcome(), cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL);
  EXPECT_EQ(a.disclosure().authorisation_due_time().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2027, 1, 21, 12, 0, 0), absl::UTCTimeZone())));
  const ServiceRequest ra = Sr(a.disclosure().returned_authorisation_service_request_id());
  EXPECT_EQ(ra.type_code(), "RETURNED_AUTHORISATION");
  EXPECT_EQ(ra.parent_id(), a.negotiation().service_request_id());
  EXPECT_EQ(ra.owning_segment_id(), Casegroup().owning_segment_id()) << "the case owner's";
  EXPECT_EQ(ra.status(), cms::v1::SR_STATUS_IN_PROGRESS);
  bool found = false;
  for (const auto& act : ra.activities()) {
    if (act.seq() != a.disclosure().authorisation_activity_seq()) continue;
    found = true;
    EXPECT_TRUE(act.alarm());
    EXPECT_EQ(act.due_date().day(), 21);
  }
  EXPECT_TRUE(found);
  EXPECT_NE(Sr(a.disclosure().service_request_id()).status(), cms::v1::SR_STATUS_CLOSED)
      << "DOT's Disclosure SR waits for the set-up";
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_AUTHORISE_DEDUCTION_ORDER) << r.ShortDebugString();
  EXPECT_THAT(r.why(), HasSubstr("within 48 hours"));

  // 47 h 59 min: not yet overdue; 48 h: the reminder shows on the owner's
  // work.
  AdvanceBy(*t_, absl::Hours(47) + absl::Minutes(59));
  EXPECT_FALSE(Sr(ra.id()).reminder_due());
  AdvanceBy(*t_, absl::Minutes(1));
  EXPECT_TRUE(Sr(ra.id()).reminder_due());
  r = Recommend();
  EXPECT_THAT(r.why(), HasSubstr("48 hours have passed"));

  // Late, the authorisation is still taken, and recorded as late.
  ASSERT_RPC_OK(Authorise(cms::v1::DEDUCTION_ORDER_RDO, &a));
  EXPECT_EQ(a.disclosure().authorised_order(), cms::v1::DEDUCTION_ORDER_RDO);
  EXPECT_TRUE(a.disclosure().authorised_late());
  EXPECT_FALSE(Sr(ra.id()).reminder_due()) << "the activity is done";
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_AWAIT_DEDUCTION_ORDER);
  const ArrearsAction before = Action();
  EXPECT_TRUE(Refused(Authorise(cms::v1::DEDUCTION_ORDER_LSDO, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.11", "RULE_VIOLATION"));
  // DOT sets up what was authorised, nothing else.
  cms::v1::RecordDisclosureOutcomeRequest lsdo;
  lsdo.set_request_id(RandomRequestId());
  lsdo.set_case_id(app_.case_().id());
  lsdo.set_etag(before.etag());
  lsdo.set_outcome(cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP);
  lsdo.set_note("lump sum");
  lsdo.set_lsdo_amount_pence(50000);
  grpc::Status s = t_->arrears().RecordDisclosureOutcome(Ctx(kDot).get(), lsdo, &a);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "AR10.6", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("authorised an RDO"));
  EXPECT_EQ(Action().etag(), before.etag()) << "refusals change nothing";
}

TEST_F(ArrearsEnforcementTest, AR10_6_TheNightlyCheckJudgesRdoPaymentsFromTheReceipts) {
  Disclosed();
  ArrearsAction a;
  ASSERT_RPC_OK(Rdo(D(2027, 1, 22), &a));  // £100 a week from Friday 22 January
  EXPECT_EQ(a.disclosure().rdo_next_due_date().day(), 22);
  Advance(3);  // the 22nd: paid in full
  PaidByRdo(D(2027, 1, 22), 10000);
  Advance(1);  // 02:00 on the 23rd: judged
  a = Action();
  ASSERT_EQ(a.disclosure().rdo_payments_size(), 1);
  EXPECT_EQ(a.disclosure().rdo_payments(0).received_pence(), 10000);
  EXPECT_FALSE(a.disclosure().rdo_payments(0).shortfall());
  EXPECT_EQ(a.disclosure().rdo_payments(0).recorded_by(), "system");
  EXPECT_EQ(a.disclosure().rdo_next_due_date().day(), 29);
  // A payment judged is not reported again.
  EXPECT_TRUE(Refused(RdoPaid(D(2027, 1, 22), 10000, &a), grpc::StatusCode::FAILED_PRECONDITION,
                      "AR10.6", "RULE_VIOLATION"));
  // The 29th: £89 of £100, below 90% the first time: negotiate.
  Advance(6);
  PaidByRdo(D(2027, 1, 29), 8900);
  Advance(1);
  a = Action();
  ASSERT_EQ(a.disclosure().rdo_payments_size(), 2);
  EXPECT_TRUE(a.disclosure().rdo_payments(1).shortfall());
  const int64_t amp = a.negotiation().service_request_id();
  ASSERT_GT(amp, 0);
  EXPECT_EQ(Sr(amp).type_code(), "ACTION_MISSED_PAYMENT");
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_FINAL_NEGOTIATION);
  // 5 February: nothing; the second shortfall puts the case on the LO rung
  // and the check stops.
  Advance(7);
  a = Action();
  ASSERT_EQ(a.disclosure().rdo_payments_size(), 3);
  EXPECT_EQ(a.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  EXPECT_FALSE(a.disclosure().has_rdo_next_due_date());
  Advance(7);
  EXPECT_EQ(Action().disclosure().rdo_payments_size(), 3) << "nothing left to judge";
  bool by_system = false;
  for (const auto& e : Events(a.id())) {
    by_system |= e.kind() == cms::v1::ARREARS_EVENT_KIND_RDO_PAYMENT_RECORDED &&
                 e.actor() == "system" && absl::StrContains(e.detail(), "received by method RDO");
  }
  EXPECT_TRUE(by_system);
}

TEST_F(ArrearsEnforcementTest, AR10_6_AnLsdoPaidInFullClosesTheReview) {
  Disclosed();
  ArrearsAction a;
  ASSERT_RPC_OK(Report(cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL, &a));
  ASSERT_RPC_OK(Authorise(cms::v1::DEDUCTION_ORDER_LSDO, &a));
  cms::v1::RecordDisclosureOutcomeRequest lsdo;
  lsdo.set_request_id(RandomRequestId());
  lsdo.set_case_id(app_.case_().id());
  lsdo.set_etag(a.etag());
  lsdo.set_outcome(cms::v1::DISCLOSURE_OUTCOME_LSDO_SET_UP);
  lsdo.set_note("lump sum from the savings account");
  lsdo.set_lsdo_amount_pence(50000);
  ASSERT_RPC_OK(t_->arrears().RecordDisclosureOutcome(Ctx(kDot).get(), lsdo, &a));
  EXPECT_EQ(a.disclosure().lsdo_watch_date().day(), 19);
  EXPECT_EQ(Sr(a.disclosure().returned_authorisation_service_request_id()).resolution_code(),
            "LSDO Set Up");
  // £300 of £500 by 20 January: still watched.
  PaidByRdo(D(2027, 1, 19), 30000, cms::v1::PAYMENT_METHOD_LSDO);
  Advance(1);
  a = Action();
  EXPECT_FALSE(a.disclosure().lsdo_paid_in_full());
  EXPECT_NE(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  // The rest: paid in full, the review closes.
  PaidByRdo(D(2027, 1, 20), 20000, cms::v1::PAYMENT_METHOD_LSDO);
  Advance(1);
  a = Action();
  EXPECT_TRUE(a.disclosure().lsdo_paid_in_full());
  EXPECT_FALSE(a.disclosure().has_lsdo_watch_date());
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(Sr(a.review_service_request_id()).resolution_code(), "Disclosure Initiated");
  EXPECT_THAT(Events(a.id()).back().detail(), HasSubstr("the LSDO is paid in full"));
}

TEST_F(ArrearsEnforcementTest, AR10_12_NoFurtherAssetsDisablesTheMonitorUntilTheAnnualReview) {
  EnforcementReviewWithRdo();
  ArrearsAction a = Action();
  ASSERT_NE(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(a.enforcement_rdo_review().review_service_request_id(), a.review_service_request_id());
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_REVIEW_RDO_WITH_DOT) << r.ShortDebugString();
  EXPECT_EQ(r.rule(), "AR10.12");
  SetAnnualReview(D(2027, 3, 1));
  EXPECT_EQ(
      Viability(cms::v1::RDO_VIABILITY_VIABLE, false, &a, "cw.gb.maintenance.a1").error_code(),
      grpc::StatusCode::PERMISSION_DENIED)
      << "the enforcement case manager's decision";
  ASSERT_RPC_OK(Viability(cms::v1::RDO_VIABILITY_VIABLE, false, &a));
  EXPECT_TRUE(a.monitor().disabled());
  EXPECT_THAT(a.monitor().reason(), HasSubstr("AR10.12"));
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(Sr(a.review_service_request_id()).resolution_code(), "No Action Appropriate");
  EXPECT_EQ(a.enforcement_rdo_review().annual_review_date().month(), 3);
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_NO_ACTION);
  EXPECT_TRUE(Refused(Viability(cms::v1::RDO_VIABILITY_LAPSED, false, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.12", "RULE_VIOLATION"))
      << "no open review";
  EXPECT_TRUE(SrsOfType("RDO_ANNUAL_REVIEW").empty());
  Advance(34);  // 1 March: DOT's reminder
  const auto reviews = SrsOfType("RDO_ANNUAL_REVIEW");
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_NE(reviews[0].owning_segment_id(), Casegroup().owning_segment_id()) << "DOT's";
  EXPECT_EQ(Action().enforcement_rdo_review().annual_review_service_request_id(), reviews[0].id());
}

TEST_F(ArrearsEnforcementTest, AR10_8_AR10_10_AR10_14_EnforcementActionsAndTheirRefusals) {
  EnforcementReviewWithRdo();
  ArrearsAction a;
  // Further assets: parallel action beside the RDO.
  ASSERT_RPC_OK(Viability(cms::v1::RDO_VIABILITY_VIABLE, true, &a));
  EXPECT_TRUE(a.enforcement_rdo_review().parallel_action());
  EXPECT_FALSE(a.monitor().disabled());
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_TAKE_ENFORCEMENT_ACTION) << r.ShortDebugString();
  EXPECT_THAT(r.why(), HasSubstr("parallel"));

  const int64_t balance = Arrears();
  ASSERT_GE(balance, 100000);
  ASSERT_LT(balance, 300000) << "the test needs arrears between the commitment and sale minima";
  const ArrearsAction before = Action();
  // Below the order for sale's £3,000 (AR10.8).
  const int64_t house = RecordProperty(cms::v1::ASSET_TYPE_PROPERTY);
  grpc::Status s = Enforce(cms::v1::ENFORCEMENT_ACTION_ORDER_FOR_SALE, &a, house);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "AR10.8", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("£3,000.00"));
  // A charging order needs the court and the PP's property (AR10.14).
  EXPECT_TRUE(Refused(Enforce(cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER, &a),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.8", "INVALID_FIELDS",
                      {"court", "asset_id"}));
  const int64_t car = RecordProperty(cms::v1::ASSET_TYPE_VEHICLE);
  EXPECT_TRUE(Refused(Enforce(cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER, &a, car, "Leeds"),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.14", "RULE_VIOLATION"));
  // Not while legacy CSA debt is to migrate (AR10.10).
  SetLegacyDebt(120000);
  s = Enforce(cms::v1::ENFORCEMENT_ACTION_LIABILITY_ORDER, &a);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "AR10.10", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("£1,200.00"));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_AWAIT_LEGACY_DEBT);
  SetLegacyDebt(0);
  EXPECT_EQ(Action().enforcement_actions_size(), 0) << "refusals change nothing";

  // A charging order in a court, on the house: taken.
  ASSERT_RPC_OK(
      Enforce(cms::v1::ENFORCEMENT_ACTION_CHARGING_ORDER, &a, house, "Leeds County Court"));
  ASSERT_EQ(a.enforcement_actions_size(), 1);
  EXPECT_EQ(a.enforcement_actions(0).court(), "Leeds County Court");
  EXPECT_EQ(a.enforcement_actions(0).threshold_pence(), 50000);
  EXPECT_EQ(a.enforcement_actions(0).arrears_pence(), balance);
  EXPECT_EQ(Sr(a.lo().review_case_service_request_id()).resolution_code(),
            "Enforcement Action Started");
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(Sr(a.review_service_request_id()).resolution_code(), "Enforcement Action Taken");
  EXPECT_EQ(Events(a.id()).back().kind(), cms::v1::ARREARS_EVENT_KIND_REVIEW_CLOSED);
}

TEST_F(ArrearsEnforcementTest, AR10_8_ACaseNotWithEnforcementTakesNoEnforcementAction) {
  ReadyForLo();
  ArrearsAction a;
  cms::v1::TakeEnforcementActionRequest req;
  req.set_request_id(RandomRequestId());
  req.set_case_id(app_.case_().id());
  req.set_etag(Action().etag());
  req.set_action(cms::v1::ENFORCEMENT_ACTION_COMMITMENT);
  req.set_note("too early");
  EXPECT_TRUE(Refused(t_->arrears().TakeEnforcementAction(Owner().get(), req, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.8", "RULE_VIOLATION"));
  req.set_action(cms::v1::ENFORCEMENT_ACTION_UNSPECIFIED);
  req.clear_note();
  EXPECT_TRUE(Refused(t_->arrears().TakeEnforcementAction(Owner().get(), req, &a),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.8", "INVALID_FIELDS",
                      {"action", "note"}));
}

}  // namespace
}  // namespace cms::testing
