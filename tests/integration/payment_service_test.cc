// PaymentService over a real database and a real server: service type
// changes from a date (M7.1), MOPF and MOPT through their SRs (M7.2), P2P
// schedules and payments (M7.5), arrears and the statement (M7.6), fees,
// waivers and charges (M7.7); refusals change nothing (X13.5), etags
// (X13.3), replays (X13.4) and who may change a case's money (X13.1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/missed_payments.h"
#include "server/catalog/catalog.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Mopf;
using cms::v1::MopfMethod;
using cms::v1::Schedule;
using cms::v1::ServiceRequest;
using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kSvc[] = "svc.manager";
constexpr char kOtherSegment[] = "cw.gb.maintenance.a1";

cms::v1::Date D(int y, int m, int d) {
  cms::v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

MopfMethod Method(cms::v1::PaymentMethod m, int share, const std::string& employer = "") {
  MopfMethod out;
  out.set_method(m);
  out.set_share_percent(share);
  if (m == cms::v1::PAYMENT_METHOD_DEO) {
    out.set_deo_subtype(cms::v1::DEO_SUBTYPE_SELF_SELECTED);
    out.set_employer(employer);
  }
  return out;
}

class PaymentServiceTest : public ::testing::Test {
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

  // A new GB NEW_CASE application; the RP asked for collect and pay.
  cms::v1::Application Apply(cms::v1::ServiceType rp_wants = cms::v1::SERVICE_TYPE_DIRECT_PAY) {
    auto req = ApplicationRequest(NewPerson("Pam", "SW1A 1AA"), NewPerson("Ray", "SW1A 2AA"));
    req.set_rp_requested_service_type(rp_wants);
    cms::v1::Application app;
    EXPECT_RPC_OK(t_->casegroups().CreateApplication(Ctx().get(), req, &app));
    return app;
  }

  ServiceRequest WorkingSr(const cms::v1::Application& app, const std::string& type,
                           std::map<std::string, std::string> fields = {}) {
    cms::v1::CreateServiceRequestRequest create;
    create.set_request_id(RandomRequestId());
    create.set_type_code(type);
    create.set_casegroup_id(app.casegroup().id());
    create.set_case_id(app.case_().id());
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

  ServiceRequest MopfSr(const cms::v1::Application& app) {
    return WorkingSr(app, "AMEND_EXISTING_MOPF", {{"MOPF Action", "Set up"}});
  }

  cms::v1::SetMopfRequest SetMopfReq(const cms::v1::Application& app, const ServiceRequest& sr,
                                     std::vector<MopfMethod> methods,
                                     cms::v1::Date start = D(2027, 1, 4)) {
    cms::v1::SetMopfRequest req;
    req.set_request_id(RandomRequestId());
    req.set_casegroup_id(app.casegroup().id());
    req.set_service_request_id(sr.id());
    *req.mutable_start_date() = start;
    for (auto& m : methods) *req.add_methods() = m;
    return req;
  }

  Mopf DeoAndDd(const cms::v1::Application& app) {
    Mopf mopf;
    EXPECT_RPC_OK(pay().SetMopf(Ctx().get(),
                                SetMopfReq(app, MopfSr(app),
                                           {Method(cms::v1::PAYMENT_METHOD_DEO, 50, "Acme Ltd"),
                                            Method(cms::v1::PAYMENT_METHOD_DD, 50)}),
                                &mopf));
    return mopf;
  }

  Schedule Generate(const cms::v1::Application& app, int64_t weekly, cms::v1::Frequency f,
                    cms::v1::Date first) {
    cms::v1::GenerateScheduleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app.case_().id());
    req.set_weekly_liability_pence(weekly);
    req.set_frequency(f);
    *req.mutable_first_collection_date() = first;
    Schedule s;
    // R3.2 rule 5: the first schedule takes the casegroup from New Case to
    // Maintenance, whose caseworker works it (and revises it) from then on.
    EXPECT_RPC_OK(
        pay().GenerateSchedule(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), req, &s));
    return s;
  }

  cms::v1::Payment Pay(const cms::v1::Application& app, int64_t pence, cms::v1::Date received,
                       cms::v1::PaymentMethod method) {
    cms::v1::RecordPaymentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app.case_().id());
    req.set_amount_pence(pence);
    *req.mutable_received_date() = received;
    req.set_method(method);
    cms::v1::Payment p;
    EXPECT_RPC_OK(
        pay().RecordPayment(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), req, &p));
    return p;
  }

  Schedule Current(const cms::v1::Application& app) {
    cms::v1::GetScheduleRequest req;
    req.set_case_id(app.case_().id());
    Schedule s;
    EXPECT_RPC_OK(pay().GetSchedule(Ctx("svc.manager").get(), req, &s));
    return s;
  }

  cms::v1::Statement StatementOf(const cms::v1::Application& app) {
    cms::v1::GetStatementRequest req;
    req.set_case_id(app.case_().id());
    cms::v1::Statement st;
    EXPECT_RPC_OK(pay().GetStatement(Ctx(kSvc).get(), req, &st));
    return st;
  }

  std::vector<cms::v1::Note> SrNotes(int64_t sr_id) {
    cms::v1::ListNotesRequest req;
    req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
    req.set_subject_id(sr_id);
    cms::v1::ListNotesResponse resp;
    EXPECT_RPC_OK(t_->service_requests().ListNotes(Ctx(kSvc).get(), req, &resp));
    return {resp.notes().begin(), resp.notes().end()};
  }

  Mopf GetMopf(const cms::v1::Application& app) {
    cms::v1::GetMopfRequest req;
    req.set_casegroup_id(app.casegroup().id());
    Mopf m;
    EXPECT_RPC_OK(pay().GetMopf(Ctx(kSvc).get(), req, &m));
    return m;
  }

  std::unique_ptr<TestServer> t_;
};

