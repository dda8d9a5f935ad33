// LetterService over a real database: templates and issuing letters (L12.1),
// the DLO/NFA refusal with its SR note, and interactions recorded and listed
// per person and case (L12.2); permissions (SR5.7, X13.1), idempotency
// (X13.4) and errors (X13.5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/str_cat.h"
#include "cms/v1/letter.grpc.pb.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Interaction;
using cms::v1::Letter;
using ::testing::HasSubstr;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kTl[] = "tl.gb.new_case.a";
constexpr char kOtherSegment[] = "cw.gb.maintenance.a1";
constexpr char kScr[] = "cw.gb.special_client_records.a1";

class LetterServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = TestServer::Start().release(); }
  static void TearDownTestSuite() { delete server_; }

  static cms::v1::LetterService::Stub& letters() { return server_->letters(); }
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff = kCw) {
    return server_->Context(staff);
  }

  static cms::v1::Application Apply(const cms::v1::Person& pp, const cms::v1::Person& rp,
                                    const std::string& staff = kCw) {
    cms::v1::Application app;
    EXPECT_RPC_OK(server_->casegroups().CreateApplication(Ctx(staff).get(),
                                                          ApplicationRequest(pp, rp), &app));
    return app;
  }

  static cms::v1::IssueLetterRequest Issue(const cms::v1::Application& app, const std::string& code,
                                           bool to_pp = true) {
    cms::v1::IssueLetterRequest req;
    req.set_request_id(RandomRequestId());
    req.set_template_code(code);
    req.set_case_id(app.case_().id());
    req.set_person_id(to_pp ? app.case_().paying_parent_id() : app.case_().receiving_parent_id());
    return req;
  }

  static cms::v1::RecordInteractionRequest Record(const cms::v1::Application& app, int64_t person,
                                                  cms::v1::InteractionChannel channel,
                                                  cms::v1::InteractionDirection direction,
                                                  const std::string& text) {
    cms::v1::RecordInteractionRequest req;
    req.set_request_id(RandomRequestId());
    req.set_person_id(person);
    req.set_case_id(app.case_().id());
    req.set_channel(channel);
    req.set_direction(direction);
    req.set_text(text);
    return req;
  }

  static std::vector<Interaction> ListAll(int64_t person, int64_t case_id, int page_size,
                                          int* pages = nullptr) {
    cms::v1::ListInteractionsRequest req;
    req.set_person_id(person);
    req.set_case_id(case_id);
    req.set_page_size(page_size);
    std::vector<Interaction> all;
    for (int n = 1;; ++n) {
      cms::v1::ListInteractionsResponse resp;
      grpc::Status s = letters().ListInteractions(Ctx("qa.auditor").get(), req, &resp);
      EXPECT_TRUE(s.ok()) << Describe(s);
      all.insert(all.end(), resp.interactions().begin(), resp.interactions().end());
      if (pages != nullptr) *pages = n;
      if (!s.ok() || resp.next_page_token().empty()) return all;
      req.set_page_token(resp.next_page_token());
    }
  }

  static cms::v1::ServiceRequest NewSr(const cms::v1::Application& app) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    // Not an Arrears Review: on a PP with a DLO address that one closes by
    // itself (AR10.2).
    req.set_type_code("ACTION_MISSED_PAYMENT");
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_INTERNAL_SYSTEM);
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(server_->service_requests().CreateServiceRequest(Ctx().get(), req, &out));
    return out.service_request();
  }

  // An active caseworker of the segment, or "".
  static std::string CaseworkerOf(int64_t segment_id) {
    cms::v1::ListStaffRequest req;
    req.set_segment_id(segment_id);
    cms::v1::ListStaffResponse resp;
    EXPECT_RPC_OK(server_->bom().ListStaff(Ctx().get(), req, &resp));
    for (const auto& m : resp.staff()) {
      if (m.role() == cms::v1::ROLE_CASEWORKER && m.active()) return m.staff_id();
    }
    return "";
  }

  static std::vector<cms::v1::Note> SrNotes(int64_t sr_id) {
    cms::v1::ListNotesRequest req;
    req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
    req.set_subject_id(sr_id);
    cms::v1::ListNotesResponse resp;
    EXPECT_RPC_OK(server_->service_requests().ListNotes(Ctx().get(), req, &resp));
    return {resp.notes().begin(), resp.notes().end()};
  }

  static TestServer* server_;
};

