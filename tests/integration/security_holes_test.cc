// The holes of the security review (issue 12), each a test that failed
// before its fix: request ids scoped to their caller (X13.1, X13.4), intake
// that resolves parties with the visibility of reading them (X13.1), and an
// audit trail that obeys the visibility of what it describes (X13.1, X13.2).
// Also X13.4's deterministic replay of requests with map fields.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kNewCase[] = "cw.gb.new_case.a1";
constexpr char kNewCase2[] = "cw.gb.new_case.a2";
constexpr char kMaintenance[] = "cw.gb.maintenance.a1";
constexpr char kScr[] = "cw.gb.special_client_records.a1";

class SecurityHolesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  static cms::v1::Application Apply(const cms::v1::Person& pp, const cms::v1::Person& rp,
                                    const std::string& staff) {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(t_->Context(staff).get(),
                                                     ApplicationRequest(pp, rp), &app));
    return app;
  }

  static cms::v1::Casegroup Casegroup(int64_t id, const std::string& staff) {
    cms::v1::GetCasegroupRequest get;
    get.set_id(id);
    cms::v1::Casegroup g;
    EXPECT_RPC_OK(t_->casegroups().GetCasegroup(t_->Context(staff).get(), get, &g));
    return g;
  }

  static std::vector<cms::v1::AuditEvent> Audit(const std::string& reader,
                                                cms::v1::ListAuditEventsRequest req) {
    req.set_page_size(500);
    cms::v1::ListAuditEventsResponse out;
    EXPECT_RPC_OK(t_->admin().ListAuditEvents(t_->Context(reader).get(), req, &out));
    return {out.events().begin(), out.events().end()};
  }

  static TestServer* t_;
};

TestServer* SecurityHolesTest::t_ = nullptr;

// ---------------------------------------------------------------- hole 1

TEST_F(SecurityHolesTest, AnotherCallersRequestIdIsANewRequestNeverAReplay) {
  // X13.1, X13.4: a caseworker of another segment re-sending somebody's
  // request id used to get the stored letter (name and address).
  cms::v1::Application app =
      Apply(NewPerson("Letty", "SW1A 1AA"), NewPerson("Rp", "SW1A 2AA"), kNewCase);
  cms::v1::IssueLetterRequest req;
  req.set_request_id(RandomRequestId());
  req.set_template_code("CMSL0136");
  req.set_case_id(app.case_().id());
  req.set_person_id(app.casegroup().paying_parent_id());
  cms::v1::Letter first;
  ASSERT_RPC_OK(t_->letters().IssueLetter(t_->Context(kNewCase).get(), req, &first));

  // The same caller's retry replays the first letter.
  cms::v1::Letter again;
  ASSERT_RPC_OK(t_->letters().IssueLetter(t_->Context(kNewCase).get(), req, &again));
  EXPECT_EQ(again.id(), first.id());

  // Another segment's caseworker with the same id: refused as a new request,
  // and nothing of the letter comes back.
  cms::v1::Letter stolen;
  grpc::Status s = t_->letters().IssueLetter(t_->Context(kMaintenance).get(), req, &stolen);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_EQ(s.error_message().find("Letty"), std::string::npos) << s.error_message();
  EXPECT_EQ(stolen.id(), 0);

  // A colleague of the owning segment with the same id makes their own,
  // new letter: the id is scoped to its caller.
  cms::v1::Letter colleague;
  ASSERT_RPC_OK(t_->letters().IssueLetter(t_->Context(kNewCase2).get(), req, &colleague));
  EXPECT_NE(colleague.id(), first.id());
}

