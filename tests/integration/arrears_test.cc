// ArrearsService over a real server and database on the business clock
// (AR10.1–AR10.5, AR10.13; issue 15): the contact outcomes of AR10.1, the
// review's figures and one open review per case (AR10.2, SR5.10), the
// automatic closes of AR10.2, the arrears letter and its wait (AR10.4), the
// on-demand HMRC request (AR10.5), the recommendation (AR10.3) and the
// Disable Missed Payment Monitor (AR10.13). Refusals change nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "tests/integration/arrears_flow_fixture.h"

namespace cms::testing {
namespace {

using cms::v1::ArrearsAction;
using cms::v1::ServiceRequest;
using ::testing::HasSubstr;

constexpr char kEmployer[] = "Acme Widgets Ltd";

class ArrearsTest : public ArrearsFlowFixture {};

TEST_F(ArrearsTest, AR10_1_TheSecondMissRaisesTheReviewWithItsMoreInfoFigures) {
  Start();
  ArrearsAction none;
  EXPECT_EQ(GetAction(&none).error_code(), grpc::StatusCode::NOT_FOUND);
  const ArrearsAction a = TwoMissed();
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_REVIEW);
  EXPECT_EQ(a.review_reason(), cms::v1::ARREARS_REVIEW_REASON_ARREARS_ROUTING_LOGIC);
  EXPECT_EQ(a.balance_at_review_pence(), 10000) << "two £50 collections";
  EXPECT_EQ(a.missed_payments(), 2);
  EXPECT_EQ(a.payment_failure_reason(), "DD £50.00 due 2027-01-11 not paid");
  EXPECT_EQ(a.review_date().day(), 12);
  EXPECT_FALSE(a.segment5_case());
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.type_code(), "ARREARS_REVIEW");
  EXPECT_EQ(review.fields().at("Reason"), "Arrears Routing Logic");
  const auto events = Events(a.id());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind(), cms::v1::ARREARS_EVENT_KIND_REVIEW_RAISED);
  EXPECT_EQ(events.back().service_request_id(), review.id());
}

TEST_F(ArrearsTest, AR10_1_CollectionsRecordsARefusalAndTheReviewGoesToMaintenance) {
  Start();
  Advance(1);  // the first miss: COLLECTIONS contacts the PP
  ASSERT_EQ(Casegroup().routing_rule(), "AR10.1");
  ArrearsAction a;
  // The first contact makes the action: no etag yet.
  ASSERT_RPC_OK(Contact(cms::v1::ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY, "", &a,
                        "PP says they will not pay"));
  ASSERT_EQ(a.contacts_size(), 1);
  const int64_t review_id = a.contacts(0).raised_service_request_id();
  ASSERT_GT(review_id, 0);
  EXPECT_EQ(a.review_service_request_id(), review_id);
  EXPECT_EQ(a.review_reason(), cms::v1::ARREARS_REVIEW_REASON_REFUSAL_TO_PAY);
  EXPECT_EQ(a.missed_payments(), 1);
  EXPECT_EQ(a.balance_at_review_pence(), 5000);
  const ServiceRequest review = Sr(review_id);
  EXPECT_EQ(review.fields().at("Reason"), "Refusal to Pay");
  EXPECT_EQ(review.created_by_rule(), "AR10.1");
  const cms::v1::Casegroup g = Casegroup();
  EXPECT_EQ(g.routing_rule(), "R3.2.6") << "back in MAINTENANCE for the review";
  EXPECT_THAT(g.owning_segment_system_name(), HasSubstr("MAINT"));
  EXPECT_EQ(review.owning_segment_id(), g.owning_segment_id());

  // A second contact needs the action's etag.
  ArrearsAction unchanged;
  EXPECT_TRUE(Refused(Contact(cms::v1::ARREARS_CONTACT_OUTCOME_NO_CONTACT, "", &unchanged),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"etag"}));
  EXPECT_EQ(Action().etag(), a.etag());
}

