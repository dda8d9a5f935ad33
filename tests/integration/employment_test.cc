// Employment and calculations over a real database and a real server: the
// DEO desire flag and the 2-weekly HMRC re-request as a periodic durable
// timer on the business clock (M7.3, T8.1-T8.3), the fake HMRC scripted
// through AdminService (sensitive employers return nothing), the NDR check
// of a Perform Calculation SR and its "Determine NDR" exception (M7.4);
// refusals change nothing (X13.5), etags (X13.3) and replays (X13.4).
//
// Time is driven with AdminService.AdvanceClock; each test then polls until
// the timer's effect is visible or the backlog is empty (never a blind
// sleep).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Calculation;
using cms::v1::Employment;
using cms::v1::ServiceRequest;
using google::protobuf::util::TimeUtil;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kSvc[] = "svc.manager";

// An application with the PP's NINO kept, for scripting HMRC.
struct Parties {
  cms::v1::Application app;
  std::string pp_nino;
  int64_t casegroup_id() const { return app.casegroup().id(); }
};

class EmploymentTest : public ::testing::Test {
 protected:
  // Each test on its own server and database at 12:00 on Monday 4 January
  // 2027 (London is on UTC then), so dates are exact.
  void SetUp() override {
    t_ = TestServer::Start();
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }

  cms::v1::PaymentService::Stub& pay() { return t_->payments(); }
  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff = kCw) {
    return t_->Context(staff);
  }

  void Advance(int days) { AdvanceDays(*t_, days); }

  bool Settled() { return TimersSettled(*t_); }

  Parties Apply() {
    const cms::v1::Person pp = NewPerson("Pam", "SW1A 1AA");
    auto req = ApplicationRequest(pp, NewPerson("Ray", "SW1A 2AA"));
    Parties out;
    out.pp_nino = pp.nino();
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(Ctx().get(), req, &out.app));
    return out;
  }

  grpc::Status SetDesire(const Parties& p, cms::v1::DeoDesire desire, const std::string& etag,
                         Employment* out, const std::string& request_id = RandomRequestId()) {
    cms::v1::SetDeoDesireRequest req;
    req.set_request_id(request_id);
    req.set_casegroup_id(p.casegroup_id());
    req.set_desire(desire);
    req.set_etag(etag);
    return pay().SetDeoDesire(Ctx().get(), req, out);
  }

  Employment Emp(const Parties& p) {
    cms::v1::GetEmploymentRequest req;
    req.set_casegroup_id(p.casegroup_id());
    Employment e;
    EXPECT_RPC_OK(pay().GetEmployment(Ctx().get(), req, &e));
    return e;
  }

  // Scripts the fake HMRC; returns its lookup count for the NINO so far.
  int64_t Hmrc(const std::string& nino, cms::v1::HmrcAnswer answer,
               const std::string& employer = "") {
    cms::v1::SetHmrcEmploymentRequest req;
    req.set_nino(nino);
    req.set_answer(answer);
    req.set_employer_name(employer);
    cms::v1::HmrcEmploymentAnswer out;
    EXPECT_RPC_OK(t_->admin().SetHmrcEmployment(Ctx(kSvc).get(), req, &out));
    return out.lookups();
  }

  ServiceRequest GetSr(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx().get(), req, &sr));
    return sr;
  }

  ServiceRequest WorkingSr(const Parties& p, const std::string& type,
                           std::map<std::string, std::string> fields = {}) {
    cms::v1::CreateServiceRequestRequest create;
    create.set_request_id(RandomRequestId());
    create.set_type_code(type);
    create.set_casegroup_id(p.casegroup_id());
    create.set_case_id(p.app.case_().id());
    create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    for (const auto& [k, v] : fields) (*create.mutable_fields())[k] = v;
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(t_->service_requests().CreateServiceRequest(Ctx().get(), create, &created));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(created.service_request().id());
    start.set_etag(created.service_request().etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Ctx().get(), start, &sr));
    return sr;
  }

  cms::v1::RecordCalculationRequest CalcReq(const Parties& p, const ServiceRequest& sr, int64_t ndr,
                                            int64_t net) {
    cms::v1::RecordCalculationRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(p.app.case_().id());
    req.set_service_request_id(sr.id());
    req.set_weekly_liability_pence(5000);
    req.set_ndr_pence(ndr);
    req.set_net_earnings_pence(net);
    return req;
  }

  cms::v1::ResolveNdrRequest ResolveReq(int64_t calculation_id, int64_t max) {
    cms::v1::ResolveNdrRequest req;
    req.set_request_id(RandomRequestId());
    req.set_calculation_id(calculation_id);
    req.set_max_ndr_pence(max);
    return req;
  }

  std::vector<cms::v1::Note> SrNotes(int64_t sr_id) {
    cms::v1::ListNotesRequest req;
    req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
    req.set_subject_id(sr_id);
    cms::v1::ListNotesResponse resp;
    EXPECT_RPC_OK(t_->service_requests().ListNotes(Ctx().get(), req, &resp));
    return {resp.notes().begin(), resp.notes().end()};
  }

  std::unique_ptr<TestServer> t_;
};