// ---------------------------------------------------------------- M7.2

TEST_F(PaymentServiceTest, MopfSharesMustTotal100AndADeoNeedsItsEmployer) {
  // M7.2: active shares total exactly 100; a DEO/DER names its employer.
  auto app = Apply();
  ServiceRequest sr = MopfSr(app);
  Mopf out;
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(),
                                    SetMopfReq(app, sr,
                                               {Method(cms::v1::PAYMENT_METHOD_DEO, 60),
                                                Method(cms::v1::PAYMENT_METHOD_DD, 30)}),
                                    &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.2", "INVALID_FIELDS",
                      {"methods[0].employer", "methods"}));
  auto none = SetMopfReq(app, sr, {});
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), none, &out), grpc::StatusCode::INVALID_ARGUMENT,
                      "M7.2", "INVALID_FIELDS", {"methods"}));
  auto unknown = SetMopfReq(app, sr, {Method(cms::v1::PAYMENT_METHOD_UNSPECIFIED, 100)});
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), unknown, &out), grpc::StatusCode::INVALID_ARGUMENT,
                      "M7.2", "INVALID_FIELDS", {"methods[0].method"}));
  EXPECT_EQ(GetMopf(app).history_size(), 0) << "a refusal changes nothing";
  EXPECT_TRUE(SrNotes(sr.id()).empty() ||
              SrNotes(sr.id()).back().text().find("MOPF") == std::string::npos);
}

TEST_F(PaymentServiceTest, MopfChangesGoThroughAnInProgressMopfSr) {
  // M7.2: set up, amend and cancel happen through Payments / MOPF SRs.
  auto app = Apply();
  const auto methods = std::vector<MopfMethod>{Method(cms::v1::PAYMENT_METHOD_DD, 100)};
  Mopf out;
  ServiceRequest wrong = WorkingSr(app, "CHANGE_OF_ADDRESS");
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), SetMopfReq(app, wrong, methods), &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.2", "RULE_VIOLATION"));
  auto no_sr = SetMopfReq(app, wrong, methods);
  no_sr.set_service_request_id(0);
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), no_sr, &out), grpc::StatusCode::INVALID_ARGUMENT,
                      "M7.2", "INVALID_FIELDS", {"service_request_id"}));
  auto other = Apply();
  ServiceRequest others = MopfSr(other);
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), SetMopfReq(app, others, methods), &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.2", "INVALID_FIELDS",
                      {"service_request_id"}));
  // X13.1: only the owning segment changes a casegroup's money.
  ServiceRequest sr = MopfSr(app);
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx(kOtherSegment).get(), SetMopfReq(app, sr, methods), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  EXPECT_EQ(GetMopf(app).history_size(), 0);
}

