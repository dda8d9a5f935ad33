// The in-command steps a rule of the server runs inside its own command
// (the Segment 5 compliance opportunity, SPEC §9), called on app objects
// built over a TestServer's database the way the server builds them:
// CloseByRule finishes an SR's plan and closes it (SR5.2, SR5.3);
// RaiseByRule honours a parent and priority (SR5.5); SetMopfIn refuses a
// bad share total exactly as SetMopf does (M7.2); IssueLetterIn writes the
// letter to the template's recipient (L12.1). The RPC paths are proven by
// the services' own tests.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/empty.pb.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/app/dates.h"
#include "server/app/letters.h"
#include "server/app/mopf.h"
#include "server/app/service_requests.h"
#include "server/base/errors.h"
#include "server/catalog/catalog.h"
#include "server/catalog/letter_templates.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::ServiceRequest;
using ::testing::HasSubstr;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kRule[] = "TEST.RULE";

class InCommandTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = TestServer::Start().release();
    auto catalog = catalog::SrCatalog::Load(catalog::EmbeddedCatalogFiles());
    ASSERT_TRUE(catalog.ok()) << catalog.status();
    catalog_ = new catalog::SrCatalog(*std::move(catalog));
    auto templates = catalog::LetterTemplates::Load(catalog::EmbeddedLetterTemplateFiles());
    ASSERT_TRUE(templates.ok()) << templates.status();
    templates_ = new catalog::LetterTemplates(*std::move(templates));
    auto clock = app::BusinessClock::Create(/*test_mode=*/true);
    ASSERT_TRUE(clock.ok()) << clock.status();
    clock_ = new app::BusinessClock(*std::move(clock));
    commands_ = new app::Commands(server_->db(), *clock_);
    events_ = new app::CaseEvents();  // no procedure listens here
    srs_ = new app::ServiceRequestApp(*commands_, *catalog_);
    mopf_ = new app::MopfApp(*commands_);
    letters_ = new app::LetterApp(*commands_, *templates_, *events_);
  }
  static void TearDownTestSuite() {
    delete letters_;
    delete mopf_;
    delete srs_;
    delete commands_;
    delete events_;
    delete clock_;
    delete templates_;
    delete catalog_;
    delete server_;
  }

  // Runs `fn` as one command of the "system" actor, as a rule runs.
  static absl::Status InCommand(const std::function<absl::Status(app::Command&)>& fn) {
    google::protobuf::Empty unused_in, unused_out;
    return commands_->Run(app::Actor::System(), "InCommandTest", unused_in, "", &unused_out, fn);
  }

  static absl::CivilDay Today() {
    absl::CivilDay today;
    EXPECT_TRUE(commands_
                    ->Read([&](store::Tx&, absl::Time now) {
                      today = clock_->Today(now);
                      return absl::OkStatus();
                    })
                    .ok());
    return today;
  }

  static cms::v1::Application Apply() {
    cms::v1::Application app;
    EXPECT_RPC_OK(server_->casegroups().CreateApplication(
        server_->Context(kCw).get(),
        ApplicationRequest(NewPerson("Pam", "SW1A 1AA"), NewPerson("Ray", "SW1A 2AA")), &app));
    return app;
  }

  static ServiceRequest CreateSr(const cms::v1::Application& app, const std::string& type,
                                 std::map<std::string, std::string> fields = {}) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code(type);
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    for (const auto& [k, v] : fields) (*req.mutable_fields())[k] = v;
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(
        server_->service_requests().CreateServiceRequest(server_->Context(kCw).get(), req, &out));
    return out.service_request();
  }

  static ServiceRequest GetSr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(
        server_->service_requests().GetServiceRequest(server_->Context(kCw).get(), req, &sr));
    return sr;
  }

  static TestServer* server_;
  static catalog::SrCatalog* catalog_;
  static catalog::LetterTemplates* templates_;
  static app::BusinessClock* clock_;
  static app::Commands* commands_;
  static app::ServiceRequestApp* srs_;
  static app::MopfApp* mopf_;
  static app::LetterApp* letters_;
  static app::CaseEvents* events_;
};
app::CaseEvents* InCommandTest::events_ = nullptr;