TestServer* LetterServiceTest::server_ = nullptr;

TEST_F(LetterServiceTest, TemplatesAreServed) {
  // L12.1: every template the SPEC names, with its purpose and merge fields.
  cms::v1::ListLetterTemplatesResponse out;
  ASSERT_RPC_OK(letters().ListLetterTemplates(Ctx("qa.auditor").get(), {}, &out));
  std::set<std::string> codes;
  for (const auto& t : out.templates()) {
    codes.insert(t.code());
    EXPECT_FALSE(t.purpose().empty()) << t.code();
    EXPECT_FALSE(t.merge_fields().empty()) << t.code();
  }
  EXPECT_EQ(codes,
            (std::set<std::string>{"CMSL0136", "CMSL0137", "CMSL0138", "CMSL0139", "CMSL6031",
                                   "CMSL6038", "CMSL5511", "PROVISIONAL_CALCULATION"}));
}

TEST_F(LetterServiceTest, IssueRendersRecordsAndReadsBack) {
  // L12.1: rendered for the named person, to their correspondence address,
  // recorded as an outbound interaction on the case, retrievable.
  cms::v1::Person pp = NewPerson("Penny", "LS1 1UR");
  pp.mutable_correspondence_address()->add_lines("PO Box 12");
  pp.mutable_correspondence_address()->set_postcode("LS2 7EY");
  auto app = Apply(pp, NewPerson("Rhona", "LS1 1UR"));
  Letter letter;
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031"), &letter));
  EXPECT_GT(letter.id(), 0);
  EXPECT_EQ(letter.template_code(), "CMSL6031");
  EXPECT_EQ(letter.title(), "You Have Missed A Child Maintenance Payment");
  EXPECT_EQ(letter.person_id(), app.case_().paying_parent_id());
  EXPECT_EQ(letter.case_id(), app.case_().id());
  EXPECT_EQ(letter.issued_by(), kCw);
  EXPECT_GT(letter.issue_time().seconds(), 0);
  EXPECT_THAT(letter.text(), HasSubstr("Dear Penny Tester"));
  EXPECT_THAT(letter.text(), HasSubstr("PO Box 12\nLS2 7EY\n"));
  EXPECT_THAT(letter.text(), HasSubstr(absl::StrCat("Case reference: ", app.case_().id())));
  EXPECT_THAT(letter.text(), HasSubstr("for Kid."));
  EXPECT_THAT(letter.text(), ::testing::Not(HasSubstr("{{")));

  cms::v1::GetLetterRequest get;
  get.set_id(letter.id());
  Letter again;
  ASSERT_RPC_OK(letters().GetLetter(Ctx("qa.auditor").get(), get, &again));
  EXPECT_EQ(again.SerializeAsString(), letter.SerializeAsString());

  auto listed = ListAll(0, app.case_().id(), 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id(), letter.id());
  EXPECT_EQ(listed[0].channel(), cms::v1::INTERACTION_CHANNEL_LETTER);
  EXPECT_EQ(listed[0].direction(), cms::v1::INTERACTION_DIRECTION_OUTBOUND);
  EXPECT_EQ(listed[0].template_code(), "CMSL6031");
  EXPECT_EQ(listed[0].text(), letter.text());
  EXPECT_EQ(listed[0].person_id(), app.case_().paying_parent_id());
}