TEST_F(ArrearsTest, AR10_1_RenegotiationRaisesActionMissedPaymentAndAClaimIsRecorded) {
  Start();
  Advance(1);
  ArrearsAction a;
  const std::string id = RandomRequestId();
  ASSERT_RPC_OK(Contact(cms::v1::ARREARS_CONTACT_OUTCOME_ASKS_TO_RENEGOTIATE, "", &a,
                        "wants weekly £25", id));
  const int64_t amp = a.contacts(0).raised_service_request_id();
  EXPECT_EQ(Sr(amp).type_code(), "ACTION_MISSED_PAYMENT");
  EXPECT_EQ(Sr(amp).created_by_rule(), "AR10.1");
  // A replay returns the first answer and raises nothing more.
  ArrearsAction replay;
  ASSERT_RPC_OK(Contact(cms::v1::ARREARS_CONTACT_OUTCOME_ASKS_TO_RENEGOTIATE, "", &replay,
                        "wants weekly £25", id));
  EXPECT_EQ(replay.etag(), a.etag());
  EXPECT_EQ(SrsOfType("ACTION_MISSED_PAYMENT").size(), 1u);

  // A claimed direct payment needs its amount and date (INVALID_ARGUMENT
  // naming each), then is recorded as such.
  cms::v1::RecordArrearsContactRequest claim;
  claim.set_request_id(RandomRequestId());
  claim.set_case_id(app_.case_().id());
  claim.set_etag(a.etag());
  claim.set_outcome(cms::v1::ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT);
  claim.set_note("says they paid Ray in cash");
  ArrearsAction out;
  EXPECT_TRUE(Refused(t_->arrears().RecordArrearsContact(Owner().get(), claim, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.1", "INVALID_FIELDS",
                      {"claimed_pence", "claimed_date"}));
  claim.set_claimed_pence(5000);
  *claim.mutable_claimed_date() = D(2027, 1, 6);
  EXPECT_TRUE(Refused(t_->arrears().RecordArrearsContact(Owner().get(), claim, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.1", "INVALID_FIELDS",
                      {"claimed_date"}))
      << "a payment in the future";
  *claim.mutable_claimed_date() = D(2027, 1, 4);
  ASSERT_RPC_OK(t_->arrears().RecordArrearsContact(Owner().get(), claim, &out));
  ASSERT_EQ(out.contacts_size(), 2);
  EXPECT_EQ(out.contacts(1).outcome(), cms::v1::ARREARS_CONTACT_OUTCOME_CLAIMS_DIRECT_PAYMENT);
  EXPECT_EQ(out.contacts(1).claimed_pence(), 5000);
  EXPECT_EQ(out.contacts(1).recorded_by(), CaseworkerOfOwner(*t_, app_.casegroup().id()));
}

TEST_F(ArrearsTest, AR10_2_ALaterTriggerKeepsTheOneOpenReviewWithTheLatestBalance) {
  Start();
  const ArrearsAction a = TwoMissed();
  Advance(7);  // 19 January: a third miss while the review is open
  const ArrearsAction b = Action();
  EXPECT_EQ(b.review_service_request_id(), a.review_service_request_id());
  EXPECT_EQ(b.balance_at_review_pence(), 10000) << "the figures it was raised with stay";
  EXPECT_EQ(b.latest_balance_pence(), 15000);
  EXPECT_EQ(b.latest_trigger_date().day(), 19);
  EXPECT_EQ(SrsOfType("ARREARS_REVIEW").size(), 1u) << "SR5.10: never a duplicate";
  EXPECT_EQ(Events(b.id()).back().kind(), cms::v1::ARREARS_EVENT_KIND_REVIEW_RETRIGGERED);
}

TEST_F(ArrearsTest, AR10_2_APpWithADloAddressHasTheReviewClosedAndCancelled) {
  Start();
  Advance(1);
  cms::v1::GetPersonRequest get;
  get.set_id(app_.case_().paying_parent_id());
  cms::v1::Person pp;
  ASSERT_RPC_OK(t_->casegroups().GetPerson(Ctx(kSvc).get(), get, &pp));
  pp.set_address_status(cms::v1::ADDRESS_STATUS_DLO);
  cms::v1::UpdatePersonRequest update;
  update.set_request_id(RandomRequestId());
  *update.mutable_person() = pp;
  update.mutable_update_mask()->add_paths("address_status");
  ASSERT_RPC_OK(t_->casegroups().UpdatePerson(Owner().get(), update, &pp));
  Advance(7);  // the second miss raises the review, which closes at once
  const ArrearsAction a = Action();
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(a.closed_resolution(), "Cancelled");
  EXPECT_THAT(a.closed_reason(), HasSubstr("DLO"));
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_CANCELLED);
  cms::v1::ListNotesRequest notes;
  notes.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes.set_subject_id(review.id());
  cms::v1::ListNotesResponse listed;
  ASSERT_RPC_OK(t_->service_requests().ListNotes(Ctx(kSvc).get(), notes, &listed));
  bool noted = false;
  for (const auto& n : listed.notes()) noted = noted || absl::StrContains(n.text(), "DLO");
  EXPECT_TRUE(noted) << "the reason is in the SR's notes";
  // Nothing is worked from a closed review.
  ArrearsAction out;
  EXPECT_TRUE(Refused(IssueLetter(a, &out), grpc::StatusCode::FAILED_PRECONDITION, "AR10.4",
                      "RULE_VIOLATION"));
}

TEST_F(ArrearsTest, AR10_2_AScheduleRevisedWithinTheToleranceClosesNoActionAppropriate) {
  Start();
  Advance(7);  // 11 January: the 4 January collection was missed
  // The caseworker revises the schedule on the next collection's due date
  // (the tolerance is 0 days): the revision takes in what is owed.
  Generate(D(2027, 1, 18), "negotiated");
  Advance(1);  // 12 January: 11 January's collection is the second miss
  const ArrearsAction a = Action();
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(a.closed_resolution(), "No Action Appropriate");
  EXPECT_THAT(a.closed_reason(), HasSubstr("revised on 2027-01-11"));
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(review.resolution_code(), "No Action Appropriate");
  int not_required = 0;
  for (const auto& act : review.activities()) {
    EXPECT_NE(act.status(), cms::v1::ACTIVITY_STATUS_OPEN) << act.name();
    if (!act.mandatory()) {
      EXPECT_EQ(act.status(), cms::v1::ACTIVITY_STATUS_NOT_REQUIRED) << act.name();
      ++not_required;
    }
  }
  EXPECT_GT(not_required, 0);
}

TEST_F(ArrearsTest, AR10_4_TheFirstLetterIsCmsl6031ThenTheReviewWaitsSevenDays) {
  Start();
  ArrearsAction a = TwoMissed();
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_ISSUE_ARREARS_LETTER);
  EXPECT_EQ(r.letter_template_code(), "CMSL6031");
  ArrearsAction out;
  const std::string id = RandomRequestId();
  ASSERT_RPC_OK(IssueLetter(a, &out, id));
  ASSERT_EQ(out.letters_size(), 1);
  EXPECT_EQ(out.letters(0).template_code(), "CMSL6031");
  EXPECT_EQ(out.state(), cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_WAIT);
  EXPECT_EQ(review.sub_status(), "Wait State Arrears Notice");
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_AWAIT_ARREARS_NOTICE);
  // A replay answers the same; a stale etag is ABORTED; a second letter
  // while the review waits is refused.
  ArrearsAction replay;
  ASSERT_RPC_OK(IssueLetter(a, &replay, id));
  EXPECT_EQ(replay.etag(), out.etag());
  EXPECT_EQ(IssueLetter(a, &replay).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_TRUE(Refused(IssueLetter(out, &replay), grpc::StatusCode::FAILED_PRECONDITION, "AR10.4",
                      "RULE_VIOLATION"));
  EXPECT_EQ(Action().letters_size(), 1);

  Advance(7);  // the 7 days run out: the review wakes (durable timer)
  review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_IN_PROGRESS);
  // No response to CMSL6031: CMSL6038 next (AR10.4).
  a = Action();
  r = Recommend();
  EXPECT_EQ(r.letter_template_code(), "CMSL6038");
  ASSERT_RPC_OK(IssueLetter(a, &out));
  ASSERT_EQ(out.letters_size(), 2);
  EXPECT_EQ(out.letters(1).template_code(), "CMSL6038");
}

