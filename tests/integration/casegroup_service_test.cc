// CasegroupService over a real database: parties (C2.1), cases (C2.2),
// casegroups (C2.3), region (C2.4), routing and movement (R3.1–R3.3, R3.5),
// visibility (X13.1), etags (X13.3), idempotency (X13.4), errors (X13.5).
#include <gtest/gtest.h>

#include "absl/strings/ascii.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Application;
using cms::v1::Casegroup;
using cms::v1::Person;

constexpr char kGbNewCase[] = "cw.gb.new_case.a1";
constexpr char kNiNewCase[] = "cw.ni.new_case.a1";
constexpr char kGbScr[] = "cw.gb.special_client_records.a1";

class CasegroupServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = TestServer::Start().release(); }
  static void TearDownTestSuite() { delete server_; }

  Application Apply(const cms::v1::CreateApplicationRequest& req,
                    const std::string& staff = kGbNewCase) {
    Application app;
    grpc::Status s =
        server_->casegroups().CreateApplication(server_->Context(staff).get(), req, &app);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return app;
  }

  cms::v1::Segment Segment(int64_t id) {
    cms::v1::GetSegmentRequest req;
    req.set_id(id);
    cms::v1::Segment seg;
    EXPECT_TRUE(server_->bom().GetSegment(server_->Context("svc.manager").get(), req, &seg).ok());
    return seg;
  }

  cms::v1::RoutingExplanation Explain(int64_t casegroup_id, const std::string& staff) {
    cms::v1::ExplainRoutingRequest req;
    req.set_casegroup_id(casegroup_id);
    cms::v1::RoutingExplanation out;
    grpc::Status s = server_->casegroups().ExplainRouting(server_->Context(staff).get(), req, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return out;
  }

  std::vector<cms::v1::CasegroupMove> Moves(int64_t casegroup_id, const std::string& staff) {
    cms::v1::ListCasegroupMovesRequest req;
    req.set_casegroup_id(casegroup_id);
    cms::v1::ListCasegroupMovesResponse out;
    EXPECT_TRUE(
        server_->casegroups().ListCasegroupMoves(server_->Context(staff).get(), req, &out).ok());
    return {out.moves().begin(), out.moves().end()};
  }

  static TestServer* server_;
};

TestServer* CasegroupServiceTest::server_ = nullptr;

TEST_F(CasegroupServiceTest, CreatePersonNormalisesAndGetReturnsIt) {
  // C2.1: NINO and postcode are validated and normalised.
  cms::v1::CreatePersonRequest req;
  req.set_request_id(RandomRequestId());
  *req.mutable_person() = NewPerson("Ann", "sw1a1aa");
  std::string nino = req.person().nino();
  req.mutable_person()->set_nino(absl::AsciiStrToLower(nino.substr(0, 2)) + " " + nino.substr(2));
  Person created;
  ASSERT_TRUE(
      server_->casegroups().CreatePerson(server_->Context(kGbNewCase).get(), req, &created).ok());
  EXPECT_GT(created.id(), 0);
  EXPECT_EQ(created.nino(), nino);
  EXPECT_EQ(created.residential_address().postcode(), "SW1A 1AA");
  EXPECT_EQ(created.address_status(), cms::v1::ADDRESS_STATUS_OK);
  EXPECT_FALSE(created.etag().empty());

  cms::v1::GetPersonRequest get;
  get.set_id(created.id());
  Person fetched;
  ASSERT_TRUE(
      server_->casegroups().GetPerson(server_->Context(kGbNewCase).get(), get, &fetched).ok());
  EXPECT_EQ(fetched.DebugString(), created.DebugString());
}

TEST_F(CasegroupServiceTest, CreatePersonRefusesBadFieldsAndDuplicateNino) {
  // C2.1, X13.5: each bad field is named; a NINO is unique.
  cms::v1::CreatePersonRequest req;
  req.set_request_id(RandomRequestId());
  Person* p = req.mutable_person();
  p->set_nino("QQ12345");
  p->mutable_residential_address()->add_lines("x");
  p->mutable_residential_address()->set_postcode("NOT A POSTCODE");
  p->set_email("nope");
  Person out;
  grpc::Status s =
      server_->casegroups().CreatePerson(server_->Context(kGbNewCase).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s),
            (std::vector<std::string>{"person.given_name", "person.family_name", "person.nino",
                                      "person.residential_address.postcode", "person.email"}));
  EXPECT_EQ(ErrorInfoOf(s).rule_id(), "C2.1");

  cms::v1::CreatePersonRequest first;
  first.set_request_id(RandomRequestId());
  *first.mutable_person() = NewPerson("Bea", "M1 1AE");
  ASSERT_TRUE(
      server_->casegroups().CreatePerson(server_->Context(kGbNewCase).get(), first, &out).ok());
  cms::v1::CreatePersonRequest dup = first;
  dup.set_request_id(RandomRequestId());
  s = server_->casegroups().CreatePerson(server_->Context(kGbNewCase).get(), dup, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"person.nino"});
}