TEST_F(SecurityHolesTest, ARetryWithMapFieldsReplaysWhateverTheEntryOrder) {
  // X13.4: a genuine retry of a request with four map entries (the fields
  // a Change of Circumstance declares, SR5.4), re-sent as it was or rebuilt
  // in another insertion order, replays the first result.
  cms::v1::Application app =
      Apply(NewPerson("Map", "SW1A 1AA"), NewPerson("Rp", "SW1A 2AA"), kNewCase);
  cms::v1::CreateServiceRequestRequest create;
  create.set_request_id(RandomRequestId());
  create.set_type_code("CHANGE_OF_CIRCUMSTANCE");
  (*create.mutable_fields())["Change Type"] = "Income";
  create.set_casegroup_id(app.casegroup().id());
  create.set_case_id(app.case_().id());
  create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
  cms::v1::CreateServiceRequestResponse created;
  ASSERT_RPC_OK(
      t_->service_requests().CreateServiceRequest(t_->Context(kNewCase).get(), create, &created));

  std::vector<std::pair<std::string, std::string>> entries;
  for (const char* key : {"Change Type", "Effective Date", "Employer", "Subject Details"}) {
    entries.emplace_back(key, absl::StrCat("value of ", key));
  }
  auto build = [&](bool reversed) {
    cms::v1::UpdateServiceRequestFieldsRequest req;
    req.set_request_id("map-retry-" + RandomRequestId());
    req.set_id(created.service_request().id());
    req.set_etag(created.service_request().etag());
    if (reversed) {
      for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        (*req.mutable_fields())[it->first] = it->second;
      }
    } else {
      for (const auto& [k, v] : entries) (*req.mutable_fields())[k] = v;
    }
    return req;
  };
  cms::v1::UpdateServiceRequestFieldsRequest req = build(false);
  cms::v1::ServiceRequest first;
  ASSERT_RPC_OK(
      t_->service_requests().UpdateServiceRequestFields(t_->Context(kNewCase).get(), req, &first));
  cms::v1::UpdateServiceRequestFieldsRequest rebuilt = build(true);
  rebuilt.set_request_id(req.request_id());
  for (int i = 0; i < 20; ++i) {
    cms::v1::ServiceRequest replay;
    ASSERT_RPC_OK(t_->service_requests().UpdateServiceRequestFields(
        t_->Context(kNewCase).get(), i % 2 == 0 ? req : rebuilt, &replay));
    EXPECT_EQ(replay.etag(), first.etag());
  }
}

// ---------------------------------------------------------------- hole 2

TEST_F(SecurityHolesTest, IntakeCannotWriteToOrRevealASpecialClientRecord) {
  // X13.1: a sensitive PP's casegroup is held by special client records.
  cms::v1::Person pp = NewPerson("Secret", "SW1A 1AA", /*sensitive=*/true);
  cms::v1::Application scr = Apply(pp, NewPerson("RpS", "SW1A 2AA"), kScr);
  ASSERT_EQ(Casegroup(scr.casegroup().id(), kScr).case_ids_size(), 1);

  // Naming the person by id is reading them: refused, nothing made.
  cms::v1::CreateApplicationRequest by_id = ApplicationRequest(pp, NewPerson("X", "SW1A 2AA"));
  by_id.mutable_paying_parent()->set_person_id(scr.casegroup().paying_parent_id());
  cms::v1::Application out;
  grpc::Status s = t_->casegroups().CreateApplication(t_->Context(kMaintenance).get(), by_id, &out);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_EQ(s.error_message().find("Secret"), std::string::npos);
  EXPECT_EQ(Casegroup(scr.casegroup().id(), kScr).case_ids_size(), 1);

  // New details whose NINO matches: the application is made and handed to
  // special client records; the caller learns nothing else.
  cms::v1::Person again = NewPerson("Whoever", "M1 1AA");
  again.set_nino(pp.nino());
  cms::v1::CreateApplicationRequest by_nino = ApplicationRequest(again, NewPerson("Y", "M1 1AA"));
  ASSERT_RPC_OK(t_->casegroups().CreateApplication(t_->Context(kMaintenance).get(), by_nino, &out));
  EXPECT_TRUE(out.handed_off());
  EXPECT_FALSE(out.has_case_());
  EXPECT_FALSE(out.has_casegroup());
  EXPECT_EQ(out.ByteSizeLong(), 2u) << out.ShortDebugString();  // the flag alone
  // ...and a retry replays exactly that.
  cms::v1::Application replay;
  ASSERT_RPC_OK(
      t_->casegroups().CreateApplication(t_->Context(kMaintenance).get(), by_nino, &replay));
  EXPECT_EQ(replay.ShortDebugString(), out.ShortDebugString());
  // Special client records has it, in the PP's own casegroup (C2.3).
  cms::v1::Casegroup g = Casegroup(scr.casegroup().id(), kScr);
  EXPECT_EQ(g.case_ids_size(), 2);
}

