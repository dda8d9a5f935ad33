// FoiService over a real server and database on the business clock (AG11.3;
// issue 16): intake refused without the requester's full name and an
// address, the request with the FOI team, read and worked by it alone, the
// statutory deadline's timer marking it overdue the day after, the
// personal-data flags, and the response closing it. Refusals change
// nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::FoiRequest;

constexpr char kFoi[] = "cw.gb.foi.a1";
constexpr char kMaintenance[] = "cw.gb.maintenance.a1";
constexpr char kSvc[] = "svc.manager";

class FoiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = TestServer::Start();
    // Monday 15 March 2027: the deadline crosses Easter (26 and 29 March).
    SetBusinessClock(*t_, absl::CivilSecond(2027, 3, 15, 12, 0, 0));
  }

  cms::v1::CreateFoiRequestRequest Intake() {
    cms::v1::CreateFoiRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(cms::v1::COUNTRY_GB);
    req.set_requester_full_name("Jane Q Public");
    req.set_postal_address("1 High Street, Leeds LS1 1AA");
    req.set_channel(cms::v1::FOI_CHANNEL_LETTER);
    req.mutable_received_date()->set_year(2027);
    req.mutable_received_date()->set_month(3);
    req.mutable_received_date()->set_day(15);
    req.set_request_text("The letters you sent my late father in 2025");
    req.set_personal_data(cms::v1::FOI_PERSONAL_DATA_DECEASED_PERSON);
    return req;
  }

  cms::v1::ListFoiRequestsResponse List(bool overdue_only, const std::string& staff = kFoi) {
    cms::v1::ListFoiRequestsRequest req;
    req.set_overdue_only(overdue_only);
    cms::v1::ListFoiRequestsResponse out;
    EXPECT_RPC_OK(t_->foi().ListFoiRequests(t_->Context(staff).get(), req, &out));
    return out;
  }

  grpc::Status Respond(const FoiRequest& r, const std::string& staff, FoiRequest* out) {
    cms::v1::RespondToFoiRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(r.id());
    req.set_etag(r.etag());
    req.set_response_text("Copies of the three letters sent; duty of confidentiality assessed");
    return t_->foi().RespondToFoiRequest(t_->Context(staff).get(), req, out);
  }

  std::unique_ptr<TestServer> t_;
};