// ---------------------------------------------------------------- M7.3

TEST_F(EmploymentTest, DesireFlagReRequestsEveryFourteenDaysUntilHmrcFindsAnEmployer) {
  // M7.3, T8.2, T8.3: while the flag is set and no employer is known, HMRC
  // is asked now and every 14 days; a new employer is recorded, raises a
  // review SR, and the asking stops.
  Parties p = Apply();
  Employment e;
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, "", &e));
  EXPECT_EQ(e.desire(), cms::v1::DEO_DESIRE_MANDATORY);
  EXPECT_TRUE(e.hmrc_requests_active());
  EXPECT_EQ(e.next_request_date().day(), 4);

  // Day 0: the fake knows nothing (NOTHING until scripted).
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 1; }));
  EXPECT_EQ(Emp(p).requests(0).answer(), cms::v1::HMRC_ANSWER_NOTHING);
  EXPECT_EQ(Emp(p).requests(0).period(), 0);
  EXPECT_EQ(Emp(p).next_request_date().day(), 18);

  // Day 13: not yet.
  Advance(13);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(Emp(p).requests_size(), 1);

  // Day 14: asked again, still nothing.
  Advance(1);
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 2; }));
  EXPECT_EQ(Emp(p).requests(1).answer(), cms::v1::HMRC_ANSWER_NOTHING);
  EXPECT_EQ(Emp(p).requests(1).request_date().day(), 18);
  EXPECT_TRUE(Emp(p).employer_name().empty());

  // The harness: HMRC now returns an employer for this NINO. So far the
  // fake has been asked twice.
  EXPECT_EQ(Hmrc(p.pp_nino, cms::v1::HMRC_ANSWER_EMPLOYER, "Acme Widgets Ltd"), 2);

  // Day 28: found.
  Advance(14);
  ASSERT_TRUE(Eventually([&] { return !Emp(p).employer_name().empty(); }));
  Employment found = Emp(p);
  EXPECT_EQ(found.employer_name(), "Acme Widgets Ltd");
  EXPECT_EQ(found.employer_found_date().month(), 2);
  EXPECT_EQ(found.employer_found_date().day(), 1);
  ASSERT_EQ(found.requests_size(), 3);
  EXPECT_EQ(found.requests(2).answer(), cms::v1::HMRC_ANSWER_EMPLOYER);
  EXPECT_EQ(found.requests(2).period(), 2);
  EXPECT_FALSE(found.hmrc_requests_active());
  EXPECT_NE(found.etag(), e.etag()) << "the employer record changes the Employment";

  // The review SR: a Change of Circumstance on the casegroup, from HMRC,
  // made by rule, owned like any case-owning SR (W4.2).
  ASSERT_NE(found.review_service_request_id(), 0);
  const ServiceRequest review = GetSr(found.review_service_request_id());
  EXPECT_EQ(review.type_code(), "CHANGE_OF_CIRCUMSTANCE");
  EXPECT_EQ(review.fields().at("Change Type"), "Employment found by HMRC");
  EXPECT_EQ(review.fields().at("Employer"), "Acme Widgets Ltd");
  EXPECT_EQ(review.source(), cms::v1::SR_SOURCE_HMRC);
  EXPECT_EQ(review.created_by_rule(), "M7.3");
  EXPECT_EQ(review.created_by(), "system");
  EXPECT_EQ(review.status(), cms::v1::SR_STATUS_OPEN);
  EXPECT_EQ(review.casegroup_id(), p.casegroup_id());
  cms::v1::GetCasegroupRequest gq;
  gq.set_id(p.casegroup_id());
  cms::v1::Casegroup g;
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(Ctx().get(), gq, &g));
  EXPECT_EQ(review.owning_segment_id(), g.owning_segment_id());
  EXPECT_EQ(review.allocated_to(), g.allocated_to());

  // Day 42: nothing more is asked (the job stopped re-arming).
  Advance(14);
  ASSERT_TRUE(Settled());
  EXPECT_EQ(Emp(p).requests_size(), 3);
  EXPECT_EQ(Hmrc(p.pp_nino, cms::v1::HMRC_ANSWER_EMPLOYER, "Acme Widgets Ltd"), 3);

  // X13.2: each request and the employer record are audited as the system.
  cms::v1::ListAuditEventsRequest audit_req;
  audit_req.set_entity_type("employment");
  audit_req.set_entity_id(absl::StrCat(p.casegroup_id()));
  cms::v1::ListAuditEventsResponse audit;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kSvc).get(), audit_req, &audit));
  ASSERT_EQ(audit.events_size(), 2);  // newest first: the employer, the flag
  EXPECT_EQ(audit.events(0).actor(), "system");
  EXPECT_EQ(audit.events(1).actor(), kCw);
}