TEST_F(PaymentServiceTest, MopfSetUpAmendAndCancelEndMethodsAndKeepTheirHistory) {
  // M7.2: a method ends, it is never deleted; changes need the current etag.
  auto app = Apply();
  ServiceRequest sr = MopfSr(app);
  auto req = SetMopfReq(
      app, sr, {Method(cms::v1::PAYMENT_METHOD_DD, 50), Method(cms::v1::PAYMENT_METHOD_CARD, 50)});
  Mopf first;
  ASSERT_RPC_OK(pay().SetMopf(Ctx().get(), req, &first));
  ASSERT_EQ(first.active_size(), 2);
  EXPECT_EQ(first.active(0).service_request_id(), sr.id());
  Mopf replay;
  ASSERT_RPC_OK(pay().SetMopf(Ctx().get(), req, &replay));  // X13.4
  EXPECT_EQ(replay.ShortDebugString(), first.ShortDebugString());
  EXPECT_THAT(SrNotes(sr.id()).back().text(), HasSubstr("MOPF set up from 2027-01-04"));

  // Amend from tomorrow: both methods end today.
  auto amend = SetMopfReq(app, sr, {Method(cms::v1::PAYMENT_METHOD_SO, 100)}, D(2027, 1, 5));
  Mopf out;
  amend.set_etag("\"99\"");
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), amend, &out), grpc::StatusCode::ABORTED, "X13.3",
                      "STALE_ETAG"));
  amend.set_etag(first.etag());
  Mopf amended;
  ASSERT_RPC_OK(pay().SetMopf(Ctx().get(), amend, &amended));
  ASSERT_EQ(amended.history_size(), 3);
  EXPECT_EQ(amended.history(0).end_date().day(), 4);
  EXPECT_EQ(amended.history(1).end_date().day(), 4);
  EXPECT_EQ(amended.active_size(), 2) << "today the old methods still apply";
  Advance(1);
  Mopf tomorrow = GetMopf(app);
  ASSERT_EQ(tomorrow.active_size(), 1);
  EXPECT_EQ(tomorrow.active(0).method(), cms::v1::PAYMENT_METHOD_SO);

  // Cancelling the only method ends the MOPF; history stays.
  cms::v1::CancelMopfMethodRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_casegroup_id(app.casegroup().id());
  cancel.set_service_request_id(sr.id());
  cancel.set_etag(tomorrow.etag());
  cancel.set_method_id(tomorrow.active(0).id());
  *cancel.mutable_end_date() = D(2027, 1, 5);
  Mopf cancelled;
  ASSERT_RPC_OK(pay().CancelMopfMethod(Ctx().get(), cancel, &cancelled));
  EXPECT_EQ(cancelled.history_size(), 3);
  Advance(1);
  EXPECT_EQ(GetMopf(app).active_size(), 0);
  cancel.set_request_id(RandomRequestId());
  cancel.set_etag(cancelled.etag());
  *cancel.mutable_end_date() = D(2027, 1, 6);
  EXPECT_TRUE(Refused(pay().CancelMopfMethod(Ctx().get(), cancel, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.2", "RULE_VIOLATION"));
}

TEST_F(PaymentServiceTest, CancellingOneOfTwoMethodsIsAnAmendment) {
  // M7.2: what stays active totals 100% or nothing.
  auto app = Apply();
  Mopf mopf = DeoAndDd(app);
  cms::v1::CancelMopfMethodRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_casegroup_id(app.casegroup().id());
  cancel.set_service_request_id(mopf.active(0).service_request_id());
  cancel.set_etag(mopf.etag());
  const auto dd = std::find_if(mopf.active().begin(), mopf.active().end(), [](const auto& m) {
    return m.method() == cms::v1::PAYMENT_METHOD_DD;
  });
  ASSERT_NE(dd, mopf.active().end());
  cancel.set_method_id(dd->id());
  *cancel.mutable_end_date() = D(2027, 1, 10);
  Mopf out;
  EXPECT_TRUE(Refused(pay().CancelMopfMethod(Ctx().get(), cancel, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.2", "RULE_VIOLATION"));
  // A6.3: the DEO is cancelled only through an approval, by either RPC.
  const auto deo = std::find_if(mopf.active().begin(), mopf.active().end(), [](const auto& m) {
    return m.method() == cms::v1::PAYMENT_METHOD_DEO;
  });
  ASSERT_NE(deo, mopf.active().end());
  cancel.set_request_id(RandomRequestId());
  cancel.set_method_id(deo->id());
  EXPECT_TRUE(Refused(pay().CancelMopfMethod(Ctx().get(), cancel, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.3", "RULE_VIOLATION"));
  ServiceRequest through;
  through.set_id(mopf.active(0).service_request_id());
  auto without_deo = SetMopfReq(app, through, {Method(cms::v1::PAYMENT_METHOD_SO, 100)});
  without_deo.set_etag(mopf.etag());
  EXPECT_TRUE(Refused(pay().SetMopf(Ctx().get(), without_deo, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.3", "RULE_VIOLATION"));
  EXPECT_EQ(GetMopf(app).ShortDebugString(), mopf.ShortDebugString());
}

TEST_F(PaymentServiceTest, MoptSetAndCancel) {
  // M7.2: the receiving parent's method of payment to, with cancel.
  auto app = Apply();
  ServiceRequest sr = MopfSr(app);
  cms::v1::SetMoptRequest set;
  set.set_request_id(RandomRequestId());
  set.set_case_id(app.case_().id());
  set.set_service_request_id(sr.id());
  set.set_method(cms::v1::MOPT_METHOD_BANK_TRANSFER);
  set.set_payee_reference("****1234");
  *set.mutable_start_date() = D(2027, 1, 4);
  cms::v1::Mopt mopt;
  ASSERT_RPC_OK(pay().SetMopt(Ctx().get(), set, &mopt));
  ASSERT_TRUE(mopt.has_active());
  EXPECT_EQ(mopt.active().payee_reference(), "****1234");
  cms::v1::CancelMoptRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_case_id(app.case_().id());
  cancel.set_service_request_id(sr.id());
  cancel.set_etag(mopt.etag());
  *cancel.mutable_end_date() = D(2027, 1, 4);
  cms::v1::Mopt cancelled;
  ASSERT_RPC_OK(pay().CancelMopt(Ctx().get(), cancel, &cancelled));
  EXPECT_EQ(cancelled.history(0).end_date().day(), 4);
  Advance(1);
  cms::v1::GetMoptRequest get;
  get.set_case_id(app.case_().id());
  cms::v1::Mopt after;
  ASSERT_RPC_OK(pay().GetMopt(Ctx(kSvc).get(), get, &after));
  EXPECT_FALSE(after.has_active());
  EXPECT_EQ(after.history_size(), 1);
}

// ---------------------------------------------------------------- M7.1

TEST_F(PaymentServiceTest, ServiceTypeChangesFromItsDateThroughItsSr) {
  // M7.1: through a Change to Service Type SR, effective from a date; the
  // case takes the new type on that day (a durable timer, T8.2).
  auto app = Apply();
  ASSERT_EQ(app.case_().service_type(), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  ServiceRequest sr =
      WorkingSr(app, "CHANGE_TO_SERVICE_TYPE",
                {{"New Service Type", "Collect and Pay"}, {"Effective Date", "2027-01-14"}});
  cms::v1::ChangeServiceTypeRequest req;
  req.set_request_id(RandomRequestId());
  req.set_case_id(app.case_().id());
  req.set_service_request_id(sr.id());
  req.set_service_type(cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  cms::v1::ServiceTypeHistory h;
  *req.mutable_effective_from() = D(2027, 1, 3);
  EXPECT_TRUE(Refused(pay().ChangeServiceType(Ctx().get(), req, &h),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.1", "INVALID_FIELDS",
                      {"effective_from"}));
  *req.mutable_effective_from() = D(2027, 1, 14);
  ASSERT_RPC_OK(pay().ChangeServiceType(Ctx().get(), req, &h));
  ASSERT_EQ(h.periods_size(), 2);
  EXPECT_EQ(h.periods(0).service_type(), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  EXPECT_EQ(h.periods(1).service_type(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  EXPECT_EQ(h.current(), cms::v1::SERVICE_TYPE_DIRECT_PAY);
  EXPECT_THAT(SrNotes(sr.id()).back().text(), HasSubstr("COLLECT_AND_PAY from 2027-01-14"));

  Advance(10);
  cms::v1::GetCaseRequest get;
  get.set_id(app.case_().id());
  cms::v1::Case k;
  for (int i = 0; i < 100; ++i) {
    ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
    if (k.service_type() == cms::v1::SERVICE_TYPE_COLLECT_AND_PAY) break;
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_EQ(k.service_type(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY) << "the timer fired";
  cms::v1::GetServiceTypeHistoryRequest hist;
  hist.set_case_id(app.case_().id());
  ASSERT_RPC_OK(pay().GetServiceTypeHistory(Ctx(kSvc).get(), hist, &h));
  EXPECT_EQ(h.current(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
}

// ---------------------------------------------------------------- M7.5, M7.6

TEST_F(PaymentServiceTest, IssuingTheP2pScheduleEndsTheNewCaseStage) {
  // R3.2 rule 5, R3.3 (work-allocation): a case stays in New Case until its
  // P2P schedule is issued; issuing it moves the case to P2P_ISSUED and the
  // casegroup to Maintenance, with the move recorded. A revision changes no
  // stage, and UpdateCase still corrects a stage by hand.
  auto app = Apply();
  DeoAndDd(app);
  ASSERT_EQ(CaseworkerOfOwner(*t_, app.casegroup().id()), "cw.gb.new_case.a1");
  Generate(app, 5000, cms::v1::FREQUENCY_WEEKLY, D(2027, 1, 11));
  cms::v1::GetCaseRequest get;
  get.set_id(app.case_().id());
  cms::v1::Case k;
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  EXPECT_EQ(k.lifecycle_stage(), cms::v1::LIFECYCLE_STAGE_P2P_ISSUED);
  EXPECT_EQ(CaseworkerOfOwner(*t_, app.casegroup().id()), "cw.gb.maintenance.a1");
  cms::v1::ListCasegroupMovesRequest moves_req;
  moves_req.set_casegroup_id(app.casegroup().id());
  cms::v1::ListCasegroupMovesResponse moves;
  ASSERT_RPC_OK(t_->casegroups().ListCasegroupMoves(Ctx(kSvc).get(), moves_req, &moves));
  ASSERT_EQ(moves.moves_size(), 2);
  EXPECT_EQ(moves.moves(1).rule_id(), "R3.2.6");
  EXPECT_THAT(moves.moves(1).trigger(), HasSubstr("GenerateSchedule"));

  // A revision by Maintenance changes neither stage nor owner.
  Generate(app, 6000, cms::v1::FREQUENCY_WEEKLY, D(2027, 1, 18));
  ASSERT_RPC_OK(t_->casegroups().GetCase(Ctx(kSvc).get(), get, &k));
  EXPECT_EQ(k.lifecycle_stage(), cms::v1::LIFECYCLE_STAGE_P2P_ISSUED);
  ASSERT_RPC_OK(t_->casegroups().ListCasegroupMoves(Ctx(kSvc).get(), moves_req, &moves));
  EXPECT_EQ(moves.moves_size(), 2);
}

TEST_F(PaymentServiceTest, MonthlyScheduleSplitsAcrossTheMopfAndPaymentsClassifyItsItems) {
  // M7.5: a monthly schedule up to the annual review, split 50/50; payments
  // make items PAID, PARTIAL or MISSED; M7.6: arrears are the shortfall.
  auto app = Apply();
  DeoAndDd(app);
  Schedule s = Generate(app, 10000, cms::v1::FREQUENCY_MONTHLY, D(2027, 1, 31));
  // 31 Jan 2027 .. 31 Dec 2027 (review 4 Jan 2028): 12 dates x 2 methods.
  ASSERT_EQ(s.items_size(), 24);
  EXPECT_EQ(s.next_annual_review().year(), 2028);
  EXPECT_EQ(s.items(2).due_date().month(), 2);
  EXPECT_EQ(s.items(2).due_date().day(), 28) << "month end clamps";
  EXPECT_EQ(s.items(4).due_date().day(), 31);
  // £100/week is £433.33 a month: 21667 + 21666.
  EXPECT_EQ(s.items(0).expected_pence() + s.items(1).expected_pence(), 43333);
  for (const auto& i : s.items()) EXPECT_EQ(i.status(), cms::v1::ITEM_STATUS_PENDING);

  // Month 1: DEO on time in full; DD half, late.
  Advance(27);  // 31 January
  Pay(app, s.items(0).expected_pence(), D(2027, 1, 31), s.items(0).expected_method());
  Advance(5);  // 5 February
  Pay(app, 10000, D(2027, 2, 5), cms::v1::PAYMENT_METHOD_DD);
  Schedule now = Current(app);
  const auto& deo =
      now.items(0).expected_method() == cms::v1::PAYMENT_METHOD_DEO ? now.items(0) : now.items(1);
  const auto& dd =
      now.items(0).expected_method() == cms::v1::PAYMENT_METHOD_DEO ? now.items(1) : now.items(0);
  EXPECT_EQ(deo.status(), cms::v1::ITEM_STATUS_PAID);
  EXPECT_TRUE(deo.on_time() && deo.in_full() && deo.agreed_method());
  EXPECT_EQ(dd.status(), cms::v1::ITEM_STATUS_PARTIAL);
  EXPECT_EQ(dd.paid_pence(), 10000);
  EXPECT_FALSE(dd.in_full());

  cms::v1::GetArrearsRequest ar;
  ar.set_case_id(app.case_().id());
  cms::v1::Arrears arrears;
  ASSERT_RPC_OK(pay().GetArrears(Ctx(kSvc).get(), ar, &arrears));
  EXPECT_EQ(arrears.balance_pence(), dd.expected_pence() - 10000);
  EXPECT_EQ(arrears.partial_items(), 1);
  cms::v1::GetArrearsRequest by_group;
  by_group.set_casegroup_id(app.casegroup().id());
  cms::v1::Arrears group;
  ASSERT_RPC_OK(pay().GetArrears(Ctx(kSvc).get(), by_group, &group));
  EXPECT_EQ(group.balance_pence(), arrears.balance_pence());

  // M7.6: the statement's running balance ends at the arrears (direct pay:
  // no fees).
  cms::v1::Statement st = StatementOf(app);
  ASSERT_GE(st.lines_size(), 4);
  EXPECT_EQ(st.balance_pence(), arrears.balance_pence());
  EXPECT_EQ(st.arrears_pence(), arrears.balance_pence());
  EXPECT_EQ(st.lines().rbegin()->balance_pence(), st.balance_pence());

  // Month 2 passes unpaid: both items MISSED.
  Advance(24);  // 1 March
  now = Current(app);
  EXPECT_EQ(now.items(2).status(), cms::v1::ITEM_STATUS_MISSED);
  EXPECT_EQ(now.items(3).status(), cms::v1::ITEM_STATUS_MISSED);
}

TEST_F(PaymentServiceTest, RevisingAScheduleKeepsTheOldOneAsHistory) {
  // M7.5: a negotiated schedule supersedes the current one from its first
  // collection; the old one's earlier items stay owed.
  auto app = Apply();
  DeoAndDd(app);
  Schedule first = Generate(app, 7000, cms::v1::FREQUENCY_WEEKLY, D(2027, 1, 4));
  Advance(14);  // 18 January: three weeks fell due, unpaid
  Schedule second = Generate(app, 5000, cms::v1::FREQUENCY_FORTNIGHTLY, D(2027, 1, 25));
  EXPECT_EQ(second.reason(), "negotiated");
  cms::v1::ListSchedulesRequest list;
  list.set_case_id(app.case_().id());
  cms::v1::ListSchedulesResponse all;
  ASSERT_RPC_OK(pay().ListSchedules(Ctx(kSvc).get(), list, &all));
  ASSERT_EQ(all.schedules_size(), 2);
  EXPECT_EQ(all.schedules(0).state(), cms::v1::SCHEDULE_STATE_SUPERSEDED);
  EXPECT_EQ(all.schedules(0).superseded_from().day(), 25);
  EXPECT_EQ(all.schedules(1).state(), cms::v1::SCHEDULE_STATE_CURRENT);
  cms::v1::GetArrearsRequest ar;
  ar.set_case_id(app.case_().id());
  cms::v1::Arrears arrears;
  ASSERT_RPC_OK(pay().GetArrears(Ctx("svc.manager").get(), ar, &arrears));
  EXPECT_EQ(arrears.balance_pence(), 3 * 7000) << "4, 11 and 18 January stay owed";

  // W4.3 paging (X13 API contract, AIP-158): ListSchedules pages like every
  // list; page_size above the maximum is clamped; a token is bound to case_id.
  list.set_page_size(1);
  std::vector<int64_t> paged;
  std::string second_token;
  for (int i = 0; i < 10; ++i) {
    cms::v1::ListSchedulesResponse page;
    ASSERT_RPC_OK(pay().ListSchedules(Ctx(kSvc).get(), list, &page));
    ASSERT_LE(page.schedules_size(), 1);
    for (const Schedule& x : page.schedules()) paged.push_back(x.id());
    if (page.next_page_token().empty()) break;
    if (second_token.empty()) second_token = page.next_page_token();
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(paged, (std::vector<int64_t>{all.schedules(0).id(), all.schedules(1).id()}));
  cms::v1::ListSchedulesRequest huge;
  huge.set_case_id(app.case_().id());
  huge.set_page_size(1'000'000);
  cms::v1::ListSchedulesResponse clamped;
  ASSERT_RPC_OK(pay().ListSchedules(Ctx(kSvc).get(), huge, &clamped));
  EXPECT_EQ(clamped.schedules_size(), 2);
  EXPECT_TRUE(clamped.next_page_token().empty());
  auto other = Apply();
  cms::v1::ListSchedulesRequest moved;
  moved.set_case_id(other.case_().id());
  moved.set_page_token(second_token);
  EXPECT_TRUE(Refused(pay().ListSchedules(Ctx(kSvc).get(), moved, &clamped),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  moved.clear_page_token();
  moved.set_page_size(-1);
  EXPECT_TRUE(Refused(pay().ListSchedules(Ctx(kSvc).get(), moved, &clamped),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_size"}));
}

TEST_F(PaymentServiceTest, ScheduleAndPaymentRefusals) {
  // M7.5, X13.5: each bad field named; nothing changes.
  auto app = Apply();
  cms::v1::GenerateScheduleRequest bad;
  bad.set_request_id(RandomRequestId());
  bad.set_case_id(app.case_().id());
  *bad.mutable_first_collection_date() = D(2027, 2, 30);
  Schedule s;
  EXPECT_TRUE(Refused(pay().GenerateSchedule(Ctx().get(), bad, &s),
                      grpc::StatusCode::INVALID_ARGUMENT, "M7.5", "INVALID_FIELDS",
                      {"weekly_liability_pence", "frequency", "first_collection_date"}));
  // No MOPF yet: the schedule has nothing to split across.
  cms::v1::GenerateScheduleRequest no_mopf = bad;
  no_mopf.set_weekly_liability_pence(1000);
  no_mopf.set_frequency(cms::v1::FREQUENCY_WEEKLY);
  *no_mopf.mutable_first_collection_date() = D(2027, 1, 11);
  EXPECT_TRUE(Refused(pay().GenerateSchedule(Ctx().get(), no_mopf, &s),
                      grpc::StatusCode::FAILED_PRECONDITION, "M7.5", "RULE_VIOLATION"));
  cms::v1::RecordPaymentRequest p;
  p.set_request_id(RandomRequestId());
  p.set_case_id(app.case_().id());
  p.set_amount_pence(100);
  p.set_method(cms::v1::PAYMENT_METHOD_DD);
  *p.mutable_received_date() = D(2027, 1, 5);
  cms::v1::Payment out;
  EXPECT_TRUE(
      Refused(pay().RecordPayment(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), p, &out),
              grpc::StatusCode::INVALID_ARGUMENT, "M7.5", "INVALID_FIELDS", {"received_date"}));
  p.set_amount_pence(0);
  p.clear_method();
  EXPECT_TRUE(Refused(
      pay().RecordPayment(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), p, &out),
      grpc::StatusCode::INVALID_ARGUMENT, "M7.5", "INVALID_FIELDS", {"amount_pence", "method"}));
  EXPECT_EQ(StatementOf(app).lines_size(), 0);
}

// ---------------------------------------------------------------- M7.7

TEST_F(PaymentServiceTest, CollectionFeesWaiversAndReinstatementNeverRetrospective) {
  // M7.7: a COLLECT_AND_PAY payment carries 20% (PP) and 4% (RP) fees
  // unless waived; reinstatement applies from the decision date only.
  auto app = Apply(cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  ASSERT_EQ(app.case_().service_type(), cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
  DeoAndDd(app);
  Generate(app, 10000, cms::v1::FREQUENCY_WEEKLY, D(2027, 1, 4));
  cms::v1::Payment charged = Pay(app, 10000, D(2027, 1, 4), cms::v1::PAYMENT_METHOD_DD);
  EXPECT_EQ(charged.pp_fee_pence(), 2000);
  EXPECT_EQ(charged.rp_fee_pence(), 400);

  cms::v1::WaiveFeesRequest waive;
  waive.set_request_id(RandomRequestId());
  waive.set_case_id(app.case_().id());
  *waive.mutable_from_date() = D(2027, 1, 5);
  waive.set_reason("Seg 5 compliance opportunity");
  cms::v1::FeeWaiver w;
  ASSERT_RPC_OK(
      pay().WaiveFees(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), waive, &w));
  Advance(3);  // 7 January
  EXPECT_EQ(Pay(app, 10000, D(2027, 1, 6), cms::v1::PAYMENT_METHOD_DD).pp_fee_pence(), 0);

  cms::v1::ReinstateFeesRequest back;
  back.set_request_id(RandomRequestId());
  back.set_case_id(app.case_().id());
  *back.mutable_effective_date() = D(2027, 1, 6);
  EXPECT_TRUE(Refused(
      pay().ReinstateFees(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), back, &w),
      grpc::StatusCode::FAILED_PRECONDITION, "M7.7", "RULE_VIOLATION"));
  *back.mutable_effective_date() = D(2027, 1, 7);
  ASSERT_RPC_OK(
      pay().ReinstateFees(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), back, &w));
  EXPECT_EQ(w.to_date().day(), 7);
  // A payment received during the waiver stays fee-free; one from today pays.
  EXPECT_EQ(Pay(app, 5000, D(2027, 1, 6), cms::v1::PAYMENT_METHOD_DD).pp_fee_pence(), 0);
  EXPECT_EQ(Pay(app, 5000, D(2027, 1, 7), cms::v1::PAYMENT_METHOD_DD).pp_fee_pence(), 1000);

  // An enforcement charge is a ledger entry on the statement.
  cms::v1::AddChargeRequest charge;
  charge.set_request_id(RandomRequestId());
  charge.set_case_id(app.case_().id());
  charge.set_kind(cms::v1::CHARGE_KIND_DEO_CHARGE);
  *charge.mutable_effective_date() = D(2027, 1, 7);
  cms::v1::LedgerEntry e;
  ASSERT_RPC_OK(
      pay().AddCharge(Ctx(CaseworkerOfOwner(*t_, app.casegroup().id())).get(), charge, &e));
  EXPECT_EQ(e.amount_pence(), 5000);
  cms::v1::Statement st = StatementOf(app);
  int64_t charges = 0;
  for (const auto& l : st.lines()) {
    if (l.kind() == cms::v1::STATEMENT_LINE_KIND_CHARGE) charges += l.debit_pence();
  }
  EXPECT_EQ(charges, 2000 + 1000 + 5000) << "PP fees and the DEO charge, not the RP's 4%";
}

// ---------------------------------------------------------------- AR10.1

TEST_F(PaymentServiceTest, MissedPaymentsRouteToCollectionsThenRaiseOneArrearsReview) {
  // AR10.1: the daily job marks unpaid items MISSED and emits an event per
  // case with its run of misses; the first routes the casegroup's work to
  // COLLECTIONS, the second raises an Arrears Review SR (reason Arrears
  // Routing Logic), and a third does not open a second one (SR5.10).
  auto app = Apply();
  ASSERT_EQ(app.casegroup().routing_rule(), "R3.2.5");
  Mopf mopf;
  ASSERT_RPC_OK(pay().SetMopf(
      Ctx().get(), SetMopfReq(app, MopfSr(app), {Method(cms::v1::PAYMENT_METHOD_DD, 100)}), &mopf));
  Generate(app, 5000, cms::v1::FREQUENCY_WEEKLY, D(2027, 1, 4));
  cms::v1::ListMissedPaymentEventsRequest list;
  list.set_case_id(app.case_().id());
  // Polls until the case has `n` handled events (the job and the event
  // are durable timers the test clock's advance makes due).
  auto events = [&](int n) {
    cms::v1::ListMissedPaymentEventsResponse resp;
    for (int i = 0; i < 200; ++i) {
      resp.Clear();
      EXPECT_RPC_OK(pay().ListMissedPaymentEvents(Ctx("svc.manager").get(), list, &resp));
      if (resp.events_size() >= n && !resp.events(n - 1).outcome().empty()) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return resp;
  };
  auto casegroup = [&] {
    cms::v1::GetCasegroupRequest get;
    get.set_id(app.casegroup().id());
    cms::v1::Casegroup g;
    EXPECT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), get, &g));
    return g;
  };

  Advance(1);  // 5 January: 4 January's collection was missed
  auto first = events(1);
  ASSERT_EQ(first.events_size(), 1);
  EXPECT_EQ(first.events(0).run_count(), 1);
  EXPECT_THAT(first.events(0).outcome(), HasSubstr("moved to FS_GB_COLLS"));
  EXPECT_EQ(Current(app).items(0).status(), cms::v1::ITEM_STATUS_MISSED);
  cms::v1::Casegroup g = casegroup();
  EXPECT_EQ(g.routing_rule(), "AR10.1");
  EXPECT_THAT(g.owning_segment_system_name(), HasSubstr("COLLS"));

  // Re-running the day's job changes nothing.
  auto catalog = catalog::SrCatalog::Load(catalog::EmbeddedCatalogFiles());
  ASSERT_TRUE(catalog.ok());
  auto clock = app::BusinessClock::Create(/*test_mode=*/true);
  ASSERT_TRUE(clock.ok()) << clock.status();
  app::Commands commands(t_->db(), *clock);
  app::ServiceRequestApp srs(commands, *catalog);
  app::CaseEvents no_procedures;
  app::MissedPaymentApp job(commands, srs, app::PaymentRules{}, no_procedures);
  auto again = job.RunDetection(absl::CivilDay(2027, 1, 5));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->items_marked, 0);
  EXPECT_EQ(again->events, 0);

  Advance(7);  // 12 January: the second in a row
  auto second = events(2);
  ASSERT_EQ(second.events_size(), 2);
  EXPECT_EQ(second.events(1).run_count(), 2);
  EXPECT_THAT(second.events(1).outcome(), HasSubstr("raised"));
  const int64_t review_id =
      std::stoll(second.events(1).outcome().substr(std::string("Arrears Review SR ").size()));
  cms::v1::GetServiceRequestRequest get;
  get.set_id(review_id);
  ServiceRequest review;
  ASSERT_RPC_OK(t_->service_requests().GetServiceRequest(Ctx(kSvc).get(), get, &review));
  EXPECT_EQ(review.type_code(), "ARREARS_REVIEW");
  EXPECT_EQ(review.fields().at("Reason"), "Arrears Routing Logic");
  EXPECT_EQ(review.created_by_rule(), "AR10.1");
  EXPECT_EQ(review.case_id(), app.case_().id());
  g = casegroup();
  // Back where R3.2 puts it for the review: MAINTENANCE, since issuing the
  // schedule ended the new-case stage (R3.2 rule 6).
  EXPECT_EQ(g.routing_rule(), "R3.2.6") << "back where R3.2 puts it for the review";
  EXPECT_EQ(review.owning_segment_id(), g.owning_segment_id());

  Advance(7);  // 19 January: the third
  auto third = events(3);
  ASSERT_EQ(third.events_size(), 3);
  EXPECT_EQ(third.events(2).run_count(), 3);
  EXPECT_THAT(third.events(2).outcome(),
              HasSubstr(absl::StrCat("Arrears Review SR ", review_id, " already open")));

  // W4.3 paging (X13 API contract): the events page by two, oldest first,
  // and a token is refused for another case (AIP-158).
  list.set_page_size(2);
  std::vector<int64_t> paged;
  int pages = 0;
  for (int i = 0; i < 10; ++i) {
    cms::v1::ListMissedPaymentEventsResponse page;
    ASSERT_RPC_OK(pay().ListMissedPaymentEvents(Ctx(kSvc).get(), list, &page));
    ++pages;
    for (const auto& e : page.events()) paged.push_back(e.id());
    if (page.next_page_token().empty()) break;
    list.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(paged, (std::vector<int64_t>{third.events(0).id(), third.events(1).id(),
                                         third.events(2).id()}));
  list.set_case_id(list.case_id() + 1);
  cms::v1::ListMissedPaymentEventsResponse refused;
  EXPECT_TRUE(Refused(pay().ListMissedPaymentEvents(Ctx(kSvc).get(), list, &refused),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
}

}  // namespace
}  // namespace cms::testing