TEST_F(FoiTest, AG11_3_AnIntakeWithoutNameOrAddressIsRefusedAndNothingIsLogged) {
  cms::v1::CreateFoiRequestRequest req = Intake();
  req.set_requester_full_name("Jane");
  req.clear_postal_address();
  FoiRequest out;
  EXPECT_TRUE(Refused(t_->foi().CreateFoiRequest(t_->Context(kMaintenance).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "AG11.3", "INVALID_FIELDS",
                      {"requester_full_name", "postal_address", "email_address"}));
  EXPECT_EQ(List(false).requests_size(), 0);
}

TEST_F(FoiTest, AG11_3_TheFoiTeamWorksARequestToClosureAndItGoesOverdueAfterItsDeadline) {
  // A maintenance caseworker receives it and logs it for the FOI team.
  FoiRequest r;
  const std::string id = RandomRequestId();
  cms::v1::CreateFoiRequestRequest req = Intake();
  req.set_request_id(id);
  ASSERT_RPC_OK(t_->foi().CreateFoiRequest(t_->Context(kMaintenance).get(), req, &r));
  EXPECT_EQ(r.state(), cms::v1::FOI_STATE_OPEN);
  EXPECT_EQ(r.handling(), cms::v1::FOI_HANDLING_DUTY_OF_CONFIDENTIALITY);
  EXPECT_EQ(r.logged_by(), kMaintenance);
  EXPECT_EQ(r.response_due_date().month(), 4);
  EXPECT_EQ(r.response_due_date().day(), 14) << "20 working days, Easter skipped";
  EXPECT_FALSE(r.overdue());
  FoiRequest again;
  ASSERT_RPC_OK(t_->foi().CreateFoiRequest(t_->Context(kMaintenance).get(), req, &again));
  EXPECT_EQ(again.id(), r.id()) << "a replay logs nothing new";
  cms::v1::GetSegmentRequest seg;
  seg.set_id(r.owning_segment_id());
  cms::v1::Segment owner;
  ASSERT_RPC_OK(t_->bom().GetSegment(t_->Context(kSvc).get(), seg, &owner));
  EXPECT_EQ(owner.service_segment(), cms::v1::SERVICE_SEGMENT_FOI);

  // Only the FOI team reads and works it.
  cms::v1::GetFoiRequestRequest get;
  get.set_id(r.id());
  FoiRequest read;
  EXPECT_TRUE(Refused(t_->foi().GetFoiRequest(t_->Context(kMaintenance).get(), get, &read),
                      grpc::StatusCode::PERMISSION_DENIED, "AG11.3", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(Respond(r, kMaintenance, &read), grpc::StatusCode::PERMISSION_DENIED,
                      "AG11.3", "PERMISSION_DENIED"));
  EXPECT_EQ(List(false, kMaintenance).requests_size(), 0) << "none outside the FOI team";
  ASSERT_RPC_OK(t_->foi().GetFoiRequest(t_->Context(kFoi).get(), get, &read));
  EXPECT_EQ(read.etag(), r.etag()) << "refusals change nothing";
  EXPECT_EQ(read.age_days(), 0);

  // The deadline day itself is in time; the day after it is overdue.
  AdvanceDays(*t_, 30);  // Wednesday 14 April, 12:00
  EXPECT_EQ(List(true).requests_size(), 0);
  AdvanceBy(*t_, absl::Hours(12));  // 00:00 on the 15th
  cms::v1::ListFoiRequestsResponse overdue = List(true);
  ASSERT_EQ(overdue.requests_size(), 1);
  EXPECT_TRUE(overdue.requests(0).overdue());
  EXPECT_EQ(overdue.requests(0).age_days(), 31);

  // The response closes it; a second one, or a stale etag, is refused.
  FoiRequest closed;
  EXPECT_EQ(Respond(r, kFoi, &closed).error_code(), grpc::StatusCode::ABORTED) << "stale etag";
  ASSERT_RPC_OK(Respond(overdue.requests(0), kFoi, &closed));
  EXPECT_EQ(closed.state(), cms::v1::FOI_STATE_CLOSED);
  EXPECT_EQ(closed.responded_by(), kFoi);
  EXPECT_EQ(closed.response_date().day(), 15);
  EXPECT_TRUE(Refused(Respond(closed, kFoi, &read), grpc::StatusCode::FAILED_PRECONDITION, "AG11.3",
                      "RULE_VIOLATION"));
}

TEST_F(FoiTest, AG11_3_ALivingPersonIsHandledUnderDataProtection) {
  cms::v1::CreateFoiRequestRequest req = Intake();
  req.set_personal_data(cms::v1::FOI_PERSONAL_DATA_LIVING_PERSON);
  req.set_country(cms::v1::COUNTRY_NI);
  FoiRequest r;
  ASSERT_RPC_OK(t_->foi().CreateFoiRequest(t_->Context(kFoi).get(), req, &r));
  EXPECT_EQ(r.handling(), cms::v1::FOI_HANDLING_DATA_PROTECTION);
  EXPECT_EQ(r.response_due_date().day(), 15) << "NI also keeps St Patrick's Day";
  cms::v1::GetFoiRequestRequest get;
  get.set_id(r.id());
  FoiRequest read;
  ASSERT_RPC_OK(t_->foi().GetFoiRequest(t_->Context("qa.auditor").get(), get, &read));
  // The NI FOI team works it, not GB's.
  EXPECT_TRUE(Refused(Respond(r, kFoi, &read), grpc::StatusCode::PERMISSION_DENIED, "AG11.3",
                      "PERMISSION_DENIED"));
  ASSERT_RPC_OK(Respond(r, "cw.ni.foi.a1", &read));
}

}  // namespace
}  // namespace cms::testing