TEST_F(EmploymentTest, ClearingTheFlagStopsTheRequests) {
  // M7.3: NONE clears the flag; its pending timer is stale and does nothing.
  Parties p = Apply();
  Employment e;
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_SELF_SELECTED, "", &e));
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 1; }));

  // X13.3: a change needs the current etag.
  Employment stale;
  EXPECT_TRUE(Refused(SetDesire(p, cms::v1::DEO_DESIRE_NONE, "", &stale),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"etag"}));
  const std::string set_etag = e.etag();
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_NONE, set_etag, &e));
  EXPECT_EQ(e.desire(), cms::v1::DEO_DESIRE_NONE);
  EXPECT_FALSE(e.hmrc_requests_active());
  EXPECT_FALSE(e.has_next_request_date());
  Employment again;
  EXPECT_EQ(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, set_etag, &again).error_code(),
            grpc::StatusCode::ABORTED);

  for (int i = 0; i < 2; ++i) {  // days 14 and 28
    Advance(14);
    ASSERT_TRUE(Settled());
  }
  EXPECT_EQ(Emp(p).requests_size(), 1);
  EXPECT_EQ(Hmrc(p.pp_nino, cms::v1::HMRC_ANSWER_NOTHING), 1);

  // Setting it again starts a new series: asked at once (period 0).
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, e.etag(), &e));
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 2; }));
  EXPECT_EQ(Emp(p).requests(1).period(), 0);
}

TEST_F(EmploymentTest, SensitiveEmployerIsNeverReturned) {
  // M7.3 (reference: HMRC Sensitive Employers): HMRC returns nothing for a
  // sensitive employer, so the re-requests carry on.
  Parties p = Apply();
  Hmrc(p.pp_nino, cms::v1::HMRC_ANSWER_EMPLOYER, "Home Office");
  cms::v1::SetHmrcSensitiveEmployerRequest sensitive;
  sensitive.set_employer_name("home office");
  sensitive.set_sensitive(true);
  cms::v1::HmrcSensitiveEmployer marked;
  ASSERT_RPC_OK(t_->admin().SetHmrcSensitiveEmployer(Ctx(kSvc).get(), sensitive, &marked));

  Employment e;
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, "", &e));
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 1; }));
  EXPECT_EQ(Emp(p).requests(0).answer(), cms::v1::HMRC_ANSWER_NOTHING);
  EXPECT_TRUE(Emp(p).requests(0).employer_name().empty());
  EXPECT_TRUE(Emp(p).employer_name().empty());
  EXPECT_TRUE(Emp(p).hmrc_requests_active());

  // Self-employment is no employer either: still asking.
  Hmrc(p.pp_nino, cms::v1::HMRC_ANSWER_SELF_EMPLOYED);
  Advance(14);
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 2; }));
  EXPECT_EQ(Emp(p).requests(1).answer(), cms::v1::HMRC_ANSWER_SELF_EMPLOYED);
  EXPECT_TRUE(Emp(p).hmrc_requests_active());
}