TestServer* InCommandTest::server_ = nullptr;
catalog::SrCatalog* InCommandTest::catalog_ = nullptr;
catalog::LetterTemplates* InCommandTest::templates_ = nullptr;
app::BusinessClock* InCommandTest::clock_ = nullptr;
app::Commands* InCommandTest::commands_ = nullptr;
app::ServiceRequestApp* InCommandTest::srs_ = nullptr;
app::MopfApp* InCommandTest::mopf_ = nullptr;
app::LetterApp* InCommandTest::letters_ = nullptr;

TEST_F(InCommandTest, CloseByRuleClosesAnOpenSrWithItsPlanMarked) {
  // SR5.2, SR5.3: OPEN -> IN_PROGRESS (the plan is generated), every OPEN
  // activity marked by the actor (mandatory DONE, others NOT_REQUIRED),
  // then CLOSED with the resolution code, all through the status machine.
  const auto app = Apply();
  const ServiceRequest open = CreateSr(app, "OFFER_COMPLIANCE_OPPORTUNITY");
  ASSERT_EQ(open.status(), cms::v1::SR_STATUS_OPEN);
  ASSERT_EQ(open.activities_size(), 0);

  // A resolution code the type does not have is refused by the status
  // machine, and the whole command (plan included) rolls back.
  absl::Status bad = InCommand([&](app::Command& c) {
    return srs_->CloseByRule(c, open.id(), "No Such Code", "", "", kRule).status();
  });
  EXPECT_TRUE(absl::IsInvalidArgument(bad)) << bad;
  EXPECT_EQ(FieldErrorsOf(bad).at(0).field, "resolution_code");
  EXPECT_EQ(GetSr(open.id()).status(), cms::v1::SR_STATUS_OPEN);

  ServiceRequest closed;
  ASSERT_TRUE(InCommand([&](app::Command& c) -> absl::Status {
                auto out = srs_->CloseByRule(c, open.id(), "Compliance Accepted", "",
                                             "Closed by the test rule.", kRule);
                if (!out.ok()) return out.status();
                closed = *std::move(out);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(closed.status(), cms::v1::SR_STATUS_CLOSED);
  EXPECT_EQ(closed.resolution_code(), "Compliance Accepted");
  EXPECT_EQ(closed.sub_status(), "Complete");

  const ServiceRequest stored = GetSr(open.id());
  EXPECT_EQ(stored.status(), cms::v1::SR_STATUS_CLOSED);
  ASSERT_EQ(stored.activities_size(), 5) << "the type's plan was generated";
  for (const cms::v1::Activity& a : stored.activities()) {
    EXPECT_EQ(a.status(),
              a.mandatory() ? cms::v1::ACTIVITY_STATUS_DONE : cms::v1::ACTIVITY_STATUS_NOT_REQUIRED)
        << a.name();
    EXPECT_EQ(a.completed_by(), "system") << a.name();
  }

  cms::v1::ListNotesRequest notes_req;
  notes_req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes_req.set_subject_id(open.id());
  cms::v1::ListNotesResponse notes;
  ASSERT_RPC_OK(
      server_->service_requests().ListNotes(server_->Context(kCw).get(), notes_req, &notes));
  ASSERT_GE(notes.notes_size(), 1);
  EXPECT_EQ(notes.notes(notes.notes_size() - 1).text(), "Closed by the test rule.");

  // A closed SR is final (SR5.2).
  absl::Status again = InCommand([&](app::Command& c) {
    return srs_->CloseByRule(c, open.id(), "Compliance Accepted", "", "", kRule).status();
  });
  EXPECT_TRUE(absl::IsFailedPrecondition(again)) << again;
  EXPECT_EQ(RuleOf(again), "SR5.2");
}

TEST_F(InCommandTest, RaiseByRuleHonoursParentAndPriority) {
  // SR5.5: a child SR of another SR on the same casegroup, raised as a
  // priority though its type is not one.
  const auto app = Apply();
  const ServiceRequest parent = CreateSr(app, "OFFER_COMPLIANCE_OPPORTUNITY");
  app::ServiceRequestApp::RuleSr spec;
  spec.type_code = "CHANGE_TO_SERVICE_TYPE";
  spec.casegroup_id = app.casegroup().id();
  spec.case_id = app.case_().id();
  spec.fields = {{"New Service Type", "Collect and Pay"}, {"Effective Date", "2027-02-01"}};
  spec.description = "Raised by the test rule.";
  spec.rule = kRule;
  spec.parent_id = parent.id();
  spec.priority = true;

  ServiceRequest child;
  ASSERT_TRUE(InCommand([&](app::Command& c) -> absl::Status {
                auto out = srs_->RaiseByRule(c, spec);
                if (!out.ok()) return out.status();
                child = out->service_request();
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(child.parent_id(), parent.id());
  EXPECT_TRUE(child.priority());
  EXPECT_EQ(child.created_by_rule(), kRule);
  const ServiceRequest stored = GetSr(child.id());
  EXPECT_EQ(stored.parent_id(), parent.id());
  EXPECT_TRUE(stored.priority());

  // The parent must be an SR of the same casegroup, as for Create.
  const auto other = Apply();
  spec.parent_id = CreateSr(other, "OFFER_COMPLIANCE_OPPORTUNITY").id();
  absl::Status foreign =
      InCommand([&](app::Command& c) { return srs_->RaiseByRule(c, spec).status(); });
  EXPECT_TRUE(absl::IsInvalidArgument(foreign)) << foreign;
  ASSERT_EQ(FieldErrorsOf(foreign).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(foreign)[0].field, "parent_id");
}

TEST_F(InCommandTest, ARuleWritingAFieldItsTypeDoesNotDeclareIsTheServersBug) {
  // SR5.4 (issue 17 defect 9): the server's own writers go through the
  // caller's check; an undeclared field is INTERNAL naming the rule and the
  // field, so the suite fails, and the command writes nothing.
  const auto app = Apply();
  app::ServiceRequestApp::RuleSr spec;
  spec.type_code = "ARREARS_REVIEW";
  spec.casegroup_id = app.casegroup().id();
  spec.case_id = app.case_().id();
  spec.fields = {{"Reason", "Arrears Routing Logic"}, {"Arrears Band", "High"}};
  spec.description = "Raised by the test rule.";
  spec.rule = kRule;
  absl::Status bad =
      InCommand([&](app::Command& c) { return srs_->RaiseByRule(c, spec).status(); });
  EXPECT_TRUE(absl::IsInternal(bad)) << bad;
  EXPECT_THAT(std::string(bad.message()), HasSubstr(kRule));
  EXPECT_THAT(std::string(bad.message()), HasSubstr("fields[Arrears Band]"));
  cms::v1::ListServiceRequestsRequest list;
  list.set_casegroup_id(app.casegroup().id());
  list.set_include_closed(true);
  cms::v1::ListServiceRequestsResponse listed;
  ASSERT_RPC_OK(
      server_->service_requests().ListServiceRequests(server_->Context(kCw).get(), list, &listed));
  EXPECT_EQ(listed.service_requests_size(), 0);
}

TEST_F(InCommandTest, SetMopfInRefusesABadShareTotalAsTheRpcDoes) {
  // M7.2: one validation of a new MOPF for both paths.
  const auto app = Apply();
  ServiceRequest sr = CreateSr(app, "AMEND_EXISTING_MOPF", {{"MOPF Action", "Set up"}});
  cms::v1::ChangeServiceRequestStatusRequest start;
  start.set_request_id(RandomRequestId());
  start.set_id(sr.id());
  start.set_etag(sr.etag());
  start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
  ASSERT_RPC_OK(server_->service_requests().ChangeServiceRequestStatus(server_->Context(kCw).get(),
                                                                       start, &sr));
  std::vector<cms::v1::MopfMethod> methods(2);
  methods[0].set_method(cms::v1::PAYMENT_METHOD_DD);
  methods[0].set_share_percent(60);
  methods[1].set_method(cms::v1::PAYMENT_METHOD_SO);
  methods[1].set_share_percent(30);
  const absl::CivilDay today = Today();

  cms::v1::SetMopfRequest req;
  req.set_request_id(RandomRequestId());
  req.set_casegroup_id(app.casegroup().id());
  req.set_service_request_id(sr.id());
  *req.mutable_start_date() = app::DateOf(today);
  for (const auto& m : methods) *req.add_methods() = m;
  cms::v1::Mopf unused;
  const grpc::Status rpc = server_->payments().SetMopf(server_->Context(kCw).get(), req, &unused);
  ASSERT_TRUE(
      Refused(rpc, grpc::StatusCode::INVALID_ARGUMENT, "M7.2", "INVALID_FIELDS", {"methods"}));

  const absl::Status in = InCommand([&](app::Command& c) {
    return mopf_->SetMopfIn(c, app.casegroup().id(), sr.id(), today, methods).status();
  });
  ASSERT_TRUE(absl::IsInvalidArgument(in)) << in;
  EXPECT_EQ(in.message(), rpc.error_message());
  EXPECT_EQ(RuleOf(in), ErrorInfoOf(rpc).rule_id());
  const cms::v1::ErrorInfo info = ErrorInfoOf(rpc);
  const std::vector<FieldError> fields = FieldErrorsOf(in);
  ASSERT_EQ(fields.size(), static_cast<size_t>(info.field_violations_size()));
  for (size_t i = 0; i < fields.size(); ++i) {
    EXPECT_EQ(fields[i].field, info.field_violations(i).field());
    EXPECT_EQ(fields[i].description, info.field_violations(i).description());
  }
  EXPECT_THAT(fields[0].description, HasSubstr("90"));

  // The same set at 100% is written through the step, with the SR's note.
  methods[1].set_share_percent(40);
  cms::v1::Mopf set;
  ASSERT_TRUE(InCommand([&](app::Command& c) -> absl::Status {
                auto out = mopf_->SetMopfIn(c, app.casegroup().id(), sr.id(), today, methods);
                if (!out.ok()) return out.status();
                set = *std::move(out);
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(set.active_size(), 2);
  EXPECT_EQ(set.active(0).service_request_id(), sr.id());
}

TEST_F(InCommandTest, IssueLetterInWritesTheLetterToTheTemplatesRecipient) {
  // L12.1: person_id 0 defaults to the template's recipient (CMSL6031: the
  // paying parent); the letter is an outbound interaction of the case.
  const auto app = Apply();
  const ServiceRequest sr = CreateSr(app, "OFFER_COMPLIANCE_OPPORTUNITY");
  cms::v1::Letter letter;
  ASSERT_TRUE(InCommand([&](app::Command& c) -> absl::Status {
                auto out = letters_->IssueLetterIn(c, "CMSL6031", app.case_().id(),
                                                   /*person_id=*/0, sr.id());
                if (!out.ok()) return out.status();
                letter = *std::move(out);
                return absl::OkStatus();
              }).ok());
  EXPECT_GT(letter.id(), 0);
  EXPECT_EQ(letter.person_id(), app.case_().paying_parent_id());
  EXPECT_EQ(letter.service_request_id(), sr.id());
  EXPECT_EQ(letter.issued_by(), "system");
  EXPECT_THAT(letter.text(), HasSubstr("Pam"));

  cms::v1::GetLetterRequest get;
  get.set_id(letter.id());
  cms::v1::Letter stored;
  ASSERT_RPC_OK(server_->letters().GetLetter(server_->Context(kCw).get(), get, &stored));
  EXPECT_EQ(stored.ShortDebugString(), letter.ShortDebugString());

  // The RP is not this template's recipient (L12.1), as over the RPC.
  absl::Status wrong = InCommand([&](app::Command& c) {
    return letters_
        ->IssueLetterIn(c, "CMSL6031", app.case_().id(), app.case_().receiving_parent_id(), 0)
        .status();
  });
  EXPECT_TRUE(absl::IsInvalidArgument(wrong)) << wrong;
  EXPECT_EQ(RuleOf(wrong), "L12.1");
  EXPECT_FALSE(app::LetterRefused(wrong));
}

}  // namespace
}  // namespace cms::testing
