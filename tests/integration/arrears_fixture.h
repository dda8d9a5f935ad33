// The arrears integration tests' fixture (arrears_test.cc,
// arrears_assets_test.cc): a server and database per test on the business
// clock from 12:00 on Monday 4 January 2027 (London is on UTC then), a GB
// application with a DD MOPF and a weekly schedule nobody pays, and the reads
// the tests share.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {

inline cms::v1::Date D(int y, int m, int d) {
  cms::v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class ArrearsFixture : public ::testing::Test {
 protected:
  static constexpr char kIntake[] = "cw.gb.new_case.a1";
  static constexpr char kSvc[] = "svc.manager";

  void SetUp() override { Boot({}); }

  void Boot(TestServerOptions options) {
    t_.reset();
    t_ = TestServer::Start(std::move(options));
    SetBusinessClock(*t_, absl::CivilSecond(2027, 1, 4, 12, 0, 0));
  }

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff) { return t_->Context(staff); }
  // The caseworker of the segment that owns the casegroup now.
  std::unique_ptr<grpc::ClientContext> Owner() {
    return Ctx(CaseworkerOfOwner(*t_, app_.casegroup().id()));
  }
  void Advance(int days) { AdvanceDays(*t_, days); }

  // A GB application (the PP employed or not), a DD MOPF and a weekly
  // schedule of `weekly_pence` from today that nobody pays.
  void Start(cms::v1::EmploymentStatus employment = cms::v1::EMPLOYMENT_STATUS_UNKNOWN,
             int64_t weekly_pence = 5000) {
    weekly_pence_ = weekly_pence;
    cms::v1::Person pp = NewPerson("Pam", "SW1A 1AA");
    pp.set_employment_status(employment);
    pp_nino_ = pp.nino();
    auto req = ApplicationRequest(pp, NewPerson("Ray", "SW1A 2AA"));
    req.set_rp_requested_service_type(cms::v1::SERVICE_TYPE_COLLECT_AND_PAY);
    ASSERT_RPC_OK(t_->casegroups().CreateApplication(Ctx(kIntake).get(), req, &app_));
    cms::v1::ServiceRequest mopf_sr = WorkingSr("AMEND_EXISTING_MOPF", {{"MOPF Action", "Set up"}});
    cms::v1::SetMopfRequest mopf;
    mopf.set_request_id(RandomRequestId());
    mopf.set_casegroup_id(app_.casegroup().id());
    mopf.set_service_request_id(mopf_sr.id());
    *mopf.mutable_start_date() = D(2027, 1, 4);
    auto* dd = mopf.add_methods();
    dd->set_method(cms::v1::PAYMENT_METHOD_DD);
    dd->set_share_percent(100);
    cms::v1::Mopf set;
    ASSERT_RPC_OK(t_->payments().SetMopf(Owner().get(), mopf, &set));
    Generate(D(2027, 1, 4));
  }

  cms::v1::Schedule Generate(cms::v1::Date first, const std::string& reason = "") {
    cms::v1::GenerateScheduleRequest req;
    req.set_request_id(RandomRequestId());
    req.set_case_id(app_.case_().id());
    req.set_weekly_liability_pence(weekly_pence_);
    req.set_frequency(cms::v1::FREQUENCY_WEEKLY);
    *req.mutable_first_collection_date() = first;
    req.set_reason(reason);
    cms::v1::Schedule s;
    EXPECT_RPC_OK(t_->payments().GenerateSchedule(Owner().get(), req, &s));
    return s;
  }

  // An SR of `type` on the case, moved IN_PROGRESS by the owning segment.
  cms::v1::ServiceRequest WorkingSr(const std::string& type,
                                    std::map<std::string, std::string> fields) {
    cms::v1::CreateServiceRequestRequest create;
    create.set_request_id(RandomRequestId());
    create.set_type_code(type);
    create.set_casegroup_id(app_.casegroup().id());
    create.set_case_id(app_.case_().id());
    create.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    for (const auto& [k, v] : fields) (*create.mutable_fields())[k] = v;
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(t_->service_requests().CreateServiceRequest(Owner().get(), create, &created));
    cms::v1::ChangeServiceRequestStatusRequest start;
    start.set_request_id(RandomRequestId());
    start.set_id(created.service_request().id());
    start.set_etag(created.service_request().etag());
    start.set_status(cms::v1::SR_STATUS_IN_PROGRESS);
    cms::v1::ServiceRequest sr;
    EXPECT_RPC_OK(t_->service_requests().ChangeServiceRequestStatus(Owner().get(), start, &sr));
    return sr;
  }

  grpc::Status GetAction(cms::v1::ArrearsAction* out) {
    cms::v1::GetArrearsActionRequest req;
    req.set_case_id(app_.case_().id());
    return t_->arrears().GetArrearsAction(Ctx(kSvc).get(), req, out);
  }
  cms::v1::ArrearsAction Action() {
    cms::v1::ArrearsAction out;
    EXPECT_RPC_OK(GetAction(&out));
    return out;
  }

  // Two weekly collections missed (4 and 11 January): the second raises
  // the Arrears Review (AR10.1) on 12 January; returns its action.
  cms::v1::ArrearsAction TwoMissed() {
    Advance(1);  // 5 January: the first miss routes to COLLECTIONS
    Advance(7);  // 12 January: the second raises the review
    return Action();
  }

  std::unique_ptr<TestServer> t_;
  cms::v1::Application app_;
  std::string pp_nino_;
  int64_t weekly_pence_ = 5000;
};

}  // namespace cms::testing