TEST_F(LetterServiceTest, EveryTemplateIssuesToItsRecipient) {
  // L12.1: each template renders for the parent it is written for, and a
  // team leader of the owning segment may issue too.
  auto app = Apply(NewPerson("Paul", "M1 1AE"), NewPerson("Rita", "M1 1AE"));
  cms::v1::ListLetterTemplatesResponse templates;
  ASSERT_RPC_OK(letters().ListLetterTemplates(Ctx().get(), {}, &templates));
  for (const auto& t : templates.templates()) {
    SCOPED_TRACE(t.code());
    const bool to_pp = t.recipient_role() == cms::v1::RECIPIENT_ROLE_PP;
    Letter letter;
    ASSERT_RPC_OK(letters().IssueLetter(Ctx(kTl).get(), Issue(app, t.code(), to_pp), &letter));
    EXPECT_THAT(letter.text(), HasSubstr(to_pp ? "Dear Paul Tester" : "Dear Rita Tester"));
    EXPECT_THAT(letter.text(), ::testing::Not(HasSubstr("{{")));
    EXPECT_EQ(letter.title(), t.title());
  }
  EXPECT_EQ(ListAll(0, app.case_().id(), 3).size(),
            static_cast<size_t>(templates.templates_size()));
}

TEST_F(LetterServiceTest, IssueRefusalsNameEachField) {
  // L12.1, X13.5: nothing is issued for a bad request.
  auto app = Apply(NewPerson("Ivy", "B1 1AA"), NewPerson("Ida", "B2 4QA"));
  auto other = Apply(NewPerson("Ozzy", "B1 1AA"), NewPerson("Olga", "B2 4QA"));
  Letter out;
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), {}, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.1", "INVALID_FIELDS",
                      {"template_code", "case_id", "person_id"}));
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL9999"), &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.1", "INVALID_FIELDS",
                      {"template_code"}));
  auto no_case = Issue(app, "CMSL6031");
  no_case.set_case_id(99999999);
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), no_case, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"case_id"}));
  // CMSL6031 is for the paying parent, CMSL5511 for the receiving parent.
  grpc::Status wrong = letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031", false), &out);
  EXPECT_TRUE(
      Refused(wrong, grpc::StatusCode::INVALID_ARGUMENT, "L12.1", "INVALID_FIELDS", {"person_id"}));
  EXPECT_THAT(wrong.error_message(), HasSubstr("paying parent"));
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL5511", true), &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.1", "INVALID_FIELDS",
                      {"person_id"}));
  auto foreign_sr = Issue(app, "CMSL6031");
  foreign_sr.set_service_request_id(NewSr(other).id());
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), foreign_sr, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"service_request_id"}));
  EXPECT_TRUE(ListAll(0, app.case_().id(), 10).empty());
}

TEST_F(LetterServiceTest, GetLetterNotFound) {
  // X13.5: an unknown id, or an interaction that is not an issued letter.
  auto app = Apply(NewPerson("Nat", "SW1A 1AA"), NewPerson("Nia", "SW1A 2AA"));
  Interaction call;
  ASSERT_RPC_OK(letters().RecordInteraction(
      Ctx().get(),
      Record(app, app.case_().paying_parent_id(), cms::v1::INTERACTION_CHANNEL_CALL,
             cms::v1::INTERACTION_DIRECTION_INBOUND, "Called to ask about payments"),
      &call));
  for (int64_t id : {int64_t{0}, int64_t{99999999}, call.id()}) {
    SCOPED_TRACE(id);
    cms::v1::GetLetterRequest get;
    get.set_id(id);
    Letter out;
    EXPECT_TRUE(Refused(letters().GetLetter(Ctx().get(), get, &out), grpc::StatusCode::NOT_FOUND,
                        "", "NOT_FOUND"));
  }
}

