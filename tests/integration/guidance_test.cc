// GuidanceService over a real server and database (AG11.1; issue 16): the
// A&G SR answered inside it by A&G and read by the raiser and their team
// leader only; a second answer refused, a correction superseding it; the
// special client records private request asked, answered and closed; who
// may ask, answer and read; A&G's queue with both kinds. Refusals change
// nothing. (The SCR privacy scan is guidance_privacy_test.cc.)
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

using cms::v1::GuidanceAnswer;
using cms::v1::PrivateGuidanceRequest;
using cms::v1::ServiceRequest;
using cms::v1::SrGuidance;

constexpr char kRaiser[] = "cw.gb.new_case.a1";
constexpr char kColleague[] = "cw.gb.new_case.a2";  // the raiser's team
constexpr char kRaiserTl[] = "tl.gb.new_case.a";
constexpr char kOtherTl[] = "tl.gb.new_case.b";  // the same segment, another team
constexpr char kMaintenance[] = "cw.gb.maintenance.a1";
constexpr char kAg[] = "cw.gb.advice_and_guidance.a1";
constexpr char kAgTl[] = "tl.gb.advice_and_guidance.a";
constexpr char kAgNi[] = "cw.ni.advice_and_guidance.a1";
constexpr char kScr[] = "cw.gb.special_client_records.a1";
constexpr char kScrTl[] = "tl.gb.special_client_records.a";
constexpr char kScrNi[] = "cw.ni.special_client_records.a1";
constexpr char kSvc[] = "svc.manager";
constexpr char kAuditor[] = "qa.auditor";

class GuidanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 3, 15, 12, 0, 0));
  }

  // An A&G SR raised by kRaiser on a new GB casegroup.
  ServiceRequest RaiseAandG(const std::string& question = "Is a DEO right here?") {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(
        t_->Context(kRaiser).get(),
        ApplicationRequest(NewPerson("Ann", "LS1 1AA"), NewPerson("Bea", "LS2 2BB")), &app));
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code("ADVICE_AND_GUIDANCE");
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_subject_person_id(app.casegroup().paying_parent_id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    (*req.mutable_fields())["Question"] = question;
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(
        t_->service_requests().CreateServiceRequest(t_->Context(kRaiser).get(), req, &out));
    return out.service_request();
  }

  grpc::Status Answer(const std::string& staff, int64_t sr, const std::string& etag,
                      SrGuidance* out, const std::string& request_id = RandomRequestId()) {
    cms::v1::AnswerGuidanceRequestRequest req;
    req.set_request_id(request_id);
    req.set_service_request_id(sr);
    req.set_etag(etag);
    req.set_answer("Yes: a DEO, as the PP is employed (procedure DEO-3).");
    return t_->guidance().AnswerGuidanceRequest(t_->Context(staff).get(), req, out);
  }

  grpc::Status Read(const std::string& staff, int64_t sr, SrGuidance* out) {
    cms::v1::GetGuidanceAnswerRequest req;
    req.set_service_request_id(sr);
    return t_->guidance().GetGuidanceAnswer(t_->Context(staff).get(), req, out);
  }

  ServiceRequest Sr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(t_->Context(kSvc).get(), req, &sr));
    return sr;
  }

  grpc::Status Ask(const std::string& staff, const std::string& question,
                   PrivateGuidanceRequest* out, cms::v1::Country country = cms::v1::COUNTRY_GB,
                   const std::string& request_id = RandomRequestId()) {
    cms::v1::CreatePrivateGuidanceRequestRequest req;
    req.set_request_id(request_id);
    req.set_country(country);
    req.set_question(question);
    return t_->guidance().CreatePrivateGuidanceRequest(t_->Context(staff).get(), req, out);
  }

  std::vector<PrivateGuidanceRequest> ListPrivate(const std::string& staff) {
    cms::v1::ListPrivateGuidanceRequestsRequest req;
    cms::v1::ListPrivateGuidanceRequestsResponse out;
    EXPECT_RPC_OK(t_->guidance().ListPrivateGuidanceRequests(t_->Context(staff).get(), req, &out));
    return {out.requests().begin(), out.requests().end()};
  }

  grpc::Status GetPrivate(const std::string& staff, int64_t id, PrivateGuidanceRequest* out) {
    cms::v1::GetPrivateGuidanceRequestRequest req;
    req.set_id(id);
    return t_->guidance().GetPrivateGuidanceRequest(t_->Context(staff).get(), req, out);
  }

  grpc::Status AnswerPrivate(const std::string& staff, const PrivateGuidanceRequest& r,
                             PrivateGuidanceRequest* out) {
    cms::v1::AnswerPrivateGuidanceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(r.id());
    req.set_etag(r.etag());
    req.set_answer("Disclose nothing without the SCR manager's sign-off.");
    return t_->guidance().AnswerPrivateGuidanceRequest(t_->Context(staff).get(), req, out);
  }

  grpc::Status ClosePrivate(const std::string& staff, const PrivateGuidanceRequest& r,
                            PrivateGuidanceRequest* out) {
    cms::v1::ClosePrivateGuidanceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(r.id());
    req.set_etag(r.etag());
    return t_->guidance().ClosePrivateGuidanceRequest(t_->Context(staff).get(), req, out);
  }

  grpc::Status Correct(const std::string& staff, int64_t answer_id, GuidanceAnswer* out) {
    cms::v1::CorrectGuidanceAnswerRequest req;
    req.set_request_id(RandomRequestId());
    req.set_answer_id(answer_id);
    req.set_answer("No: an RDO, as the PP is self-employed.");
    req.set_reason("The PP's employment ended in January.");
    return t_->guidance().CorrectGuidanceAnswer(t_->Context(staff).get(), req, out);
  }

  std::vector<cms::v1::GuidanceQueueItem> Queue(const std::string& staff,
                                                cms::v1::ListGuidanceQueueRequest req = {}) {
    std::vector<cms::v1::GuidanceQueueItem> items;
    for (int i = 0; i < 100; ++i) {
      cms::v1::ListGuidanceQueueResponse page;
      EXPECT_RPC_OK(t_->guidance().ListGuidanceQueue(t_->Context(staff).get(), req, &page));
      items.insert(items.end(), page.items().begin(), page.items().end());
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return items;
  }

  int AuditRows(const std::string& type, int64_t id) {
    cms::v1::ListAuditEventsRequest req;
    req.set_entity_type(type);
    req.set_entity_id(absl::StrCat(id));
    cms::v1::ListAuditEventsResponse out;
    EXPECT_RPC_OK(t_->admin().ListAuditEvents(t_->Context(kAuditor).get(), req, &out));
    return out.events_size();
  }

  std::unique_ptr<TestServer> t_;
};