TEST_F(EmploymentTest, HmrcScriptingIsForServiceManagementOnATestClockServer) {
  // M7.3, S1.4: a caseworker may not script HMRC; T8.1: nor anyone on a
  // server without --test_clock.
  cms::v1::SetHmrcEmploymentRequest req;
  req.set_nino(RandomNino());
  req.set_answer(cms::v1::HMRC_ANSWER_SELF_EMPLOYED);
  cms::v1::HmrcEmploymentAnswer out;
  EXPECT_TRUE(Refused(t_->admin().SetHmrcEmployment(Ctx(kCw).get(), req, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  cms::v1::SetHmrcSensitiveEmployerRequest sensitive;
  sensitive.set_employer_name("HMRC");
  sensitive.set_sensitive(true);
  cms::v1::HmrcSensitiveEmployer marked;
  EXPECT_TRUE(Refused(t_->admin().SetHmrcSensitiveEmployer(Ctx(kCw).get(), sensitive, &marked),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));

  TestServerOptions real;
  real.test_clock = false;
  auto production = TestServer::Start(real);
  EXPECT_TRUE(
      Refused(production->admin().SetHmrcEmployment(production->Context(kSvc).get(), req, &out),
              grpc::StatusCode::FAILED_PRECONDITION, "M7.3", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(production->admin().SetHmrcSensitiveEmployer(production->Context(kSvc).get(),
                                                                   sensitive, &marked),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.3", "RULE_VIOLATION"));
}

// ---------------------------------------------------------------- M7.4

TEST_F(EmploymentTest, NdrAboveFortyPercentRaisesDetermineNdrUntilResolved) {
  // M7.4: the Perform Calculation SR raises "Determine NDR" instead of
  // completing; the caseworker's maximum NDR (at most 40%) completes it.
  Parties p = Apply();
  ServiceRequest sr = WorkingSr(p, "PERFORM_CALCULATION");
  Calculation calc;
  ASSERT_RPC_OK(pay().RecordCalculation(Ctx().get(), CalcReq(p, sr, 40001, 100000), &calc));
  EXPECT_EQ(calc.state(), cms::v1::CALCULATION_STATE_PENDING_NDR);
  EXPECT_EQ(calc.exception(), "Determine NDR");
  EXPECT_EQ(calc.casegroup_id(), p.casegroup_id());
  ServiceRequest now = GetSr(sr.id());
  EXPECT_EQ(now.status(), cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_EQ(now.sub_status(), "Determine NDR");
  ASSERT_FALSE(SrNotes(sr.id()).empty());
  EXPECT_TRUE(absl::StrContains(SrNotes(sr.id()).back().text(), "Determine NDR"));

  // The SR does not complete while the calculation is pending.
  cms::v1::ChangeServiceRequestStatusRequest close;
  close.set_request_id(RandomRequestId());
  close.set_id(sr.id());
  close.set_etag(now.etag());
  close.set_status(cms::v1::SR_STATUS_CLOSED);
  close.set_resolution_code("Calculation Complete");
  ServiceRequest closed;
  EXPECT_TRUE(
      Refused(t_->service_requests().ChangeServiceRequestStatus(Ctx().get(), close, &closed),
              grpc::StatusCode::FAILED_PRECONDITION, "M7.4", "RULE_VIOLATION"));
  // Nor takes a second calculation.
  Calculation second;
  EXPECT_TRUE(Refused(pay().RecordCalculation(Ctx().get(), CalcReq(p, sr, 100, 100000), &second),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.4", "RULE_VIOLATION"));

  // A maximum above 40% of net earnings is refused, naming the field.
  Calculation resolved;
  EXPECT_TRUE(Refused(pay().ResolveNdr(Ctx().get(), ResolveReq(calc.id(), 40001), &resolved),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.4", "INVALID_FIELDS",
                      {"max_ndr_pence"}));
  cms::v1::GetCalculationRequest get;
  get.set_calculation_id(calc.id());
  Calculation still;
  ASSERT_RPC_OK(pay().GetCalculation(Ctx().get(), get, &still));
  EXPECT_EQ(still.state(), cms::v1::CALCULATION_STATE_PENDING_NDR);

  // Exactly 40% completes it; the SR leaves "Determine NDR".
  ASSERT_RPC_OK(pay().ResolveNdr(Ctx().get(), ResolveReq(calc.id(), 40000), &resolved));
  EXPECT_EQ(resolved.state(), cms::v1::CALCULATION_STATE_COMPLETE);
  EXPECT_EQ(resolved.max_ndr_pence(), 40000);
  EXPECT_EQ(resolved.effective_ndr_pence(), 40000);
  EXPECT_EQ(resolved.resolved_by(), kCw);
  EXPECT_EQ(GetSr(sr.id()).sub_status(), "");
  EXPECT_EQ(GetSr(sr.id()).status(), cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_TRUE(absl::StrContains(SrNotes(sr.id()).back().text(), "maximum NDR £400.00"));
  // Only once.
  EXPECT_TRUE(Refused(pay().ResolveNdr(Ctx().get(), ResolveReq(calc.id(), 100), &resolved),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.4", "RULE_VIOLATION"));
}

TEST_F(EmploymentTest, NdrOfExactlyFortyPercentCompletes) {
  // M7.4: exactly 40% does not exceed.
  Parties p = Apply();
  ServiceRequest sr = WorkingSr(p, "PERFORM_CALCULATION");
  Calculation calc;
  ASSERT_RPC_OK(pay().RecordCalculation(Ctx().get(), CalcReq(p, sr, 40000, 100000), &calc));
  EXPECT_EQ(calc.state(), cms::v1::CALCULATION_STATE_COMPLETE);
  EXPECT_EQ(calc.exception(), "");
  EXPECT_EQ(calc.effective_ndr_pence(), 40000);
  EXPECT_EQ(GetSr(sr.id()).sub_status(), "");
  ASSERT_EQ(SrNotes(sr.id()).size(), 1u);
  EXPECT_TRUE(absl::StrContains(SrNotes(sr.id())[0].text(), "complete"));
  Calculation resolved;
  EXPECT_TRUE(Refused(pay().ResolveNdr(Ctx().get(), ResolveReq(calc.id(), 100), &resolved),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.4", "RULE_VIOLATION"));
}

// ---------------------------------------------------------------- X13.5, X13.4

TEST_F(EmploymentTest, BadInputNamesEachFieldAndChangesNothing) {
  // X13.5: INVALID_ARGUMENT naming every bad field; nothing is written.
  Parties p = Apply();
  ServiceRequest sr = WorkingSr(p, "PERFORM_CALCULATION");
  Calculation calc;
  cms::v1::RecordCalculationRequest bad;
  bad.set_request_id(RandomRequestId());
  bad.set_weekly_liability_pence(-1);
  bad.set_ndr_pence(-1);
  EXPECT_TRUE(Refused(pay().RecordCalculation(Ctx().get(), bad, &calc),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.4", "INVALID_FIELDS",
                      {"case_id", "service_request_id", "weekly_liability_pence", "ndr_pence",
                       "net_earnings_pence"}));
  // M7.4: a calculation is made through a Perform Calculation SR.
  ServiceRequest other = WorkingSr(p, "AMEND_EXISTING_MOPF", {{"MOPF Action", "Set up"}});
  EXPECT_TRUE(Refused(pay().RecordCalculation(Ctx().get(), CalcReq(p, other, 1, 100), &calc),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.4", "RULE_VIOLATION"));
  auto wrong_sr = CalcReq(p, sr, 1, 100);
  wrong_sr.set_service_request_id(sr.id() + 1000);
  EXPECT_TRUE(Refused(pay().RecordCalculation(Ctx().get(), wrong_sr, &calc),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.4", "INVALID_FIELDS",
                      {"service_request_id"}));
  EXPECT_TRUE(SrNotes(sr.id()).empty());
  EXPECT_EQ(GetSr(sr.id()).sub_status(), "");

  Calculation resolved;
  cms::v1::ResolveNdrRequest bad_resolve;
  bad_resolve.set_max_ndr_pence(-5);
  EXPECT_TRUE(Refused(pay().ResolveNdr(Ctx().get(), bad_resolve, &resolved),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.4", "INVALID_FIELDS",
                      {"calculation_id", "max_ndr_pence"}));
  EXPECT_TRUE(Refused(pay().ResolveNdr(Ctx().get(), ResolveReq(999999, 1), &resolved),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.4", "INVALID_FIELDS",
                      {"calculation_id"}));

  cms::v1::SetDeoDesireRequest bad_desire;
  bad_desire.set_request_id(RandomRequestId());
  Employment e;
  EXPECT_TRUE(Refused(pay().SetDeoDesire(Ctx().get(), bad_desire, &e),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.3", "INVALID_FIELDS",
                      {"casegroup_id", "desire"}));
  cms::v1::SetHmrcEmploymentRequest bad_hmrc;
  bad_hmrc.set_nino(p.pp_nino);
  bad_hmrc.set_answer(cms::v1::HMRC_ANSWER_EMPLOYER);
  cms::v1::HmrcEmploymentAnswer answer;
  EXPECT_TRUE(Refused(t_->admin().SetHmrcEmployment(Ctx(kSvc).get(), bad_hmrc, &answer),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.3", "INVALID_FIELDS",
                      {"employer_name"}));
  const Employment unchanged = Emp(p);
  EXPECT_EQ(unchanged.desire(), cms::v1::DEO_DESIRE_NONE);
  EXPECT_EQ(unchanged.requests_size(), 0);
  EXPECT_FALSE(unchanged.hmrc_requests_active());
}

TEST_F(EmploymentTest, ReplaysOnRequestIdReturnTheFirstAnswer) {
  // X13.4: a retry with the same request id replays; nothing is doubled.
  Parties p = Apply();
  Employment first, replay;
  const std::string rid = RandomRequestId();
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, "", &first, rid));
  ASSERT_RPC_OK(SetDesire(p, cms::v1::DEO_DESIRE_MANDATORY, "", &replay, rid));
  EXPECT_EQ(replay.etag(), first.etag());
  ASSERT_TRUE(Eventually([&] { return Emp(p).requests_size() == 1; }));
  ASSERT_TRUE(Settled());
  EXPECT_EQ(Emp(p).requests_size(), 1) << "one flag setting, one series";

  ServiceRequest sr = WorkingSr(p, "PERFORM_CALCULATION");
  const auto req = CalcReq(p, sr, 50000, 100000);
  Calculation a, b;
  ASSERT_RPC_OK(pay().RecordCalculation(Ctx().get(), req, &a));
  ASSERT_RPC_OK(pay().RecordCalculation(Ctx().get(), req, &b));
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(SrNotes(sr.id()).size(), 1u);

  const auto resolve = ResolveReq(a.id(), 40000);
  Calculation r1, r2;
  ASSERT_RPC_OK(pay().ResolveNdr(Ctx().get(), resolve, &r1));
  ASSERT_RPC_OK(pay().ResolveNdr(Ctx().get(), resolve, &r2));
  EXPECT_EQ(r2.state(), cms::v1::CALCULATION_STATE_COMPLETE);
  EXPECT_EQ(r2.resolve_time().seconds(), r1.resolve_time().seconds());
  EXPECT_EQ(SrNotes(sr.id()).size(), 2u);
}

}  // namespace
}  // namespace cms::testing