TEST_F(LetterServiceTest, OnlyTheOwningSegmentWrites) {
  // SR5.7, X13.1: other segments neither see nor write the case's letters
  // (need to know); a segment manager is not a letter writer (S1.4);
  // service management and auditors read them.
  auto app = Apply(NewPerson("Owen", "LS1 1UR"), NewPerson("Orla", "LS1 1UR"));
  Letter out;
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx(kOtherSegment).get(), Issue(app, "CMSL6031"), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  Interaction call;
  EXPECT_TRUE(
      Refused(letters().RecordInteraction(
                  Ctx(kOtherSegment).get(),
                  Record(app, app.case_().paying_parent_id(), cms::v1::INTERACTION_CHANNEL_CALL,
                         cms::v1::INTERACTION_DIRECTION_OUTBOUND, "Tried to call"),
                  &call),
              grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_TRUE(
      Refused(letters().IssueLetter(Ctx("sm.gb.new_case").get(), Issue(app, "CMSL6031"), &out),
              grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  EXPECT_TRUE(ListAll(0, app.case_().id(), 10).empty());

  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031"), &out));
  cms::v1::GetLetterRequest get;
  get.set_id(out.id());
  Letter read;
  EXPECT_TRUE(Refused(letters().GetLetter(Ctx(kOtherSegment).get(), get, &read),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_RPC_OK(letters().GetLetter(Ctx("qa.auditor").get(), get, &read));
  EXPECT_RPC_OK(letters().GetLetter(Ctx("svc.manager").get(), get, &read));
}

TEST_F(LetterServiceTest, SpecialClientRecordsLettersAreVisibleOnlyToThatSegment) {
  // X13.1: a sensitive party's casegroup is worked and seen by SCR only.
  auto app = Apply(NewPerson("Sid", "SW1A 1AA", /*sensitive=*/true), NewPerson("Sue", "SW1A 1AA"));
  Letter out;
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031"), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  ASSERT_RPC_OK(letters().IssueLetter(Ctx(kScr).get(), Issue(app, "CMSL6031"), &out));
  cms::v1::GetLetterRequest get;
  get.set_id(out.id());
  Letter read;
  EXPECT_RPC_OK(letters().GetLetter(Ctx(kScr).get(), get, &read));
  EXPECT_TRUE(Refused(letters().GetLetter(Ctx().get(), get, &read),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  for (int64_t person : {int64_t{0}, app.case_().paying_parent_id()}) {
    cms::v1::ListInteractionsRequest list;
    list.set_person_id(person);
    list.set_case_id(person == 0 ? app.case_().id() : 0);
    cms::v1::ListInteractionsResponse resp;
    EXPECT_TRUE(Refused(letters().ListInteractions(Ctx("qa.auditor").get(), list, &resp),
                        grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  }
}

TEST_F(LetterServiceTest, IssueIsIdempotentOnRequestId) {
  // X13.4: a retry returns the first letter and records nothing more.
  auto app = Apply(NewPerson("Reg", "M1 1AE"), NewPerson("Roz", "M1 1AE"));
  auto req = Issue(app, "CMSL6038");
  Letter first, second;
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), req, &first));
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), req, &second));
  EXPECT_EQ(second.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(ListAll(0, app.case_().id(), 10).size(), 1u);
  auto reused = req;
  reused.set_template_code("CMSL6031");
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), reused, &second),
                      grpc::StatusCode::INVALID_ARGUMENT, "X13.4", "INVALID_FIELDS",
                      {"request_id"}));
}

TEST_F(LetterServiceTest, NoLetterToADloAddressAndTheSrIsTold) {
  // L12.1: refused, nothing recorded as sent, and the SR keeps a note; a
  // retry is refused the same way without a second note (X13.4).
  cms::v1::Person pp = NewPerson("Dora", "LS1 1UR");
  pp.mutable_correspondence_address()->add_lines("Old Flat 3");
  pp.mutable_correspondence_address()->set_postcode("LS2 7EY");
  pp.set_address_status(cms::v1::ADDRESS_STATUS_DLO);
  auto app = Apply(pp, NewPerson("Dana", "LS1 1UR"));
  const cms::v1::ServiceRequest sr = NewSr(app);
  auto req = Issue(app, "CMSL6031");
  req.set_service_request_id(sr.id());
  Letter out;
  for (int attempt = 0; attempt < 2; ++attempt) {
    SCOPED_TRACE(attempt);
    grpc::Status s = letters().IssueLetter(Ctx().get(), req, &out);
    EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "L12.1", "RULE_VIOLATION"));
    EXPECT_THAT(s.error_message(), HasSubstr("correspondence address is marked DLO"));
    EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat("SR ", sr.id())));
    auto notes = SrNotes(sr.id());
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_THAT(notes[0].text(), HasSubstr("CMSL6031"));
    EXPECT_THAT(notes[0].text(), HasSubstr("DLO"));
    EXPECT_EQ(notes[0].author(), "system");
  }
  EXPECT_TRUE(ListAll(0, app.case_().id(), 10).empty());

  // Without an SR there is nobody to tell; the letter is still refused.
  auto plain = Issue(app, "CMSL6038");
  EXPECT_TRUE(Refused(letters().IssueLetter(Ctx().get(), plain, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "L12.1", "RULE_VIOLATION"));
  EXPECT_EQ(SrNotes(sr.id()).size(), 1u);
  // The RP's address is fine: their letter goes.
  EXPECT_RPC_OK(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL5511", false), &out));
}

TEST_F(LetterServiceTest, NoLetterToAnNfaRecipient) {
  // L12.1: NFA on the residential address (no correspondence address).
  cms::v1::Person rp = NewPerson("Nell", "M1 1AE");
  rp.set_address_status(cms::v1::ADDRESS_STATUS_NFA);
  auto app = Apply(NewPerson("Ned", "M1 1AE"), rp);
  const cms::v1::ServiceRequest sr = NewSr(app);
  auto req = Issue(app, "CMSL5511", /*to_pp=*/false);
  req.set_service_request_id(sr.id());
  Letter out;
  grpc::Status s = letters().IssueLetter(Ctx().get(), req, &out);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::FAILED_PRECONDITION, "L12.1", "RULE_VIOLATION"));
  EXPECT_THAT(s.error_message(), HasSubstr("residential address is marked NFA"));
  auto notes = SrNotes(sr.id());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_THAT(notes[0].text(), HasSubstr("CMSL5511"));
  EXPECT_THAT(notes[0].text(), HasSubstr("NFA"));
  EXPECT_TRUE(ListAll(app.case_().receiving_parent_id(), 0, 10).empty());
}

