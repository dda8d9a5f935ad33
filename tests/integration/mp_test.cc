// MpService over a real server and database on the business clock (AG11.4;
// issue 16): intake naming each missing field; a case enquiry validated by
// the government relations team only when the constituent is a party of
// the case named; the case's owning segment asked for input through an MP
// Enquiry Input SR, the answer waiting for it; answer and closure; only the
// team of the enquiry's country reads and works it; the deadline's timer
// marking an unanswered enquiry overdue the day after. Refusals change
// nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::MpEnquiry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kGr[] = "cw.gb.government_relations.a1";
constexpr char kGrLeader[] = "tl.gb.government_relations.a";
constexpr char kNiGr[] = "cw.ni.government_relations.a1";
constexpr char kNewCase[] = "cw.gb.new_case.a1";
constexpr char kMaintenance[] = "cw.gb.maintenance.a1";
constexpr char kAuditor[] = "qa.auditor";

class MpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start();
    // Monday 15 March 2027: a 20-working-day deadline crosses Easter (26
    // and 29 March).
    SetBusinessClock(*t_, absl::CivilSecond(2027, 3, 15, 12, 0, 0));
  }

  cms::v1::Application Apply() {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(
        t_->Context(kNewCase).get(),
        ApplicationRequest(NewPerson("Paying", "LS1 1AA"), NewPerson("Receiving", "LS2 2BB")),
        &app));
    return app;
  }

  static cms::v1::CreateMpEnquiryRequest Intake(cms::v1::MpEnquiryKind kind) {
    cms::v1::CreateMpEnquiryRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(cms::v1::COUNTRY_GB);
    req.set_kind(kind);
    req.set_channel(cms::v1::MP_CHANNEL_REGIONAL_HOTLINE);
    req.set_mp_name("Alex Member");
    req.set_mp_constituency("Leeds Central");
    req.set_question("Why has my constituent received no maintenance since March?");
    req.mutable_received_date()->set_year(2027);
    req.mutable_received_date()->set_month(3);
    req.mutable_received_date()->set_day(15);
    return req;
  }

  static cms::v1::CreateMpEnquiryRequest CaseIntake(int64_t case_id, int64_t person_id) {
    cms::v1::CreateMpEnquiryRequest req = Intake(cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY);
    req.set_case_id(case_id);
    req.set_constituent_person_id(person_id);
    req.set_constituent_name("Receiving Tester");
    return req;
  }

  MpEnquiry Create(const cms::v1::CreateMpEnquiryRequest& req,
                   const std::string& staff = kMaintenance) {
    MpEnquiry e;
    EXPECT_RPC_OK(t_->mp().CreateMpEnquiry(t_->Context(staff).get(), req, &e));
    return e;
  }

  grpc::Status Get(int64_t id, const std::string& staff, MpEnquiry* out) {
    cms::v1::GetMpEnquiryRequest req;
    req.set_id(id);
    return t_->mp().GetMpEnquiry(t_->Context(staff).get(), req, out);
  }

  MpEnquiry Read(int64_t id) {
    MpEnquiry e;
    EXPECT_RPC_OK(Get(id, kGr, &e));
    return e;
  }

  cms::v1::ListMpEnquiriesResponse List(const std::string& staff, bool overdue_only = false) {
    cms::v1::ListMpEnquiriesRequest req;
    req.set_overdue_only(overdue_only);
    cms::v1::ListMpEnquiriesResponse out;
    EXPECT_RPC_OK(t_->mp().ListMpEnquiries(t_->Context(staff).get(), req, &out));
    return out;
  }

  grpc::Status Validate(const MpEnquiry& e, const std::string& staff, MpEnquiry* out,
                        const std::string& reject = "") {
    cms::v1::ValidateMpEnquiryRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(e.id());
    req.set_etag(e.etag());
    req.set_outcome(reject.empty() ? cms::v1::MP_VALIDATION_OUTCOME_VALID
                                   : cms::v1::MP_VALIDATION_OUTCOME_REJECTED);
    req.set_rejection_reason(reject);
    return t_->mp().ValidateMpEnquiry(t_->Context(staff).get(), req, out);
  }

  grpc::Status Answer(const MpEnquiry& e, const std::string& staff, MpEnquiry* out) {
    cms::v1::AnswerMpEnquiryRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(e.id());
    req.set_etag(e.etag());
    req.set_answer_text("Payments resumed on 1 April; the arrears are being collected.");
    return t_->mp().AnswerMpEnquiry(t_->Context(staff).get(), req, out);
  }

  grpc::Status Close(const MpEnquiry& e, const std::string& staff, MpEnquiry* out) {
    cms::v1::CloseMpEnquiryRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(e.id());
    req.set_etag(e.etag());
    return t_->mp().CloseMpEnquiry(t_->Context(staff).get(), req, out);
  }

  // The SRs of a casegroup as its owner sees them, closed ones too.
  std::vector<cms::v1::ServiceRequest> Srs(int64_t casegroup_id, const std::string& owner) {
    cms::v1::ListServiceRequestsRequest req;
    req.set_casegroup_id(casegroup_id);
    req.set_include_closed(true);
    cms::v1::ListServiceRequestsResponse out;
    EXPECT_RPC_OK(t_->service_requests().ListServiceRequests(t_->Context(owner).get(), req, &out));
    return {out.service_requests().begin(), out.service_requests().end()};
  }

  // The owning segment works the input SR: its plan done, its input in a
  // note, closed with a resolution.
  void GiveInput(int64_t sr_id, const std::string& owner, const std::string& note) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(sr_id);
    cms::v1::ServiceRequest sr;
    ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(owner).get(), get, &sr));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(sr.id());
    start.set_etag(sr.etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    ASSERT_RPC_OK(
        t_->service_requests().ChangeServiceRequestStatus(t_->Context(owner).get(), start, &sr));
    const auto activities = sr.activities();
    for (const cms::v1::Activity& a : activities) {
      cms::v1::UpdateActivityRequest done;
      done.set_request_id(RandomRequestId());
      done.set_service_request_id(sr.id());
      done.set_etag(sr.etag());
      done.set_activity_id(a.id());
      done.set_status(cms::v1::ACTIVITY_STATUS_DONE);
      ASSERT_RPC_OK(t_->service_requests().UpdateActivity(t_->Context(owner).get(), done, &sr));
    }
    cms::v1::AddNoteRequest add;
    add.set_request_id(RandomRequestId());
    add.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
    add.set_subject_id(sr.id());
    add.set_text(note);
    cms::v1::Note added;
    ASSERT_RPC_OK(t_->service_requests().AddNote(t_->Context(owner).get(), add, &added));
    ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(owner).get(), get, &sr));
    cms::v1::ChangeServiceRequestStatusRequest close;
    close.set_request_id(RandomRequestId());
    close.set_id(sr.id());
    close.set_etag(sr.etag());
    close.set_status(cms::v1::SR_STATUS_CLOSED);
    close.set_resolution_code("Input Provided");
    ASSERT_RPC_OK(
        t_->service_requests().ChangeServiceRequestStatus(t_->Context(owner).get(), close, &sr));
  }

  static std::vector<cms::v1::MpEnquiryEventKind> Kinds(const MpEnquiry& e) {
    std::vector<cms::v1::MpEnquiryEventKind> out;
    for (const auto& ev : e.history()) out.push_back(ev.kind());
    return out;
  }

  std::unique_ptr<TestServer> t_;
};