TEST_F(SecurityHolesTest, IntakeOfAPartyKnownToAnotherSegmentIsHandedOff) {
  // X13.1: need to know: a PP already in a NEW_CASE casegroup, applied for
  // again by a maintenance caseworker, by NINO.
  cms::v1::Person pp = NewPerson("Known", "SW1A 1AA");
  cms::v1::Application first = Apply(pp, NewPerson("Rp1", "SW1A 2AA"), kNewCase);
  cms::v1::Person again = NewPerson("Known", "SW1A 1AA");
  again.set_nino(pp.nino());
  cms::v1::Application out;
  ASSERT_RPC_OK(t_->casegroups().CreateApplication(
      t_->Context(kMaintenance).get(), ApplicationRequest(again, NewPerson("Rp2", "SW1A 2AA")),
      &out));
  EXPECT_TRUE(out.handed_off());
  EXPECT_FALSE(out.has_casegroup());
  EXPECT_EQ(Casegroup(first.casegroup().id(), kNewCase).case_ids_size(), 2);
  // The owning segment's own staff get the full answer.
  ASSERT_RPC_OK(t_->casegroups().CreateApplication(
      t_->Context(kNewCase2).get(), ApplicationRequest(again, NewPerson("Rp3", "SW1A 2AA")), &out));
  EXPECT_FALSE(out.handed_off());
  EXPECT_EQ(out.casegroup().id(), first.casegroup().id());
}

// ---------------------------------------------------------------- hole 3

TEST_F(SecurityHolesTest, TheAuditTrailOfASpecialClientRecordIsHiddenFromAuditors) {
  // X13.1, X13.2: audit reads obey the visibility of what they describe.
  cms::v1::Application scr = Apply(NewPerson("Hidden", "SW1A 1AA", /*sensitive=*/true),
                                   NewPerson("RpH", "SW1A 2AA"), kScr);
  cms::v1::Application ordinary =
      Apply(NewPerson("Plain", "SW1A 1AA"), NewPerson("RpP", "SW1A 2AA"), kNewCase);
  for (const char* reader : {"qa.auditor", "svc.manager"}) {
    SCOPED_TRACE(reader);
    for (const auto& [type, id] : std::vector<std::pair<std::string, int64_t>>{
             {"person", scr.casegroup().paying_parent_id()},
             {"casegroup", scr.casegroup().id()},
             {"case", scr.case_().id()}}) {
      cms::v1::ListAuditEventsRequest req;
      req.set_entity_type(type);
      req.set_entity_id(absl::StrCat(id));
      EXPECT_TRUE(Audit(reader, req).empty()) << type;
    }
    // By actor: the SCR caseworker's rows about the SCR casegroup are left
    // out, and no row anywhere names the hidden person.
    cms::v1::ListAuditEventsRequest by_actor;
    by_actor.set_actor(kScr);
    for (const auto& e : Audit(reader, by_actor)) {
      EXPECT_EQ(e.after_json().find("Hidden"), std::string::npos) << e.ShortDebugString();
      EXPECT_NE(e.casegroup_id(), scr.casegroup().id());
    }
    // An ordinary casegroup's trail is read as before.
    cms::v1::ListAuditEventsRequest plain;
    plain.set_entity_type("casegroup");
    plain.set_entity_id(absl::StrCat(ordinary.casegroup().id()));
    std::vector<cms::v1::AuditEvent> rows = Audit(reader, plain);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0].casegroup_id(), ordinary.casegroup().id());
  }
  // The BOM's trail needs no record scope.
  cms::v1::ListAuditEventsRequest staff;
  staff.set_entity_type("staff");
  staff.set_entity_id("cw.gb.new_case.a1");
  EXPECT_FALSE(Audit("qa.auditor", staff).empty());
}

}  // namespace
}  // namespace cms::testing
