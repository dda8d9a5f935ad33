// Issue 17, defect 9: values that must be refused are refused, naming the
// field, and change nothing (the caller's audit trail is unchanged): names
// that are blank once trimmed or hold NUL, CR/LF, tabs or bidirectional
// overrides (teams, staff, persons, children); a date of birth after
// business today; NUL in a note. One vocabulary: domain/values.h.
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kSvc[] = "svc.manager";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";

class RefusedValuesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    t_ = TestServer::Start().release();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  // Everything `actor` has changed, as a comparable string (X13.2).
  static std::string TrailOf(const std::string& actor) {
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(actor);
    req.set_page_size(1000);
    cms::v1::ListAuditEventsResponse resp;
    EXPECT_RPC_OK(t_->admin().ListAuditEvents(t_->Context(kSvc).get(), req, &resp));
    std::string out;
    for (const auto& e : resp.events()) absl::StrAppend(&out, e.id(), " ");
    return out;
  }

  static int64_t AnySegment() {
    cms::v1::ListSegmentsResponse resp;
    EXPECT_RPC_OK(t_->bom().ListSegments(t_->Context(kSvc).get(), {}, &resp));
    return resp.segments(0).id();
  }

  static TestServer* t_;
};

TestServer* RefusedValuesTest::t_ = nullptr;

const std::vector<std::string>& BadNames() {
  static const auto* names = new std::vector<std::string>{
      "",
      "   ",
      std::string("Team\0X", 6),
      "Team\nX",
      "Team\r\nX",
      "Team\tX",
      "Team \xe2\x80\xae"
      "X",  // U+202E RIGHT-TO-LEFT OVERRIDE
  };
  return *names;
}

TEST_F(RefusedValuesTest, TeamAndStaffNamesAreOneVisibleLine) {
  const std::string trail = TrailOf(kSvc);
  for (const std::string& bad : BadNames()) {
    SCOPED_TRACE(absl::CEscape(bad));
    cms::v1::CreateTeamRequest team;
    team.set_segment_id(AnySegment());
    team.set_name(bad);
    cms::v1::Team t;
    EXPECT_TRUE(Refused(t_->bom().CreateTeam(t_->Context(kSvc).get(), team, &t),
                        grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"name"}));
    cms::v1::AddStaffMemberRequest staff;
    staff.set_staff_id("cw.values.test");
    staff.set_name(bad);
    staff.set_role(cms::v1::ROLE_SERVICE_MANAGEMENT);
    cms::v1::StaffMember m;
    EXPECT_TRUE(Refused(t_->bom().AddStaffMember(t_->Context(kSvc).get(), staff, &m),
                        grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"name"}));
  }
  EXPECT_EQ(TrailOf(kSvc), trail);
}

TEST_F(RefusedValuesTest, PersonNamesAreOneVisibleLine) {
  const std::string trail = TrailOf(kCaseworker);
  for (const std::string& bad : BadNames()) {
    SCOPED_TRACE(absl::CEscape(bad));
    cms::v1::CreatePersonRequest req;
    *req.mutable_person() = NewPerson("Alex", "SW1A 1AA");
    req.mutable_person()->set_family_name(bad);
    cms::v1::Person out;
    // NUL is refused for every string before the use case (no rule id).
    const std::string rule = bad.find('\0') == std::string::npos ? "C2.1" : "";
    EXPECT_TRUE(Refused(t_->casegroups().CreatePerson(t_->Context(kCaseworker).get(), req, &out),
                        grpc::StatusCode::INVALID_ARGUMENT, rule, "INVALID_FIELDS",
                        {"person.family_name"}));
  }
  EXPECT_EQ(TrailOf(kCaseworker), trail);
}

TEST_F(RefusedValuesTest, ADateOfBirthAfterBusinessTodayIsRefused) {
  const std::string trail = TrailOf(kCaseworker);
  cms::v1::CreatePersonRequest req;
  *req.mutable_person() = NewPerson("Alex", "SW1A 1AA");
  auto* dob = req.mutable_person()->mutable_date_of_birth();
  dob->set_year(2027);  // business today is 2027-01-04
  dob->set_month(1);
  dob->set_day(5);
  cms::v1::Person out;
  EXPECT_TRUE(Refused(t_->casegroups().CreatePerson(t_->Context(kCaseworker).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "C2.1", "INVALID_FIELDS",
                      {"person.date_of_birth"}));

  cms::v1::CreateApplicationRequest app =
      ApplicationRequest(NewPerson("Pat", "SW1A 1AA"), NewPerson("Robin", "SW1A 1AA"));
  auto* kid = app.mutable_children(0)->mutable_date_of_birth();
  kid->set_year(2027);
  kid->set_month(6);
  kid->set_day(1);
  cms::v1::Application created;
  EXPECT_TRUE(Refused(
      t_->casegroups().CreateApplication(t_->Context(kCaseworker).get(), app, &created),
      grpc::StatusCode::INVALID_ARGUMENT, "C2.2", "INVALID_FIELDS", {"children[0].date_of_birth"}));
  EXPECT_EQ(TrailOf(kCaseworker), trail);

  // Born today is fine.
  dob->set_day(4);
  EXPECT_RPC_OK(t_->casegroups().CreatePerson(t_->Context(kCaseworker).get(), req, &out));
}

TEST_F(RefusedValuesTest, NulInANoteIsRefused) {
  cms::v1::CreatePersonRequest person;
  *person.mutable_person() = NewPerson("Noted", "SW1A 1AA");
  cms::v1::Person p;
  ASSERT_RPC_OK(t_->casegroups().CreatePerson(t_->Context(kCaseworker).get(), person, &p));
  const std::string trail = TrailOf(kCaseworker);
  cms::v1::AddNoteRequest note;
  note.set_subject(cms::v1::NOTE_SUBJECT_PERSON);
  note.set_subject_id(p.id());
  note.set_text(std::string("Called.\0Hidden", 14));
  cms::v1::Note out;
  EXPECT_TRUE(Refused(t_->service_requests().AddNote(t_->Context(kCaseworker).get(), note, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"text"}));
  EXPECT_EQ(TrailOf(kCaseworker), trail);
}

}  // namespace
}  // namespace cms::testing