TEST_F(ArrearsTest, AR10_5_AnEmployerFromHmrcPutsTheCaseOnTheDeoRung) {
  Start(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  ArrearsAction a = TwoMissed();
  ScriptHmrc(cms::v1::HMRC_ANSWER_EMPLOYER, kEmployer);
  ArrearsAction out;
  ASSERT_RPC_OK(AskHmrc(a, &out));
  EXPECT_EQ(out.rung(), cms::v1::ARREARS_RUNG_DEO_DER);
  EXPECT_EQ(out.deo().hmrc_answer(), cms::v1::HMRC_ANSWER_EMPLOYER);
  EXPECT_EQ(out.deo().employer_name(), kEmployer);
  EXPECT_FALSE(out.deo().desire_flag_set());
  EXPECT_EQ(Sr(a.review_service_request_id()).status(), cms::v1::SR_STATUS_IN_PROGRESS)
      << "the review is worked In Progress";
}

TEST_F(ArrearsTest, AR10_5_NothingFromHmrcSetsTheDesireFlagAndTheSixWeekReminder) {
  Start(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  ArrearsAction a = TwoMissed();
  ScriptHmrc(cms::v1::HMRC_ANSWER_NOTHING);
  ArrearsAction out;
  ASSERT_RPC_OK(AskHmrc(a, &out));
  EXPECT_EQ(out.rung(), cms::v1::ARREARS_RUNG_DISCLOSURE);
  EXPECT_TRUE(out.deo().desire_flag_set());
  EXPECT_EQ(out.deo().reminder_due_date().month(), 2);
  EXPECT_EQ(out.deo().reminder_due_date().day(), 23) << "12 January + 6 weeks";
  cms::v1::GetEmploymentRequest get;
  get.set_casegroup_id(app_.casegroup().id());
  cms::v1::Employment employment;
  ASSERT_RPC_OK(t_->payments().GetEmployment(Ctx(kSvc).get(), get, &employment));
  EXPECT_EQ(employment.desire(), cms::v1::DEO_DESIRE_MANDATORY);
  EXPECT_TRUE(employment.hmrc_requests_active()) << "re-requested every 2 weeks (M7.3)";
  const ServiceRequest review = Sr(a.review_service_request_id());
  bool reminder = false;
  for (const auto& act : review.activities()) {
    if (act.seq() == out.deo().reminder_activity_seq()) {
      reminder = true;
      EXPECT_TRUE(act.alarm());
      EXPECT_EQ(act.due_date().day(), 23);
      EXPECT_THAT(act.name(), HasSubstr("Prompt"));
    }
  }
  EXPECT_TRUE(reminder);
  // The ladder moves on, saying why the DEO was passed over.
  const cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.rung(), cms::v1::ARREARS_RUNG_DISCLOSURE);
  bool why = false;
  for (const auto& p : r.passed_over()) {
    if (p.rung() == cms::v1::ARREARS_RUNG_DEO_DER) {
      why = true;
      EXPECT_THAT(p.why(), HasSubstr("2027-01-12"));
    }
  }
  EXPECT_TRUE(why) << r.ShortDebugString();
}

// "Select either Mandatory or Self Selected": a flag the caseworker set
// before asking HMRC stays as they chose it.
TEST_F(ArrearsTest, AR10_5_ASelfSelectedDesireFlagStaysWhenHmrcHasNothing) {
  Start(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  TwoMissed();
  cms::v1::SetDeoDesireRequest self;
  self.set_request_id(RandomRequestId());
  self.set_casegroup_id(app_.casegroup().id());
  self.set_desire(cms::v1::DEO_DESIRE_SELF_SELECTED);
  cms::v1::Employment employment;
  ASSERT_RPC_OK(t_->payments().SetDeoDesire(Owner().get(), self, &employment));
  ScriptHmrc(cms::v1::HMRC_ANSWER_NOTHING);
  ArrearsAction out;
  ASSERT_RPC_OK(AskHmrc(Action(), &out));
  EXPECT_TRUE(out.deo().desire_flag_set());
  EXPECT_EQ(out.rung(), cms::v1::ARREARS_RUNG_DISCLOSURE);
  cms::v1::GetEmploymentRequest get;
  get.set_casegroup_id(app_.casegroup().id());
  ASSERT_RPC_OK(t_->payments().GetEmployment(Ctx(kSvc).get(), get, &employment));
  EXPECT_EQ(employment.desire(), cms::v1::DEO_DESIRE_SELF_SELECTED);
}

TEST_F(ArrearsTest, AR10_3_ASoleTraderStartsAtDisclosure) {
  Start(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  ArrearsAction a = TwoMissed();
  cms::v1::RecordPpBusinessStructureRequest req;
  req.set_request_id(RandomRequestId());
  req.set_case_id(app_.case_().id());
  req.set_etag(a.etag());
  req.set_business_structure(cms::v1::BUSINESS_STRUCTURE_SOLE_TRADER);
  ArrearsAction out;
  EXPECT_TRUE(Refused(t_->arrears().RecordPpBusinessStructure(Owner().get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.3", "INVALID_FIELDS", {"note"}));
  req.set_note("Companies House: sole trader");
  ASSERT_RPC_OK(t_->arrears().RecordPpBusinessStructure(Owner().get(), req, &out));
  EXPECT_EQ(out.business_structure(), cms::v1::BUSINESS_STRUCTURE_SOLE_TRADER);
  // The letter comes first; once sent and waited on, the ladder decides.
  ASSERT_RPC_OK(IssueLetter(out, &out));
  Advance(7);
  const cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.rung(), cms::v1::ARREARS_RUNG_DISCLOSURE) << r.ShortDebugString();
  ASSERT_FALSE(r.passed_over().empty());
  EXPECT_EQ(r.passed_over(0).rung(), cms::v1::ARREARS_RUNG_DEO_DER);
  EXPECT_THAT(r.passed_over(0).why(), HasSubstr("sole trader"));
}

TEST_F(ArrearsTest, AR10_13_TheMonitorSilencesTheDailyJobForTheCase) {
  Start();
  ArrearsAction a = TwoMissed();
  cms::v1::SetMissedPaymentMonitorRequest req;
  req.set_request_id(RandomRequestId());
  req.set_case_id(app_.case_().id());
  req.set_etag(a.etag());
  req.set_disabled(true);
  ArrearsAction out;
  EXPECT_TRUE(Refused(t_->arrears().SetMissedPaymentMonitor(Owner().get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.13", "INVALID_FIELDS", {"reason"}));
  req.set_reason("RDO viable, no further assets (DOT)");
  ASSERT_RPC_OK(t_->arrears().SetMissedPaymentMonitor(Owner().get(), req, &out));
  EXPECT_TRUE(out.monitor().disabled());
  EXPECT_FALSE(out.monitor().set_by().empty());
  cms::v1::ListMissedPaymentEventsRequest list;
  list.set_case_id(app_.case_().id());
  cms::v1::ListMissedPaymentEventsResponse before;
  ASSERT_RPC_OK(t_->payments().ListMissedPaymentEvents(Ctx(kSvc).get(), list, &before));
  Advance(7);  // another miss: marked, but no event
  cms::v1::ListMissedPaymentEventsResponse after;
  ASSERT_RPC_OK(t_->payments().ListMissedPaymentEvents(Ctx(kSvc).get(), list, &after));
  EXPECT_EQ(after.events_size(), before.events_size());
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_NO_ACTION);
  // Cleared, the next miss is an event again; both changes are history.
  req.set_request_id(RandomRequestId());
  req.set_etag(out.etag());
  req.set_disabled(false);
  req.set_reason("DOT: more assets found");
  ASSERT_RPC_OK(t_->arrears().SetMissedPaymentMonitor(Owner().get(), req, &out));
  Advance(7);
  cms::v1::ListMissedPaymentEventsResponse later;
  ASSERT_RPC_OK(t_->payments().ListMissedPaymentEvents(Ctx(kSvc).get(), list, &later));
  EXPECT_EQ(later.events_size(), before.events_size() + 1);
  int changes = 0;
  for (const auto& e : Events(out.id())) {
    changes += e.kind() == cms::v1::ARREARS_EVENT_KIND_MONITOR_CHANGED;
  }
  EXPECT_EQ(changes, 2);
}

TEST_F(ArrearsTest, AR10_7_AnApprovedReferralMovesToEnforcementAtMidnightAndNotBefore) {
  ReadyForLo();
  ArrearsAction a;
  // Not before a failed final negotiation for the LO.
  EXPECT_TRUE(
      Refused(Refer(&a), grpc::StatusCode::FAILED_PRECONDITION, "AR10.7", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &a));
  const int64_t amp = a.negotiation().service_request_id();
  EXPECT_EQ(Sr(amp).type_code(), "ACTION_MISSED_PAYMENT");
  EXPECT_EQ(Sr(amp).parent_id(), a.review_service_request_id());
  EXPECT_EQ(Sr(amp).sub_status(), "Negotiation Initiated");
  ASSERT_RPC_OK(NegotiationFailed(&a));
  const std::string id = RandomRequestId();
  ASSERT_RPC_OK(Refer(&a, id));
  EXPECT_EQ(a.lo().state(), cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL);
  EXPECT_EQ(a.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  const ServiceRequest review_lo = Sr(a.lo().review_lo_service_request_id());
  EXPECT_EQ(review_lo.type_code(), "REVIEW_LO");
  EXPECT_EQ(review_lo.parent_id(), amp);
  EXPECT_EQ(review_lo.status(), cms::v1::SR_STATUS_PENDING_APPROVAL);
  EXPECT_EQ(Sr(a.review_service_request_id()).sub_status(), "Awaiting LO authorisation");
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_REFER_LIABILITY_ORDER);

  const cms::v1::Approval approved = Decide(a.lo().approval_id(), true, "LO appropriate");
  EXPECT_THAT(approved.action_result(), HasSubstr("ENFORCEMENT"));
  a = Action();
  EXPECT_EQ(a.lo().state(), cms::v1::LO_REFERRAL_STATE_APPROVED);
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(a.closed_resolution(), "LO Initiated");
  const ServiceRequest recommend = Sr(a.lo().recommend_lo_service_request_id());
  EXPECT_EQ(recommend.type_code(), "RECOMMEND_LO");
  EXPECT_EQ(recommend.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(Sr(review_lo.id()).resolution_code(), "LO Approved");
  EXPECT_EQ(Sr(amp).resolution_code(), "LO Referred");
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(review.resolution_code(), "LO Initiated");
  for (const auto& act : review.activities()) {
    EXPECT_NE(act.status(), cms::v1::ACTIVITY_STATUS_OPEN) << act.name();
  }
  const ServiceRequest decide = Sr(a.lo().review_case_service_request_id());
  EXPECT_EQ(decide.type_code(), "REVIEW_CASE_DECIDE_NEXT_ACTION");
  EXPECT_EQ(decide.status(), cms::v1::SR_STATUS_OPEN);

  // 23:59 the same day: still MAINTENANCE's.
  EXPECT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("MAINT"));
  cms::v1::AdvanceClockRequest late;
  *late.mutable_by() = google::protobuf::util::TimeUtil::SecondsToDuration(11 * 3600 + 59 * 60);
  cms::v1::Clock clock;
  ASSERT_RPC_OK(t_->admin().AdvanceClock(Ctx(kSvc).get(), late, &clock));
  ASSERT_TRUE(TimersSettled(*t_));
  EXPECT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("MAINT")) << "not before 00:00";
  EXPECT_EQ(Action().lo().state(), cms::v1::LO_REFERRAL_STATE_APPROVED);
  // 00:00: ENFORCEMENT's, with the Review Case SR.
  cms::v1::AdvanceClockRequest midnight;
  *midnight.mutable_by() = google::protobuf::util::TimeUtil::SecondsToDuration(60);
  ASSERT_RPC_OK(t_->admin().AdvanceClock(Ctx(kSvc).get(), midnight, &clock));
  ASSERT_TRUE(TimersSettled(*t_));
  const cms::v1::Casegroup g = Casegroup();
  EXPECT_THAT(g.owning_segment_system_name(), HasSubstr("ENF"));
  EXPECT_EQ(g.routing_rule(), "R3.2.3");
  EXPECT_EQ(Sr(decide.id()).owning_segment_id(), g.owning_segment_id());
  EXPECT_EQ(Action().lo().state(), cms::v1::LO_REFERRAL_STATE_REFERRED);
  EXPECT_EQ(Events(a.id()).back().kind(), cms::v1::ARREARS_EVENT_KIND_OWNERSHIP_MOVED);
}

TEST_F(ArrearsTest, AR10_7_ARejectedReferralRecordsTheTeamLeadersAlternative) {
  ReadyForLo();
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  ASSERT_RPC_OK(Refer(&a));
  Decide(a.lo().approval_id(), false, "Try disclosure for an RDO first");
  a = Action();
  EXPECT_EQ(a.lo().state(), cms::v1::LO_REFERRAL_STATE_REJECTED);
  EXPECT_EQ(a.lo().team_leader_alternative(), "Try disclosure for an RDO first");
  EXPECT_EQ(Sr(a.lo().review_lo_service_request_id()).resolution_code(), "LO Not Approved");
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_IN_PROGRESS) << "the caseworker continues";
  EXPECT_EQ(review.sub_status(), "Gather Additional Info");
  EXPECT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("MAINT"));
  const cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_NO_ACTION) << r.ShortDebugString();
  EXPECT_THAT(r.why(), HasSubstr("team leader"));
}

TEST_F(ArrearsTest, AR10_8_AReferralBelowTheLoDeMinimisIsRefusedAndChangesNothing) {
  Start(cms::v1::EMPLOYMENT_STATUS_SELF_EMPLOYED);  // £50 a week: £100 owed
  ArrearsAction a = TwoMissed();
  ASSERT_RPC_OK(IssueLetter(a, &a));
  ASSERT_RPC_OK(
      Contact(cms::v1::ARREARS_CONTACT_OUTCOME_REFUSES_TO_PAY, a.etag(), &a, "will not pay"));
  Advance(7);  // £150 owed now
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  const ArrearsAction before = Action();
  grpc::Status s = Refer(&a);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "AR10.8", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("£500.00"));
  EXPECT_THAT(s.error_message(), HasSubstr("£150.00"));
  EXPECT_EQ(Action().etag(), before.etag());
  EXPECT_TRUE(SrsOfType("REVIEW_LO").empty());
}

TEST_F(ArrearsTest, AR10_10_LegacyDebtStillToMigrateRefusesTheReferral) {
  ReadyForLo();
  cms::v1::GetCaseRequest get;
  get.set_id(app_.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  k.mutable_legacy()->set_system(cms::v1::LEGACY_SYSTEM_CS2);
  k.mutable_legacy()->set_legacy_case_reference("CS2LEGACY1");
  k.mutable_legacy()->set_csa_debt_to_migrate_pence(120000);
  cms::v1::UpdateCaseRequest update;
  update.set_request_id(RandomRequestId());
  update.set_id(k.id());
  update.set_etag(k.etag());
  *update.mutable_legacy() = k.legacy();
  update.mutable_update_mask()->add_paths("legacy");
  ASSERT_RPC_OK(t_->casegroups().UpdateCase(Owner().get(), update, &k));
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  grpc::Status s = Refer(&a);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "AR10.10", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("£1,200.00"));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_AWAIT_LEGACY_DEBT);
}

TEST_F(ArrearsTest, AR10_3_AnEmployedPpsDeoComesBeforeDisclosureOrAnLo) {
  Start(cms::v1::EMPLOYMENT_STATUS_EMPLOYED);
  ArrearsAction a = TwoMissed();
  ScriptHmrc(cms::v1::HMRC_ANSWER_EMPLOYER, kEmployer);
  ASSERT_RPC_OK(AskHmrc(a, &a));
  ArrearsAction out;
  EXPECT_TRUE(Refused(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.3", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.3", "RULE_VIOLATION"));
  EXPECT_TRUE(SrsOfType("ACTION_MISSED_PAYMENT").empty());
}

TEST_F(ArrearsTest, AR10_6_DisclosureForARdoSetsTheReviewOnTheThirdPaymentPlusFiveWorkingDays) {
  ReadyForLo();  // a self-employed PP: the ladder starts at disclosure
  ArrearsAction a;
  // Not before the final chance failed; and only DOT reports an outcome.
  cms::v1::RequestDisclosureRequest ask;
  ask.set_request_id(RandomRequestId());
  ask.set_case_id(app_.case_().id());
  ask.set_etag(Action().etag());
  ask.set_reason("current account and accounts at previous addresses");
  EXPECT_TRUE(Refused(t_->arrears().RequestDisclosure(Owner().get(), ask, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.6", "RULE_VIOLATION"));
  cms::v1::RecordDisclosureOutcomeRequest report;
  report.set_request_id(RandomRequestId());
  report.set_case_id(app_.case_().id());
  report.set_etag(Action().etag());
  report.set_outcome(cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL);
  report.set_note("nothing found");
  EXPECT_TRUE(Refused(t_->arrears().RecordDisclosureOutcome(Owner().get(), report, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.6", "RULE_VIOLATION"))
      << "a DOT outcome on a case with no disclosure";
  EXPECT_EQ(t_->arrears()
                .RecordDisclosureOutcome(Ctx("cw.gb.deduction_order_team.a1").get(), report, &a)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "DOT sees the casegroup only while it works a Disclosure SR on it";
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_FINAL_NEGOTIATION);
  ASSERT_RPC_OK(NegotiationFailed(&a));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_REQUEST_DISCLOSURE);
  ask.set_etag(a.etag());
  ASSERT_RPC_OK(t_->arrears().RequestDisclosure(Owner().get(), ask, &a));
  const ServiceRequest disclosure = Sr(a.disclosure().service_request_id());
  EXPECT_EQ(disclosure.type_code(), "DISCLOSURE");
  EXPECT_EQ(disclosure.parent_id(), a.negotiation().service_request_id());
  EXPECT_EQ(disclosure.fields().at("Disclosure Reason"),
            "current account and accounts at previous addresses");
  EXPECT_NE(disclosure.owning_segment_id(), Casegroup().owning_segment_id()) << "DOT's SR";
  EXPECT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("MAINT")) << "ownership stays";
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_AWAIT_DISCLOSURE);

  // DOT (the segment working the Disclosure SR) reports an RDO of £100 a
  // week from Monday 18 January 2027: the third payment is 1 February, + 5
  // working days in England = Monday 8 February.
  report.set_etag(a.etag());
  report.set_outcome(cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP);
  report.set_assets_found(true);
  report.set_note("RDO on the PP's current account");
  report.set_rdo_payment_pence(10000);
  *report.mutable_rdo_first_payment_date() = D(2027, 1, 18);
  report.set_rdo_frequency(cms::v1::FREQUENCY_WEEKLY);
  const std::string dot = kDot;
  // AR10.11: DOT says first whether the disclosure found an account; the
  // RDO is set up only once the case owner has authorised it.
  EXPECT_TRUE(Refused(t_->arrears().RecordDisclosureOutcome(Ctx(dot).get(), report, &a),
                      grpc::StatusCode::FAILED_PRECONDITION, "AR10.11", "RULE_VIOLATION"));
  ASSERT_RPC_OK(Report(cms::v1::DISCLOSURE_OUTCOME_SUCCESSFUL, &a));
  ASSERT_RPC_OK(Authorise(cms::v1::DEDUCTION_ORDER_RDO, &a));
  report.set_etag(a.etag());
  EXPECT_EQ(t_->arrears().RecordDisclosureOutcome(Owner().get(), report, &a).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "the case owner does not report for DOT";
  ASSERT_RPC_OK(t_->arrears().RecordDisclosureOutcome(Ctx(dot).get(), report, &a));
  EXPECT_EQ(Sr(a.disclosure().returned_authorisation_service_request_id()).resolution_code(),
            "RDO Set Up");
  EXPECT_EQ(a.disclosure().outcome(), cms::v1::DISCLOSURE_OUTCOME_RDO_SET_UP);
  EXPECT_EQ(a.disclosure().rdo_review_date().month(), 2);
  EXPECT_EQ(a.disclosure().rdo_review_date().day(), 8);
  EXPECT_EQ(Sr(disclosure.id()).resolution_code(), "RDO Set Up");
  EXPECT_EQ(Sr(a.negotiation().service_request_id()).status(), cms::v1::SR_STATUS_CLOSED);
  bool review = false;
  const ServiceRequest arrears_review = Sr(a.review_service_request_id());
  for (const auto& act : arrears_review.activities()) {
    if (act.seq() == a.disclosure().rdo_review_activity_seq()) {
      review = true;
      EXPECT_TRUE(act.alarm());
      EXPECT_EQ(act.due_date().day(), 8);
    }
  }
  EXPECT_TRUE(review);
  cms::v1::GetEmploymentRequest get;
  get.set_casegroup_id(app_.casegroup().id());
  cms::v1::Employment employment;
  ASSERT_RPC_OK(t_->payments().GetEmployment(Ctx(kSvc).get(), get, &employment));
  EXPECT_EQ(employment.desire(), cms::v1::DEO_DESIRE_MANDATORY);
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_NO_ACTION) << "the RDO collects";
}

// "If negotiation is successful": the schedule agreed in the final
// negotiation, once generated, collects the arrears, and the review closes
// Arrears Paid; until then the server says to generate it.
TEST_F(ArrearsTest, AR10_6_AnAgreedScheduleOnceGeneratedClosesTheReviewArrearsPaid) {
  ReadyForLo();  // 19 January
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  cms::v1::RecordNegotiationOutcomeRequest agreed;
  agreed.set_request_id(RandomRequestId());
  agreed.set_case_id(app_.case_().id());
  agreed.set_etag(a.etag());
  agreed.set_outcome(cms::v1::NEGOTIATION_OUTCOME_NEW_SCHEDULE_AGREED);
  agreed.set_note("PP agreed £20 a week towards the arrears");
  ASSERT_RPC_OK(t_->arrears().RecordNegotiationOutcome(Owner().get(), agreed, &a));
  const cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_NO_ACTION);
  EXPECT_EQ(r.rule(), "AR10.6");
  EXPECT_THAT(r.why(), HasSubstr("GenerateSchedule"));
  EXPECT_NE(Sr(a.review_service_request_id()).status(), cms::v1::SR_STATUS_CLOSED);

  Generate(D(2027, 2, 1), "negotiated");
  a = Action();
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(a.closed_resolution(), "Arrears Paid");
  const ServiceRequest review = Sr(a.review_service_request_id());
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(review.resolution_code(), "Arrears Paid");
  for (const auto& act : review.activities()) {
    EXPECT_NE(act.status(), cms::v1::ACTIVITY_STATUS_OPEN) << act.name();
  }
}

// "Outstanding changes of circumstances must be completed prior to
// requesting disclosure."
TEST_F(ArrearsTest, AR10_6_DisclosureWaitsForTheCasesOpenChangesOfCircumstances) {
  ReadyForLo();
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  const ServiceRequest income = WorkingSr("CHANGE_INCOME", {});
  const grpc::Status refused = Disclose(&a);
  EXPECT_TRUE(Refused(refused, grpc::StatusCode::FAILED_PRECONDITION, "AR10.6", "RULE_VIOLATION"));
  EXPECT_THAT(refused.error_message(), HasSubstr(absl::StrCat("SR ", income.id())));
  EXPECT_EQ(Action().disclosure().service_request_id(), 0) << "nothing changed";
  // Completed, the change no longer stands in the way.
  cms::v1::ChangeServiceRequestStatusRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_id(income.id());
  cancel.set_etag(income.etag());
  cancel.set_status(cms::v1::SR_STATUS_CANCELLED);
  ServiceRequest cancelled;
  ASSERT_RPC_OK(
      t_->service_requests().ChangeServiceRequestStatus(Owner().get(), cancel, &cancelled));
  ASSERT_RPC_OK(Disclose(&a));
  EXPECT_NE(a.disclosure().service_request_id(), 0);
}

TEST_F(ArrearsTest, AR10_6_AnUnsuccessfulDisclosureLeadsToTheLo) {
  ReadyForLo();
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  cms::v1::RequestDisclosureRequest ask;
  ask.set_request_id(RandomRequestId());
  ask.set_case_id(app_.case_().id());
  ask.set_etag(a.etag());
  ask.set_reason("any account");
  ASSERT_RPC_OK(t_->arrears().RequestDisclosure(Owner().get(), ask, &a));
  cms::v1::RecordDisclosureOutcomeRequest report;
  report.set_request_id(RandomRequestId());
  report.set_case_id(app_.case_().id());
  report.set_etag(a.etag());
  report.set_outcome(cms::v1::DISCLOSURE_OUTCOME_UNSUCCESSFUL);
  report.set_note("no account with funds");
  ASSERT_RPC_OK(t_->arrears().RecordDisclosureOutcome(Ctx("cw.gb.deduction_order_team.a1").get(),
                                                      report, &a));
  EXPECT_EQ(a.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.step(), cms::v1::ARREARS_STEP_FINAL_NEGOTIATION) << r.ShortDebugString();
  EXPECT_EQ(r.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_LIABILITY_ORDER, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_REFER_LIABILITY_ORDER);
  ASSERT_RPC_OK(Refer(&a));
  EXPECT_EQ(a.lo().state(), cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL);
}

// An RDO of £100 a week from `first`, set up by DOT after a failed final
// chance and a disclosure; returns the action.
TEST_F(ArrearsTest, AR10_6_TheRdoReviewCrossesEasterThenTwoShortfallsLeadToTheLo) {
  ReadyForLo();
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  ASSERT_RPC_OK(Disclose(&a));
  // Weekly from Friday 5 March 2027: the third payment is Friday 19 March;
  // + 5 working days in England skips Good Friday (26) and Easter Monday
  // (29): Tuesday 30 March.
  ASSERT_RPC_OK(Rdo(D(2027, 3, 5), &a));
  EXPECT_EQ(a.disclosure().rdo_review_date().month(), 3);
  EXPECT_EQ(a.disclosure().rdo_review_date().day(), 30);
  // A payment not yet due, or not on the RDO's dates, is refused.
  EXPECT_TRUE(Refused(RdoPaid(D(2027, 3, 5), 8900, &a), grpc::StatusCode::INVALID_ARGUMENT,
                      "AR10.6", "INVALID_FIELDS", {"due_date"}));
  // DOT reports on each payment's day, before the nightly check judges it
  // from the receipts (arrears_enforcement_test).
  Advance(45);  // Friday 5 March
  EXPECT_TRUE(Refused(RdoPaid(D(2027, 3, 6), 8900, &a), grpc::StatusCode::INVALID_ARGUMENT,
                      "AR10.6", "INVALID_FIELDS", {"due_date"}));
  // 89% the first time: the shortfall is negotiated (an Action Missed
  // Payment raised by the server).
  ASSERT_RPC_OK(RdoPaid(D(2027, 3, 5), 8900, &a));
  EXPECT_TRUE(a.disclosure().rdo_payments(0).shortfall());
  const int64_t amp = a.negotiation().service_request_id();
  ASSERT_GT(amp, 0);
  EXPECT_EQ(Sr(amp).type_code(), "ACTION_MISSED_PAYMENT");
  EXPECT_EQ(Sr(amp).status(), cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_FINAL_NEGOTIATION);
  // 89% again: the liability order.
  Advance(7);
  ASSERT_RPC_OK(RdoPaid(D(2027, 3, 12), 8900, &a));
  EXPECT_EQ(a.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER);
  EXPECT_EQ(a.negotiation().service_request_id(), amp) << "no second negotiation";
  cms::v1::ArrearsRecommendation r = Recommend();
  EXPECT_EQ(r.rung(), cms::v1::ARREARS_RUNG_LIABILITY_ORDER) << r.ShortDebugString();
  ASSERT_RPC_OK(NegotiationFailed(&a));
  EXPECT_EQ(Recommend().step(), cms::v1::ARREARS_STEP_REFER_LIABILITY_ORDER);
  ASSERT_RPC_OK(Refer(&a));
  EXPECT_EQ(a.lo().state(), cms::v1::LO_REFERRAL_STATE_PENDING_APPROVAL);
}

TEST_F(ArrearsTest, AR10_6_TheThirdFullRdoPaymentMakesTheCaseCompliant) {
  ReadyForLo();
  ArrearsAction a;
  ASSERT_RPC_OK(Negotiate(cms::v1::ARREARS_RUNG_DISCLOSURE, &a));
  ASSERT_RPC_OK(NegotiationFailed(&a));
  ASSERT_RPC_OK(Disclose(&a));
  ASSERT_RPC_OK(Rdo(D(2027, 1, 22), &a));
  // DOT reports each payment on its day (before the nightly check).
  Advance(3);
  ASSERT_RPC_OK(RdoPaid(D(2027, 1, 22), 10000, &a));
  Advance(7);
  ASSERT_RPC_OK(RdoPaid(D(2027, 1, 29), 9000, &a));  // 90% is a full payment
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_ACTION_IN_PROGRESS);
  Advance(7);
  ASSERT_RPC_OK(RdoPaid(D(2027, 2, 5), 10000, &a));
  EXPECT_TRUE(a.disclosure().rdo_compliant());
  EXPECT_EQ(a.state(), cms::v1::ARREARS_STATE_CLOSED);
  EXPECT_EQ(Sr(a.review_service_request_id()).resolution_code(), "Disclosure Initiated");
  EXPECT_THAT(Casegroup().owning_segment_system_name(), HasSubstr("MAINT"));
  EXPECT_TRUE(Refused(RdoPaid(D(2027, 2, 12), 10000, &a), grpc::StatusCode::FAILED_PRECONDITION,
                      "AR10.6", "RULE_VIOLATION"));
}

TEST_F(ArrearsTest, DecisionsAreTheOwningSegmentsAndRefusalsChangeNothing) {
  Start();
  const ArrearsAction a = TwoMissed();
  // A caseworker of another segment may read but not decide (SR5.7).
  cms::v1::IssueArrearsLetterRequest req;
  req.set_request_id(RandomRequestId());
  req.set_case_id(app_.case_().id());
  req.set_etag(a.etag());
  ArrearsAction out;
  EXPECT_EQ(
      t_->arrears().IssueArrearsLetter(Ctx("cw.gb.collections.a1").get(), req, &out).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_RPC_OK(GetAction(&out));
  EXPECT_EQ(out.etag(), a.etag());
  // Bad input names each field.
  cms::v1::RecordArrearsContactRequest bad;
  bad.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t_->arrears().RecordArrearsContact(Owner().get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AR10.1", "INVALID_FIELDS",
                      {"case_id", "outcome", "note"}));
  // List by state and rung pages and filters.
  cms::v1::ListArrearsActionsRequest list;
  list.set_state(cms::v1::ARREARS_STATE_REVIEW);
  cms::v1::ListArrearsActionsResponse listed;
  ASSERT_RPC_OK(t_->arrears().ListArrearsActions(Ctx(kSvc).get(), list, &listed));
  ASSERT_EQ(listed.actions_size(), 1);
  EXPECT_EQ(listed.actions(0).id(), a.id());
  list.set_state(cms::v1::ARREARS_STATE_CLOSED);
  ASSERT_RPC_OK(t_->arrears().ListArrearsActions(Ctx(kSvc).get(), list, &listed));
  EXPECT_EQ(listed.actions_size(), 0);
}

}  // namespace
}  // namespace cms::testing