TEST_F(CasegroupServiceTest, GetUnknownIsNotFound) {
  // X13.5
  cms::v1::GetPersonRequest p;
  p.set_id(987654321);
  Person person;
  EXPECT_EQ(
      server_->casegroups().GetPerson(server_->Context(kGbNewCase).get(), p, &person).error_code(),
      grpc::StatusCode::NOT_FOUND);
  cms::v1::GetCasegroupRequest g;
  g.set_id(987654321);
  Casegroup group;
  grpc::Status s =
      server_->casegroups().GetCasegroup(server_->Context(kGbNewCase).get(), g, &group);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorInfoOf(s).reason(), "NOT_FOUND");
}

TEST_F(CasegroupServiceTest, NorthernIrelandPayingParentIsHandledByNi) {
  // C2.4 + R3.2 rule 5: the PP's BT postcode decides; the RP's does not.
  Application app = Apply(
      ApplicationRequest(NewPerson("Pat", "BT1 5GS"), NewPerson("Rae", "CF10 1AA")), kNiNewCase);
  EXPECT_TRUE(app.casegroup_created());
  EXPECT_EQ(app.casegroup().country(), cms::v1::COUNTRY_NI);
  EXPECT_EQ(app.casegroup().routing_rule(), "R3.2.5");
  cms::v1::Segment owner = Segment(app.casegroup().owning_segment_id());
  EXPECT_EQ(owner.country(), cms::v1::COUNTRY_NI);
  EXPECT_EQ(owner.service_segment(), cms::v1::SERVICE_SEGMENT_NEW_CASE);
  EXPECT_EQ(app.case_().lifecycle_stage(), cms::v1::LIFECYCLE_STAGE_APPLICATION);
  EXPECT_EQ(app.case_().service_type(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  EXPECT_EQ(app.case_().scheme(), "2012");
  EXPECT_EQ(app.case_().children_size(), 1);

  // And the reverse: a GB PP with an NI RP stays GB.
  Application gb =
      Apply(ApplicationRequest(NewPerson("Gus", "EH1 1YZ"), NewPerson("Nia", "BT9 6AA")));
  EXPECT_EQ(gb.casegroup().country(), cms::v1::COUNTRY_GB);
}

TEST_F(CasegroupServiceTest, OneCasegroupPerPayingParent) {
  // C2.3: a second case for the same PP joins the PP's casegroup; an RP with
  // two PPs is in two casegroups.
  Application first =
      Apply(ApplicationRequest(NewPerson("Pip", "M1 1AE"), NewPerson("Rob", "M2 1AA")));
  cms::v1::CreateApplicationRequest second =
      ApplicationRequest(NewPerson("unused", "M1 1AE"), NewPerson("Ria", "M3 1AA"));
  second.mutable_paying_parent()->set_person_id(first.casegroup().paying_parent_id());
  Application again = Apply(second);
  EXPECT_FALSE(again.casegroup_created());
  EXPECT_EQ(again.casegroup().id(), first.casegroup().id());
  EXPECT_EQ(again.casegroup().case_ids_size(), 2);

  cms::v1::CreateApplicationRequest other =
      ApplicationRequest(NewPerson("Paul", "M4 1AA"), NewPerson("unused", "M1 1AE"));
  other.mutable_receiving_parent()->set_person_id(first.case_().receiving_parent_id());
  Application third = Apply(other);
  EXPECT_TRUE(third.casegroup_created());
  EXPECT_NE(third.casegroup().id(), first.casegroup().id());
  // R3.2 rule 6: the RP already has a live case, so this is not a new case.
  EXPECT_EQ(third.casegroup().routing_rule(), "R3.2.6");
}

TEST_F(CasegroupServiceTest, NewPersonWithKnownNinoIsMatched) {
  // C2.1: a new_person whose NINO exists is the existing person.
  Person pp = NewPerson("Max", "LS1 1UR");
  Application first = Apply(ApplicationRequest(pp, NewPerson("Mia", "LS2 7EY")));
  Application second = Apply(ApplicationRequest(pp, NewPerson("Meg", "LS6 1AA")));
  EXPECT_EQ(second.casegroup().paying_parent_id(), first.casegroup().paying_parent_id());
  EXPECT_EQ(second.casegroup().id(), first.casegroup().id());
}

TEST_F(CasegroupServiceTest, SensitivePartyGoesToSpecialClientRecordsVisibleOnlyThere) {
  // R3.2 rule 1 and X13.1.
  Application app = Apply(ApplicationRequest(NewPerson("Sam", "SW1A 1AA"),
                                             NewPerson("Sue", "SW1A 2AA", /*sensitive=*/true)));
  EXPECT_EQ(Segment(app.casegroup().owning_segment_id()).service_segment(),
            cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS);
  cms::v1::RoutingExplanation why = Explain(app.casegroup().id(), kGbScr);
  EXPECT_EQ(why.rule_id(), "R3.2.1");
  EXPECT_NE(why.explanation().find("R3.2"), std::string::npos);
  EXPECT_TRUE(why.facts().any_party_nationally_sensitive());

  for (const char* outsider : {kGbNewCase, "tl.gb.maintenance.a", "qa.auditor", "svc.manager",
                               "cw.ni.special_client_records.a1"}) {
    cms::v1::GetCasegroupRequest get;
    get.set_id(app.casegroup().id());
    Casegroup g;
    grpc::Status s = server_->casegroups().GetCasegroup(server_->Context(outsider).get(), get, &g);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << outsider;
    EXPECT_EQ(ErrorInfoOf(s).rule_id(), "X13.1");
    cms::v1::GetPersonRequest person;
    person.set_id(app.case_().receiving_parent_id());
    Person p;
    EXPECT_EQ(
        server_->casegroups().GetPerson(server_->Context(outsider).get(), person, &p).error_code(),
        grpc::StatusCode::PERMISSION_DENIED)
        << outsider;
  }
  cms::v1::GetCasegroupRequest get;
  get.set_id(app.casegroup().id());
  Casegroup g;
  EXPECT_TRUE(server_->casegroups().GetCasegroup(server_->Context(kGbScr).get(), get, &g).ok());
}

TEST_F(CasegroupServiceTest, NonUkPayingParentGoesToInternational) {
  // R3.2 rule 2 beats rule 5.
  Application app = Apply(ApplicationRequest(AbroadPerson("Yves"), NewPerson("Zoe", "BT1 5GS")));
  cms::v1::Segment owner = Segment(app.casegroup().owning_segment_id());
  EXPECT_EQ(owner.service_segment(), cms::v1::SERVICE_SEGMENT_INTERNATIONAL);
  EXPECT_EQ(owner.country(), cms::v1::COUNTRY_GB);
  EXPECT_EQ(app.casegroup().routing_rule(), "R3.2.2");
}

TEST_F(CasegroupServiceTest, AddressChangeMovesTheCasegroupAndRecordsIt) {
  // R3.3, R3.5: a PP moving to Belfast moves the casegroup GB -> NI.
  Application app =
      Apply(ApplicationRequest(NewPerson("Ben", "B1 1AA"), NewPerson("Bo", "B2 4QA")));
  const int64_t gb_segment = app.casegroup().owning_segment_id();

  cms::v1::GetPersonRequest get;
  get.set_id(app.casegroup().paying_parent_id());
  Person pp;
  ASSERT_TRUE(server_->casegroups().GetPerson(server_->Context(kGbNewCase).get(), get, &pp).ok());
  cms::v1::UpdatePersonRequest update;
  update.set_request_id(RandomRequestId());
  *update.mutable_person() = pp;
  update.mutable_person()->mutable_residential_address()->set_postcode("BT7 1NN");
  Person updated;
  ASSERT_TRUE(server_->casegroups()
                  .UpdatePerson(server_->Context(kGbNewCase).get(), update, &updated)
                  .ok());
  EXPECT_NE(updated.etag(), pp.etag());

  cms::v1::GetCasegroupRequest gget;
  gget.set_id(app.casegroup().id());
  Casegroup moved;
  // X13.1: the casegroup left NEW_CASE, so its old owner no longer reads it.
  EXPECT_FALSE(
      server_->casegroups().GetCasegroup(server_->Context(kGbNewCase).get(), gget, &moved).ok());
  ASSERT_TRUE(
      server_->casegroups().GetCasegroup(server_->Context("svc.manager").get(), gget, &moved).ok());
  EXPECT_EQ(moved.country(), cms::v1::COUNTRY_NI);
  EXPECT_NE(moved.owning_segment_id(), gb_segment);

  auto moves = Moves(app.casegroup().id(), "svc.manager");
  ASSERT_EQ(moves.size(), 2u);  // the first placement, then the move
  EXPECT_EQ(moves[0].from_segment_id(), 0);
  EXPECT_EQ(moves[0].to_segment_id(), gb_segment);
  EXPECT_EQ(moves[0].trigger(), "CreateApplication");
  EXPECT_EQ(moves[1].from_segment_id(), gb_segment);
  EXPECT_EQ(moves[1].to_segment_id(), moved.owning_segment_id());
  EXPECT_EQ(moves[1].rule_id(), "R3.2.5");
  EXPECT_EQ(moves[1].trigger(), "UpdatePerson");
  EXPECT_EQ(moves[1].actor(), kGbNewCase);
  EXPECT_GT(moves[1].move_time().seconds(), 0);

  // X13.3: the old etag is now stale and changes nothing.
  update.set_request_id(RandomRequestId());
  update.mutable_person()->mutable_residential_address()->set_postcode("SW1A 1AA");
  grpc::Status stale =
      server_->casegroups().UpdatePerson(server_->Context(kGbNewCase).get(), update, &updated);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(ErrorInfoOf(stale).reason(), "STALE_ETAG");
  EXPECT_EQ(Moves(app.casegroup().id(), "svc.manager").size(), 2u);
}

TEST_F(CasegroupServiceTest, LifecycleChangeReroutes) {
  // R3.3 with R3.2 rules 3, 4 and 6; each change is made by the segment
  // that owns the casegroup at the time (SR5.7).
  Application app =
      Apply(ApplicationRequest(NewPerson("Eve", "NE1 4ST"), NewPerson("Ed", "NE2 4AA")));
  cms::v1::Case c = app.case_();
  auto set_stage = [&](cms::v1::LifecycleStage stage, const char* staff) {
    cms::v1::UpdateCaseRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(c.id());
    req.set_etag(c.etag());
    req.set_lifecycle_stage(stage);
    *req.mutable_annual_review_date() = c.annual_review_date();
    grpc::Status s = server_->casegroups().UpdateCase(server_->Context(staff).get(), req, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return Explain(app.casegroup().id(), "svc.manager");
  };
  EXPECT_EQ(set_stage(cms::v1::LIFECYCLE_STAGE_MAINTENANCE, kGbNewCase).rule_id(), "R3.2.6");
  EXPECT_EQ(set_stage(cms::v1::LIFECYCLE_STAGE_ARREARS, "cw.gb.maintenance.a1").service_segment(),
            cms::v1::SERVICE_SEGMENT_ARREARS);  // the demo BOM has an ARREARS segment
  // X13.1: the previous owner no longer sees it (need to know), let alone
  // changes it.
  cms::v1::UpdateCaseRequest late;
  late.set_request_id(RandomRequestId());
  late.set_id(c.id());
  late.set_etag(c.etag());
  late.set_lifecycle_stage(cms::v1::LIFECYCLE_STAGE_ENFORCEMENT);
  *late.mutable_annual_review_date() = c.annual_review_date();
  cms::v1::Case unchanged;
  EXPECT_TRUE(Refused(server_->casegroups().UpdateCase(
                          server_->Context("cw.gb.maintenance.a1").get(), late, &unchanged),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  cms::v1::RoutingExplanation enforced =
      set_stage(cms::v1::LIFECYCLE_STAGE_ENFORCEMENT, "cw.gb.arrears.a1");
  EXPECT_EQ(enforced.rule_id(), "R3.2.3");
  EXPECT_EQ(enforced.target_segment_id(), enforced.current_segment_id());
  auto moves = Moves(app.casegroup().id(), "svc.manager");
  ASSERT_EQ(moves.size(), 4u);
  EXPECT_EQ(moves.back().rule_id(), "R3.2.3");
  EXPECT_EQ(moves.back().trigger(), "UpdateCase");
}

TEST_F(CasegroupServiceTest, CreateApplicationRefusalsChangeNothing) {
  // X13.5, C2.1, C2.2: every bad field named, nothing written.
  cms::v1::CreateApplicationRequest req =
      ApplicationRequest(NewPerson("Al", "SW1A 1AA"), NewPerson("Bo", "SW1A 1AA"));
  const std::string good_nino = req.paying_parent().new_person().nino();
  req.mutable_paying_parent()->mutable_new_person()->set_nino("12345678");
  req.clear_children();
  Application out;
  grpc::Status s =
      server_->casegroups().CreateApplication(server_->Context(kGbNewCase).get(), req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), (std::vector<std::string>{"paying_parent.new_person.nino", "children"}));

  // The same request fixed goes through with the same request id: the
  // refusal was not remembered, and the valid NINO is still free.
  req.mutable_paying_parent()->mutable_new_person()->set_nino(good_nino);
  req.add_children()->set_given_name("Kid");
  ASSERT_TRUE(
      server_->casegroups().CreateApplication(server_->Context(kGbNewCase).get(), req, &out).ok());
  EXPECT_TRUE(out.casegroup_created());

  cms::v1::CreateApplicationRequest unknown =
      ApplicationRequest(NewPerson("x", "SW1A 1AA"), NewPerson("y", "SW1A 1AA"));
  unknown.mutable_paying_parent()->set_person_id(999999999);
  s = server_->casegroups().CreateApplication(server_->Context(kGbNewCase).get(), unknown, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CasegroupServiceTest, ReplayedRequestIdReturnsTheFirstResult) {
  // X13.4
  cms::v1::CreateApplicationRequest req =
      ApplicationRequest(NewPerson("Ray", "G1 1XQ"), NewPerson("Rex", "G2 1AA"));
  Application first = Apply(req);
  Application replay = Apply(req);
  EXPECT_EQ(replay.case_().id(), first.case_().id());
  EXPECT_EQ(replay.casegroup().id(), first.casegroup().id());
  EXPECT_EQ(replay.casegroup().case_ids_size(), 1);

  cms::v1::CreateApplicationRequest different = req;
  different.mutable_children(0)->set_given_name("Other");
  Application out;
  grpc::Status s =
      server_->casegroups().CreateApplication(server_->Context(kGbNewCase).get(), different, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(BadFields(s), std::vector<std::string>{"request_id"});
  EXPECT_EQ(ErrorInfoOf(s).rule_id(), "X13.4");
}

TEST_F(CasegroupServiceTest, AuditorIsReadOnly) {
  // S1.4 / X13.1: the AUDITOR reads but never writes.
  Application app =
      Apply(ApplicationRequest(NewPerson("Ian", "S1 2HE"), NewPerson("Ivy", "S2 4SU")));
  cms::v1::GetCasegroupRequest get;
  get.set_id(app.casegroup().id());
  Casegroup g;
  EXPECT_TRUE(
      server_->casegroups().GetCasegroup(server_->Context("qa.auditor").get(), get, &g).ok());
  Application out;
  grpc::Status s = server_->casegroups().CreateApplication(
      server_->Context("qa.auditor").get(),
      ApplicationRequest(NewPerson("a", "S1 2HE"), NewPerson("b", "S1 2HE")), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CasegroupServiceTest, ChangesAreAudited) {
  // X13.2: creating an application leaves audit rows for the persons, the
  // case and the casegroup.
  Application app =
      Apply(ApplicationRequest(NewPerson("Aud", "L1 8JQ"), NewPerson("Ita", "L2 2PP")));
  cms::v1::ListAuditEventsRequest req;
  req.set_entity_type("casegroup");
  req.set_entity_id(std::to_string(app.casegroup().id()));
  cms::v1::ListAuditEventsResponse out;
  ASSERT_TRUE(
      server_->admin().ListAuditEvents(server_->Context("qa.auditor").get(), req, &out).ok());
  ASSERT_EQ(out.events_size(), 1);
  EXPECT_EQ(out.events(0).rpc(), "CreateApplication");
  EXPECT_EQ(out.events(0).actor(), kGbNewCase);
  EXPECT_EQ(out.events(0).client(), "integration-tests");
  EXPECT_TRUE(out.events(0).before_json().empty());
  EXPECT_NE(out.events(0).after_json().find("\"owning_segment_id\""), std::string::npos);
}

}  // namespace
}  // namespace cms::testing