TEST_F(LetterServiceTest, InteractionsAreRecordedAndListedPerPersonAndCase) {
  // L12.2: calls, SMS and letters per person and per case, oldest first,
  // in pages.
  auto app = Apply(NewPerson("Cal", "B1 1AA"), NewPerson("Cat", "B2 4QA"));
  const int64_t pp = app.case_().paying_parent_id(), rp = app.case_().receiving_parent_id();
  const cms::v1::ServiceRequest sr = NewSr(app);
  auto call = Record(app, pp, cms::v1::INTERACTION_CHANNEL_CALL,
                     cms::v1::INTERACTION_DIRECTION_INBOUND, "PP called about the missed payment");
  call.set_service_request_id(sr.id());
  Interaction recorded;
  ASSERT_RPC_OK(letters().RecordInteraction(Ctx().get(), call, &recorded));
  EXPECT_EQ(recorded.author(), kCw);
  EXPECT_EQ(recorded.service_request_id(), sr.id());
  EXPECT_GT(recorded.create_time().seconds(), 0);
  // X13.4: a replay records nothing more.
  Interaction replay;
  ASSERT_RPC_OK(letters().RecordInteraction(Ctx().get(), call, &replay));
  EXPECT_EQ(replay.id(), recorded.id());

  ASSERT_RPC_OK(
      letters().RecordInteraction(Ctx(kTl).get(),
                                  Record(app, rp, cms::v1::INTERACTION_CHANNEL_SMS,
                                         cms::v1::INTERACTION_DIRECTION_OUTBOUND, "Reminder sent"),
                                  &recorded));
  ASSERT_RPC_OK(letters().RecordInteraction(
      Ctx().get(),
      Record(app, rp, cms::v1::INTERACTION_CHANNEL_LETTER, cms::v1::INTERACTION_DIRECTION_INBOUND,
             "Letter from RP with new bank details"),
      &recorded));
  Letter letter;
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031"), &letter));
  // The RP is party to a second case too, with another PP: another
  // casegroup, owned by whichever segment routing chose for it (made last,
  // as the RP's second case may change how the first casegroup routes).
  auto second_req = ApplicationRequest(NewPerson("Carl", "B1 1AA"), NewPerson("unused", "B2 4QA"));
  second_req.mutable_receiving_parent()->set_person_id(rp);
  cms::v1::Application second;
  ASSERT_RPC_OK(server_->casegroups().CreateApplication(Ctx().get(), second_req, &second));
  const std::string second_owner = CaseworkerOf(second.casegroup().owning_segment_id());
  ASSERT_FALSE(second_owner.empty());

  ASSERT_RPC_OK(letters().RecordInteraction(
      Ctx(second_owner).get(),
      Record(second, rp, cms::v1::INTERACTION_CHANNEL_CALL, cms::v1::INTERACTION_DIRECTION_OUTBOUND,
             "Called RP about the second case"),
      &recorded));

  int pages = 0;
  auto by_case = ListAll(0, app.case_().id(), 2, &pages);
  ASSERT_EQ(by_case.size(), 4u);
  EXPECT_EQ(pages, 3);  // a full last page still carries a token; the next is empty
  for (size_t i = 1; i < by_case.size(); ++i) EXPECT_LT(by_case[i - 1].id(), by_case[i].id());
  EXPECT_EQ(by_case[0].channel(), cms::v1::INTERACTION_CHANNEL_CALL);
  EXPECT_EQ(by_case[1].channel(), cms::v1::INTERACTION_CHANNEL_SMS);
  EXPECT_EQ(by_case[2].channel(), cms::v1::INTERACTION_CHANNEL_LETTER);
  EXPECT_EQ(by_case[3].id(), letter.id());

  auto by_rp = ListAll(rp, 0, 1, &pages);
  ASSERT_EQ(by_rp.size(), 3u);  // two on the first case, one on the second
  EXPECT_GE(pages, 3);
  for (const auto& i : by_rp) EXPECT_EQ(i.person_id(), rp);
  EXPECT_EQ(ListAll(rp, app.case_().id(), 10).size(), 2u);
  EXPECT_EQ(ListAll(rp, second.case_().id(), 10).size(), 1u);
  EXPECT_EQ(ListAll(pp, 0, 10).size(), 2u);
  EXPECT_EQ(ListAll(0, second.case_().id(), 10).size(), 1u);
}