TEST_F(MpTest, AG11_4_AnIntakeMissingItsFieldsIsRefusedNamingEachAndNothingIsLogged) {
  cms::v1::CreateMpEnquiryRequest req = Intake(cms::v1::MP_ENQUIRY_KIND_CASE_ENQUIRY);
  req.clear_mp_name();
  req.clear_channel();
  req.clear_question();
  MpEnquiry out;
  EXPECT_TRUE(Refused(
      t_->mp().CreateMpEnquiry(t_->Context(kMaintenance).get(), req, &out),
      grpc::StatusCode::INVALID_ARGUMENT, "AG11.4", "INVALID_FIELDS",
      {"channel", "mp_name", "question", "constituent_name", "constituent_person_id", "case_id"}));
  req = Intake(cms::v1::MP_ENQUIRY_KIND_UNSPECIFIED);
  EXPECT_TRUE(Refused(t_->mp().CreateMpEnquiry(t_->Context(kMaintenance).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.4", "INVALID_FIELDS", {"kind"}));
  EXPECT_EQ(List(kGr).enquiries_size(), 0);
}

TEST_F(MpTest,
       AG11_4_ACaseEnquiryNamingACaseTheConstituentIsNotAPartyOfIsRefusedAndNothingChanges) {
  const cms::v1::Application mine = Apply();
  const cms::v1::Application other = Apply();
  // The MP names the constituent (the other case's receiving parent) and
  // a case that is not theirs.
  MpEnquiry e = Create(CaseIntake(mine.case_().id(), other.case_().receiving_parent_id()));
  EXPECT_EQ(e.state(), cms::v1::MP_ENQUIRY_STATE_RECEIVED) << "intake checks the form only";

  MpEnquiry out;
  const grpc::Status refused = Validate(e, kGr, &out);
  EXPECT_TRUE(Refused(refused, grpc::StatusCode::FAILED_PRECONDITION, "AG11.4", "RULE_VIOLATION"));
  EXPECT_THAT(refused.error_message(),
              HasSubstr(absl::StrCat("receiving parent of case ", mine.case_().id())));
  const MpEnquiry after = Read(e.id());
  EXPECT_EQ(after.etag(), e.etag()) << "nothing changed";
  EXPECT_EQ(after.state(), cms::v1::MP_ENQUIRY_STATE_RECEIVED);
  EXPECT_EQ(after.input_service_request_id(), 0);
  EXPECT_THAT(Kinds(after), ElementsAre(cms::v1::MP_ENQUIRY_EVENT_KIND_LOGGED));
  const std::string owner = CaseworkerOfOwner(*t_, mine.casegroup().id());
  for (const auto& sr : Srs(mine.casegroup().id(), owner)) {
    EXPECT_NE(sr.type_code(), "MP_ENQUIRY_INPUT") << "no input SR was raised";
  }

  // A case that does not exist is refused the same way.
  MpEnquiry nowhere = Create(CaseIntake(999999, other.case_().receiving_parent_id()));
  EXPECT_TRUE(Refused(Validate(nowhere, kGr, &out), grpc::StatusCode::FAILED_PRECONDITION, "AG11.4",
                      "RULE_VIOLATION"));

  // The team rejects it with its reason; a rejected enquiry is final.
  EXPECT_TRUE(Refused(Validate(e, kGr, &out, " "), grpc::StatusCode::INVALID_ARGUMENT, "AG11.4",
                      "INVALID_FIELDS", {"rejection_reason"}));
  MpEnquiry rejected;
  ASSERT_RPC_OK(Validate(e, kGr, &rejected,
                         "The constituent is not a party of the case named; the MP's office is "
                         "asked for the right reference"));
  EXPECT_EQ(rejected.state(), cms::v1::MP_ENQUIRY_STATE_REJECTED);
  EXPECT_EQ(rejected.validated_by(), kGr);
  EXPECT_TRUE(Refused(Validate(rejected, kGr, &out), grpc::StatusCode::FAILED_PRECONDITION,
                      "AG11.4", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(Answer(rejected, kGr, &out), grpc::StatusCode::FAILED_PRECONDITION, "AG11.4",
                      "RULE_VIOLATION"));
}

TEST_F(MpTest, AG11_4_AValidCaseEnquiryIsValidatedTheOwnerGivesInputThenItIsAnsweredAndClosed) {
  const cms::v1::Application app = Apply();
  const int64_t constituent = app.case_().receiving_parent_id();
  cms::v1::CreateMpEnquiryRequest req = CaseIntake(app.case_().id(), constituent);
  const MpEnquiry e = Create(req);
  EXPECT_EQ(e.logged_by(), kMaintenance);
  EXPECT_EQ(e.response_due_date().month(), 4);
  EXPECT_EQ(e.response_due_date().day(), 14) << "20 working days, Easter skipped";
  EXPECT_EQ(Create(req).id(), e.id()) << "a replay logs nothing new";

  // Validated by the government relations team: the input SR goes to the
  // case's owning segment.
  MpEnquiry validated;
  ASSERT_RPC_OK(Validate(e, kGr, &validated));
  EXPECT_EQ(validated.state(), cms::v1::MP_ENQUIRY_STATE_VALIDATED);
  EXPECT_EQ(validated.validated_by(), kGr);
  EXPECT_EQ(validated.casegroup_id(), app.casegroup().id());
  ASSERT_NE(validated.input_service_request_id(), 0);
  const std::string owner = CaseworkerOfOwner(*t_, app.casegroup().id());
  cms::v1::GetServiceRequestRequest get_sr;
  get_sr.set_id(validated.input_service_request_id());
  cms::v1::ServiceRequest sr;
  ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(owner).get(), get_sr, &sr));
  EXPECT_EQ(sr.type_code(), "MP_ENQUIRY_INPUT");
  EXPECT_EQ(sr.owning_segment_id(), app.casegroup().owning_segment_id());
  EXPECT_EQ(sr.case_id(), app.case_().id());
  EXPECT_EQ(sr.subject_person_id(), constituent);
  EXPECT_EQ(sr.created_by_rule(), "AG11.4");
  EXPECT_TRUE(sr.priority());
  EXPECT_EQ(sr.fields().at("MP Enquiry"), absl::StrCat(e.id()));
  EXPECT_THAT(sr.description(), HasSubstr(req.question()));
  EXPECT_TRUE(sr.related_ids().empty());
  // The team does not see the case's records (X13.1).
  cms::v1::ServiceRequest hidden;
  EXPECT_EQ(t_->service_requests()
                .GetServiceRequest(t_->Context(kGr).get(), get_sr, &hidden)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // The answer waits for the owner's input.
  MpEnquiry out;
  EXPECT_TRUE(Refused(Answer(validated, kGr, &out), grpc::StatusCode::FAILED_PRECONDITION, "AG11.4",
                      "RULE_VIOLATION"));
  EXPECT_EQ(Read(e.id()).etag(), validated.etag()) << "nothing changed";
  GiveInput(sr.id(), owner, "Payments stopped when the employer changed; a DEO is set up.");
  const MpEnquiry with_input = Read(e.id());
  EXPECT_TRUE(with_input.input_received());
  EXPECT_EQ(with_input.input_outcome(), "Input Provided");
  ASSERT_GE(with_input.input_notes_size(), 1);
  bool found = false;
  for (const cms::v1::Note& n : with_input.input_notes()) {
    found |= n.text() == "Payments stopped when the employer changed; a DEO is set up." &&
             n.author() == owner;
  }
  EXPECT_TRUE(found) << with_input.ShortDebugString();

  // Answered (a stale etag refused), then closed by the team leader.
  EXPECT_EQ(Answer(validated, kGr, &out).error_code(), grpc::StatusCode::ABORTED);
  MpEnquiry answered;
  ASSERT_RPC_OK(Answer(with_input, kGr, &answered));
  EXPECT_EQ(answered.state(), cms::v1::MP_ENQUIRY_STATE_ANSWERED);
  EXPECT_EQ(answered.answered_by(), kGr);
  EXPECT_EQ(answered.answer_date().day(), 15);
  EXPECT_FALSE(answered.overdue());
  MpEnquiry closed;
  ASSERT_RPC_OK(Close(answered, kGrLeader, &closed));
  EXPECT_EQ(closed.state(), cms::v1::MP_ENQUIRY_STATE_CLOSED);
  EXPECT_EQ(closed.closed_by(), kGrLeader);
  EXPECT_THAT(
      Kinds(closed),
      ElementsAre(cms::v1::MP_ENQUIRY_EVENT_KIND_LOGGED, cms::v1::MP_ENQUIRY_EVENT_KIND_VALIDATED,
                  cms::v1::MP_ENQUIRY_EVENT_KIND_INPUT_REQUESTED,
                  cms::v1::MP_ENQUIRY_EVENT_KIND_INPUT_RECEIVED,
                  cms::v1::MP_ENQUIRY_EVENT_KIND_ANSWERED, cms::v1::MP_ENQUIRY_EVENT_KIND_CLOSED));

  // A closed enquiry refuses every change, naming the rule.
  const grpc::Status again = Answer(closed, kGr, &out);
  EXPECT_TRUE(Refused(again, grpc::StatusCode::FAILED_PRECONDITION, "AG11.4", "RULE_VIOLATION"));
  EXPECT_THAT(again.error_message(), HasSubstr("closed"));
  EXPECT_TRUE(Refused(Close(closed, kGr, &out), grpc::StatusCode::FAILED_PRECONDITION, "AG11.4",
                      "RULE_VIOLATION"));
  EXPECT_EQ(Read(e.id()).etag(), closed.etag());
}

TEST_F(MpTest, AG11_4_StaffOutsideGovernmentRelationsAreRefused) {
  const cms::v1::Application app = Apply();
  const MpEnquiry e =
      Create(CaseIntake(app.case_().id(), app.case_().receiving_parent_id()), kNewCase);
  MpEnquiry out;
  // A caseworker outside government relations: not even the case's owner.
  const std::string owner = CaseworkerOfOwner(*t_, app.casegroup().id());
  for (const std::string& staff : {std::string(kMaintenance), owner}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(Get(e.id(), staff, &out), grpc::StatusCode::PERMISSION_DENIED, "AG11.4",
                        "PERMISSION_DENIED"));
    EXPECT_TRUE(Refused(Validate(e, staff, &out), grpc::StatusCode::PERMISSION_DENIED, "AG11.4",
                        "PERMISSION_DENIED"));
    EXPECT_EQ(List(staff).enquiries_size(), 0) << "none outside government relations";
  }
  // Northern Ireland's team neither works nor sees Great Britain's.
  EXPECT_TRUE(Refused(Validate(e, kNiGr, &out), grpc::StatusCode::PERMISSION_DENIED, "AG11.4",
                      "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Get(e.id(), kNiGr, &out), grpc::StatusCode::PERMISSION_DENIED, "AG11.4",
                      "PERMISSION_DENIED"));
  EXPECT_EQ(List(kNiGr).enquiries_size(), 0);
  // Auditors and service management read; the GB team reads and works it.
  ASSERT_RPC_OK(Get(e.id(), kAuditor, &out));
  EXPECT_EQ(List("svc.manager").enquiries_size(), 1);
  const MpEnquiry read = Read(e.id());
  EXPECT_EQ(read.etag(), e.etag()) << "refusals change nothing";
  EXPECT_EQ(List(kGr).enquiries_size(), 1);
  ASSERT_RPC_OK(Validate(read, kGr, &out));
}

TEST_F(MpTest, AG11_4_AnUnansweredEnquiryGoesOverdueTheDayAfterItsDeadline) {
  // A general enquiry (due Wednesday 14 April) and a parliamentary question
  // (due Monday 22 March), both received on Monday 15 March.
  const MpEnquiry general = Create(Intake(cms::v1::MP_ENQUIRY_KIND_GENERAL_ENQUIRY));
  cms::v1::CreateMpEnquiryRequest pq_req = Intake(cms::v1::MP_ENQUIRY_KIND_PARLIAMENTARY_QUESTION);
  pq_req.set_channel(cms::v1::MP_CHANNEL_EMAIL);
  const MpEnquiry pq = Create(pq_req);
  EXPECT_EQ(pq.response_due_date().day(), 22);
  EXPECT_EQ(general.response_due_date().day(), 14);

  // The question is answered in time: it never goes overdue.
  MpEnquiry validated, answered;
  ASSERT_RPC_OK(Validate(pq, kGr, &validated));
  EXPECT_EQ(validated.input_service_request_id(), 0) << "no case: no input to ask for";
  ASSERT_RPC_OK(Answer(validated, kGr, &answered));

  // The deadline day itself is in time; the day after it is overdue.
  AdvanceDays(*t_, 30);  // Wednesday 14 April, 12:00
  EXPECT_EQ(List(kGr, true).enquiries_size(), 0);
  AdvanceBy(*t_, absl::Hours(12));  // 00:00 on the 15th
  const cms::v1::ListMpEnquiriesResponse overdue = List(kGr, true);
  ASSERT_EQ(overdue.enquiries_size(), 1);
  EXPECT_EQ(overdue.enquiries(0).id(), general.id());
  EXPECT_TRUE(overdue.enquiries(0).overdue());
  EXPECT_EQ(overdue.enquiries(0).age_days(), 31);
  EXPECT_THAT(Kinds(overdue.enquiries(0)), ElementsAre(cms::v1::MP_ENQUIRY_EVENT_KIND_LOGGED,
                                                       cms::v1::MP_ENQUIRY_EVENT_KIND_OVERDUE));
  EXPECT_FALSE(Read(pq.id()).overdue());

  // Answered late, it stays marked overdue.
  MpEnquiry late;
  ASSERT_RPC_OK(Validate(overdue.enquiries(0), kGr, &validated));
  ASSERT_RPC_OK(Answer(validated, kGr, &late));
  EXPECT_TRUE(late.overdue());
  EXPECT_THAT(late.history().rbegin()->detail(), HasSubstr("answered late"));
}

}  // namespace
}  // namespace cms::testing