TEST_F(GuidanceTest, AG11_1_AandGAnswerTheSrInsideItAndOnlyTheRaiserAndTheirTeamLeaderReadIt) {
  const ServiceRequest sr = RaiseAandG();
  SrGuidance g;
  ASSERT_RPC_OK(Read(kRaiser, sr.id(), &g));
  EXPECT_EQ(g.question(), "Is a DEO right here?");
  EXPECT_FALSE(g.has_answer()) << "not answered yet";

  // Only the A&G team that owns the SR answers: not the raiser (who sees
  // the SR), not another segment (which does not), not NI's A&G.
  SrGuidance out;
  EXPECT_TRUE(Refused(Answer(kRaiser, sr.id(), sr.etag(), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Answer(kMaintenance, sr.id(), sr.etag(), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Answer(kAgNi, sr.id(), sr.etag(), &out), grpc::StatusCode::PERMISSION_DENIED,
                      "X13.1", "PERMISSION_DENIED"));
  // A&G close it only by answering; a bad answer or a stale etag is refused.
  cms::v1::ChangeServiceRequestStatusRequest close;
  close.set_request_id(RandomRequestId());
  close.set_id(sr.id());
  close.set_etag(sr.etag());
  close.set_status(cms::v1::SR_STATUS_CLOSED);
  close.set_resolution_code("Answered");
  ServiceRequest moved;
  EXPECT_TRUE(Refused(
      t_->service_requests().ChangeServiceRequestStatus(t_->Context(kAg).get(), close, &moved),
      grpc::StatusCode::FAILED_PRECONDITION, "AG11.1", "RULE_VIOLATION"));
  cms::v1::AnswerGuidanceRequestRequest blank;
  blank.set_service_request_id(sr.id());
  blank.set_answer("  ");
  EXPECT_TRUE(Refused(t_->guidance().AnswerGuidanceRequest(t_->Context(kAg).get(), blank, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.1", "INVALID_FIELDS", {"answer"}));
  EXPECT_EQ(Answer(kAg, sr.id(), "\"77\"", &out).error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Sr(sr.id()).etag(), sr.etag()) << "refusals change nothing";

  // A&G answer: the answer typed (who, when), the SR closed "Answered".
  const std::string request_id = RandomRequestId();
  ASSERT_RPC_OK(Answer(kAg, sr.id(), sr.etag(), &out, request_id));
  EXPECT_EQ(out.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(out.answer().answered_by(), kAg);
  EXPECT_EQ(out.answer().text(), "Yes: a DEO, as the PP is employed (procedure DEO-3).");
  EXPECT_GT(out.answer().answer_time().seconds(), 0);
  EXPECT_EQ(out.history_size(), 1);
  const ServiceRequest closed = Sr(sr.id());
  EXPECT_EQ(closed.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(closed.resolution_code(), "Answered");
  for (const cms::v1::Activity& a : closed.activities()) {
    EXPECT_NE(a.status(), cms::v1::ACTIVITY_STATUS_OPEN) << a.name();
  }
  SrGuidance again;
  ASSERT_RPC_OK(Answer(kAg, sr.id(), sr.etag(), &again, request_id));
  EXPECT_EQ(again.answer().id(), out.answer().id()) << "a replay answers nothing new";

  // A second answer is refused, naming AG11.1; the first stays.
  EXPECT_TRUE(Refused(Answer(kAgTl, sr.id(), "", &again), grpc::StatusCode::FAILED_PRECONDITION,
                      "AG11.1", "RULE_VIOLATION"));

  // Read by the raiser, their team leader, A&G, service management and
  // auditors; refused to a colleague, another team's leader and other
  // segments.
  for (const char* reader : {kRaiser, kRaiserTl, kAg, kAgTl, kSvc, kAuditor}) {
    SCOPED_TRACE(reader);
    SrGuidance read;
    ASSERT_RPC_OK(Read(reader, sr.id(), &read));
    EXPECT_EQ(read.answer().id(), out.answer().id());
  }
  for (const char* other : {kColleague, kOtherTl, "sm.gb.new_case"}) {
    SCOPED_TRACE(other);
    SrGuidance read;
    EXPECT_TRUE(Refused(Read(other, sr.id(), &read), grpc::StatusCode::PERMISSION_DENIED, "AG11.1",
                        "PERMISSION_DENIED"));
    EXPECT_FALSE(read.has_answer());
  }
  for (const char* other : {kMaintenance, kAgNi, kScr}) {
    SCOPED_TRACE(other);
    SrGuidance read;
    EXPECT_TRUE(Refused(Read(other, sr.id(), &read), grpc::StatusCode::PERMISSION_DENIED, "X13.1",
                        "PERMISSION_DENIED"));
  }
  // The SR's notes (read by the whole segment) say where the answer is,
  // never what it says.
  cms::v1::ListNotesRequest notes_req;
  notes_req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes_req.set_subject_id(sr.id());
  cms::v1::ListNotesResponse notes;
  ASSERT_RPC_OK(t_->service_requests().ListNotes(t_->Context(kColleague).get(), notes_req, &notes));
  ASSERT_GE(notes.notes_size(), 1);
  EXPECT_THAT(notes.ShortDebugString(), ::testing::Not(::testing::HasSubstr("DEO-3")));
  EXPECT_THAT(Sr(sr.id()).ShortDebugString(), ::testing::Not(::testing::HasSubstr("DEO-3")));
  EXPECT_EQ(AuditRows("guidance_answer", out.answer().id()), 1) << "audited";
}

TEST_F(GuidanceTest, AG11_1_ACorrectionSupersedesTheAnswerAndKeepsTheFirst) {
  const ServiceRequest sr = RaiseAandG();
  SrGuidance answered;
  ASSERT_RPC_OK(Answer(kAg, sr.id(), "", &answered));
  const int64_t first = answered.answer().id();
  GuidanceAnswer out;
  EXPECT_TRUE(Refused(Correct(kRaiser, first, &out), grpc::StatusCode::PERMISSION_DENIED, "AG11.1",
                      "PERMISSION_DENIED"));
  cms::v1::CorrectGuidanceAnswerRequest no_reason;
  no_reason.set_answer_id(first);
  no_reason.set_answer("x");
  EXPECT_TRUE(Refused(t_->guidance().CorrectGuidanceAnswer(t_->Context(kAg).get(), no_reason, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.1", "INVALID_FIELDS", {"reason"}));

  ASSERT_RPC_OK(Correct(kAgTl, first, &out));
  EXPECT_EQ(out.supersedes_id(), first);
  EXPECT_EQ(out.answered_by(), kAgTl);
  EXPECT_EQ(out.correction_reason(), "The PP's employment ended in January.");
  // The first is superseded, not rewritten: correcting it again is stale.
  GuidanceAnswer twice;
  EXPECT_EQ(Correct(kAg, first, &twice).error_code(), grpc::StatusCode::ABORTED);

  SrGuidance read;
  ASSERT_RPC_OK(Read(kRaiser, sr.id(), &read));
  EXPECT_EQ(read.answer().id(), out.id());
  EXPECT_EQ(read.answer().text(), "No: an RDO, as the PP is self-employed.");
  ASSERT_EQ(read.history_size(), 2);
  EXPECT_EQ(read.history(0).id(), first);
  EXPECT_EQ(read.history(0).text(), "Yes: a DEO, as the PP is employed (procedure DEO-3).");
  EXPECT_EQ(read.history(0).superseded_by_id(), out.id());
  EXPECT_EQ(read.history(1).superseded_by_id(), 0);
}

TEST_F(GuidanceTest, AG11_1_SpecialClientRecordsAskPrivatelyAandGAnswerAndTheRaiserCloses) {
  // Another caseworker in the SCR team, to show the answer is the raiser's
  // and their team leader's only.
  cms::v1::GetStaffMemberRequest who;
  who.set_staff_id(kScr);
  cms::v1::StaffMember scr;
  ASSERT_RPC_OK(t_->bom().GetStaffMember(t_->Context(kSvc).get(), who, &scr));
  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id("cw.gb.scr.mate");
  add.set_name("SCR Mate");
  add.set_role(cms::v1::ROLE_CASEWORKER);
  add.set_team_id(scr.team_id());
  cms::v1::StaffMember mate;
  ASSERT_RPC_OK(t_->bom().AddStaffMember(t_->Context(kSvc).get(), add, &mate));

  PrivateGuidanceRequest r;
  const std::string request_id = RandomRequestId();
  const std::string question =
      "A PP with a live DEO asks us to stop writing to their employer. May we write to the PP "
      "only, under SR5.7, and keep £50 a week deducted?";
  ASSERT_RPC_OK(Ask(kScr, question, &r, cms::v1::COUNTRY_GB, request_id));
  EXPECT_EQ(r.state(), cms::v1::PRIVATE_GUIDANCE_STATE_OPEN);
  EXPECT_EQ(r.question(), question);
  EXPECT_EQ(r.raised_by(), kScr);
  EXPECT_EQ(r.raising_team(), "Special Client Records, GB, Team A");
  EXPECT_EQ(r.raising_team_id(), scr.team_id());
  PrivateGuidanceRequest replay;
  ASSERT_RPC_OK(Ask(kScr, question, &replay, cms::v1::COUNTRY_GB, request_id));
  EXPECT_EQ(replay.id(), r.id()) << "a replay asks nothing new";
  EXPECT_EQ(ListPrivate(kScr).size(), 1u);

  // GB A&G see it on their list and their queue; NI's A&G and other staff
  // see nothing of it.
  std::vector<PrivateGuidanceRequest> ag = ListPrivate(kAg);
  ASSERT_EQ(ag.size(), 1u);
  EXPECT_EQ(ag[0].raising_team(), "Special Client Records, GB, Team A");
  std::vector<cms::v1::GuidanceQueueItem> queue = Queue(kAg);
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].kind(), cms::v1::GUIDANCE_KIND_PRIVATE);
  EXPECT_EQ(queue[0].id(), r.id());
  EXPECT_EQ(queue[0].age_days(), 0);
  for (const char* other : {kAgNi, kMaintenance, kScrNi, "cw.gb.scr.mate"}) {
    SCOPED_TRACE(other);
    EXPECT_TRUE(ListPrivate(other).empty());
    PrivateGuidanceRequest read;
    EXPECT_TRUE(Refused(GetPrivate(other, r.id(), &read), grpc::StatusCode::PERMISSION_DENIED,
                        "AG11.1", "PERMISSION_DENIED"));
    EXPECT_FALSE(read.has_answer());
  }
  EXPECT_TRUE(Queue(kAgNi).empty());
  EXPECT_TRUE(Queue(kMaintenance).empty());

  // Only GB's A&G answer; a week later.
  AdvanceDays(*t_, 7);
  PrivateGuidanceRequest answered;
  for (const char* other : {kScr, kAgNi}) {
    EXPECT_TRUE(Refused(AnswerPrivate(other, r, &answered), grpc::StatusCode::PERMISSION_DENIED,
                        "AG11.1", "PERMISSION_DENIED"));
  }
  EXPECT_EQ(Queue(kAgTl).at(0).age_days(), 7);
  ASSERT_RPC_OK(AnswerPrivate(kAgTl, r, &answered));
  EXPECT_EQ(answered.state(), cms::v1::PRIVATE_GUIDANCE_STATE_ANSWERED);
  EXPECT_EQ(answered.answer().answered_by(), kAgTl);
  EXPECT_TRUE(Refused(AnswerPrivate(kAg, answered, &replay), grpc::StatusCode::FAILED_PRECONDITION,
                      "AG11.1", "RULE_VIOLATION"))
      << "a second answer";
  EXPECT_TRUE(Queue(kAg).empty()) << "answered: off the queue";

  // The raiser and their team leader read the answer.
  for (const char* reader : {kScr, kScrTl, kAg, kSvc, kAuditor}) {
    SCOPED_TRACE(reader);
    PrivateGuidanceRequest read;
    ASSERT_RPC_OK(GetPrivate(reader, r.id(), &read));
    EXPECT_EQ(read.answer().text(), "Disclose nothing without the SCR manager's sign-off.");
  }
  ASSERT_EQ(ListPrivate(kScrTl).size(), 1u);
  EXPECT_EQ(ListPrivate(kScrTl)[0].answer().id(), answered.answer().id());

  // A&G do not close it; the raiser does, once.
  PrivateGuidanceRequest closed;
  EXPECT_TRUE(Refused(ClosePrivate(kAg, answered, &closed), grpc::StatusCode::PERMISSION_DENIED,
                      "AG11.1", "PERMISSION_DENIED"));
  EXPECT_EQ(ClosePrivate(kScr, r, &closed).error_code(), grpc::StatusCode::ABORTED) << "stale etag";
  ASSERT_RPC_OK(ClosePrivate(kScr, answered, &closed));
  EXPECT_EQ(closed.state(), cms::v1::PRIVATE_GUIDANCE_STATE_CLOSED);
  EXPECT_EQ(closed.closed_by(), kScr);
  EXPECT_TRUE(Refused(ClosePrivate(kScrTl, closed, &replay), grpc::StatusCode::FAILED_PRECONDITION,
                      "AG11.1", "RULE_VIOLATION"));
  // Audited: created, answered, closed; and the answer.
  EXPECT_EQ(AuditRows("private_guidance_request", r.id()), 3);
  EXPECT_EQ(AuditRows("guidance_answer", answered.answer().id()), 1);
}

TEST_F(GuidanceTest, AG11_1_OnlySpecialClientRecordsAskPrivatelyAndNeverWithClientDetails) {
  PrivateGuidanceRequest out;
  for (const char* other : {kMaintenance, kAg, kRaiserTl}) {
    SCOPED_TRACE(other);
    EXPECT_TRUE(Refused(Ask(other, "May we disclose an address?", &out),
                        grpc::StatusCode::PERMISSION_DENIED, "AG11.1", "PERMISSION_DENIED"));
  }
  EXPECT_TRUE(Refused(Ask("sm.gb.special_client_records", "May we?", &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  for (const char* bad : {"The PP, QQ 12 34 56 C, asks...", "moved to LS1 4AP", "case 12 again",
                          "email them at a.b@example.org", "born 14/02/1988"}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(Refused(Ask(kScr, bad, &out), grpc::StatusCode::INVALID_ARGUMENT, "AG11.1",
                        "INVALID_FIELDS", {"question"}));
  }
  EXPECT_TRUE(Refused(Ask(kScr, "A fine question?", &out, cms::v1::COUNTRY_UNSPECIFIED),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.1", "INVALID_FIELDS", {"country"}));
  EXPECT_TRUE(ListPrivate(kSvc).empty()) << "nothing stored";
  // NI's A&G answer an SCR question about NI.
  ASSERT_RPC_OK(
      Ask(kScrTl, "Does the NI calendar change the RDO review date?", &out, cms::v1::COUNTRY_NI));
  EXPECT_TRUE(ListPrivate(kAg).empty());
  ASSERT_EQ(ListPrivate(kAgNi).size(), 1u);
}

TEST_F(GuidanceTest, AG11_1_TheQueueHoldsBothKindsOldestFirstWithTheirAge) {
  const ServiceRequest first = RaiseAandG("First?");
  AdvanceDays(*t_, 2);
  PrivateGuidanceRequest second;
  ASSERT_RPC_OK(Ask(kScr, "Second?", &second));
  AdvanceDays(*t_, 1);
  const ServiceRequest third = RaiseAandG("Third?");

  // Paged one by one, across the two kinds.
  cms::v1::ListGuidanceQueueRequest one_by_one;
  one_by_one.set_page_size(1);
  std::vector<cms::v1::GuidanceQueueItem> items = Queue(kAg, one_by_one);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind(), cms::v1::GUIDANCE_KIND_SERVICE_REQUEST);
  EXPECT_EQ(items[0].id(), first.id());
  EXPECT_EQ(items[0].question(), "First?");
  EXPECT_EQ(items[0].age_days(), 3);
  EXPECT_EQ(items[0].raised_by(), kRaiser);
  EXPECT_EQ(items[1].kind(), cms::v1::GUIDANCE_KIND_PRIVATE);
  EXPECT_EQ(items[1].id(), second.id());
  EXPECT_EQ(items[1].age_days(), 1);
  EXPECT_EQ(items[2].id(), third.id());
  EXPECT_EQ(items[2].age_days(), 0);
  for (const auto& item : items) {
    EXPECT_THAT(item.ShortDebugString(), ::testing::Not(::testing::HasSubstr("casegroup")));
  }
  // Filtered by kind; service management and auditors see every team's;
  // other staff none.
  cms::v1::ListGuidanceQueueRequest srs;
  srs.set_kind(cms::v1::GUIDANCE_KIND_SERVICE_REQUEST);
  EXPECT_EQ(Queue(kAg, srs).size(), 2u);
  EXPECT_EQ(Queue(kSvc).size(), 3u);
  EXPECT_EQ(Queue(kAuditor).size(), 3u);
  EXPECT_TRUE(Queue(kRaiser).empty());
  EXPECT_TRUE(Queue(kScr).empty());
  // Answered, the SR leaves the queue.
  SrGuidance out;
  ASSERT_RPC_OK(Answer(kAg, first.id(), "", &out));
  EXPECT_EQ(Queue(kAg).size(), 2u);
}

}  // namespace
}  // namespace cms::testing