TEST_F(LetterServiceTest, InteractionRefusalsNameEachField) {
  // L12.2, X13.5
  auto app = Apply(NewPerson("Fay", "LS1 1UR"), NewPerson("Flo", "LS1 1UR"));
  auto stranger = Apply(NewPerson("Sam", "LS1 1UR"), NewPerson("Sal", "LS1 1UR"));
  Interaction out;
  EXPECT_TRUE(Refused(letters().RecordInteraction(Ctx().get(), {}, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.2", "INVALID_FIELDS",
                      {"person_id", "case_id", "channel", "direction", "text"}));
  const int64_t pp = app.case_().paying_parent_id();
  EXPECT_TRUE(Refused(
      letters().RecordInteraction(Ctx().get(),
                                  Record(app, pp, cms::v1::INTERACTION_CHANNEL_LETTER,
                                         cms::v1::INTERACTION_DIRECTION_OUTBOUND, "A letter"),
                                  &out),
      grpc::StatusCode::INVALID_ARGUMENT, "L12.2", "INVALID_FIELDS", {"direction"}));
  EXPECT_TRUE(Refused(letters().RecordInteraction(
                          Ctx().get(),
                          Record(app, pp, cms::v1::INTERACTION_CHANNEL_SMS,
                                 cms::v1::INTERACTION_DIRECTION_INBOUND, std::string(4001, 'x')),
                          &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.2", "INVALID_FIELDS", {"text"}));
  EXPECT_TRUE(Refused(
      letters().RecordInteraction(
          Ctx().get(),
          Record(app, stranger.case_().paying_parent_id(), cms::v1::INTERACTION_CHANNEL_CALL,
                 cms::v1::INTERACTION_DIRECTION_INBOUND, "Who is this?"),
          &out),
      grpc::StatusCode::INVALID_ARGUMENT, "L12.2", "INVALID_FIELDS", {"person_id"}));
  auto foreign_sr = Record(app, pp, cms::v1::INTERACTION_CHANNEL_CALL,
                           cms::v1::INTERACTION_DIRECTION_INBOUND, "About another SR");
  foreign_sr.set_service_request_id(NewSr(stranger).id());
  EXPECT_TRUE(Refused(letters().RecordInteraction(Ctx().get(), foreign_sr, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"service_request_id"}));

  cms::v1::ListInteractionsResponse resp;
  EXPECT_TRUE(Refused(letters().ListInteractions(Ctx().get(), {}, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "L12.2", "INVALID_FIELDS",
                      {"person_id", "case_id"}));
  cms::v1::ListInteractionsRequest bad;
  bad.set_case_id(app.case_().id());
  bad.set_page_token("not-a-token");
  EXPECT_TRUE(Refused(letters().ListInteractions(Ctx().get(), bad, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  cms::v1::ListInteractionsRequest missing;
  missing.set_case_id(99999999);
  EXPECT_TRUE(Refused(letters().ListInteractions(Ctx().get(), missing, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"case_id"}));
  EXPECT_TRUE(ListAll(0, app.case_().id(), 10).empty());
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

TEST_F(LetterServiceTest, L12_2_TheLettersIssuedFromAnSrAreListedByIt) {
  auto app = Apply(NewPerson("Sian", "CF10 1AA"), NewPerson("Sol", "CF10 2AA"));
  cms::v1::ServiceRequest first = NewSr(app), second = NewSr(app);
  Letter from_first, from_second, from_none;
  auto issue = Issue(app, "CMSL6031");
  issue.set_service_request_id(first.id());
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), issue, &from_first));
  issue = Issue(app, "CMSL6031");
  issue.set_service_request_id(second.id());
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), issue, &from_second));
  ASSERT_RPC_OK(letters().IssueLetter(Ctx().get(), Issue(app, "CMSL6031"), &from_none));

  auto of_sr = [&](cms::v1::ListInteractionsRequest req, std::vector<int64_t>* ids) {
    cms::v1::ListInteractionsResponse resp;
    grpc::Status s = letters().ListInteractions(Ctx("qa.auditor").get(), req, &resp);
    for (const Interaction& i : resp.interactions()) ids->push_back(i.id());
    return s;
  };
  cms::v1::ListInteractionsRequest req;
  req.set_service_request_id(first.id());
  std::vector<int64_t> ids;
  ASSERT_RPC_OK(of_sr(req, &ids));
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ListAll(0, app.case_().id(), 10).size(), 3u);  // the case has all three
  Interaction only;
  {
    cms::v1::ListInteractionsResponse resp;
    ASSERT_RPC_OK(letters().ListInteractions(Ctx().get(), req, &resp));
    ASSERT_EQ(resp.interactions_size(), 1);
    only = resp.interactions(0);
  }
  EXPECT_EQ(only.service_request_id(), first.id());
  EXPECT_EQ(only.text(), from_first.text());
  req.set_service_request_id(second.id());
  ids.clear();
  ASSERT_RPC_OK(of_sr(req, &ids));
  EXPECT_EQ(ids.size(), 1u);

  // An SR is a shape of its own; an unknown one is named.
  req.set_case_id(app.case_().id());
  EXPECT_TRUE(Refused(of_sr(req, &ids), grpc::StatusCode::INVALID_ARGUMENT, "L12.2",
                      "INVALID_FIELDS", {"service_request_id"}));
  cms::v1::ListInteractionsRequest unknown;
  unknown.set_service_request_id(999999999);
  EXPECT_TRUE(Refused(of_sr(unknown, &ids), grpc::StatusCode::INVALID_ARGUMENT, "",
                      "INVALID_FIELDS", {"service_request_id"}));
}

}  // namespace
}  // namespace cms::testing
