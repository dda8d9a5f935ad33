// Issue 17, defects 8 and 9: a request gRPC cannot parse (invalid UTF-8 in
// a string field, bytes cut short) is answered INVALID_ARGUMENT with the
// X13.5 error detail, reason MALFORMED_REQUEST and the field protobuf named
// (api/malformed_requests.cc), not an empty INTERNAL; a string holding NUL
// is refused naming its field (app/request_values.cc). Nothing changes.
#include <gtest/gtest.h>

#include <future>
#include <string>

#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kSvc[] = "svc.manager";

class MalformedRequestTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  // Sends `bytes` as the request of `method` ("/cms.v1.BomService/CreateTeam").
  static grpc::Status RawCall(const std::string& method, const std::string& bytes) {
    grpc::GenericStub stub(t_->channel());
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1), response;
    auto ctx = t_->Context(kSvc);
    std::promise<grpc::Status> done;
    stub.UnaryCall(ctx.get(), method, grpc::StubOptions(), &request, &response,
                   [&](grpc::Status s) { done.set_value(std::move(s)); });
    return done.get_future().get();
  }

  static int TeamCount() {
    cms::v1::ListTeamsRequest req;
    req.set_page_size(1000);
    req.set_include_retired(true);
    cms::v1::ListTeamsResponse resp;
    EXPECT_RPC_OK(t_->bom().ListTeams(t_->Context(kSvc).get(), req, &resp));
    return resp.teams_size();
  }

  static int64_t AnySegment() {
    cms::v1::ListSegmentsResponse resp;
    EXPECT_RPC_OK(t_->bom().ListSegments(t_->Context(kSvc).get(), {}, &resp));
    return resp.segments(0).id();
  }

  static TestServer* t_;
};

TestServer* MalformedRequestTest::t_ = nullptr;

TEST_F(MalformedRequestTest, InvalidUtf8InAStringFieldIsInvalidArgumentNamingTheField) {
  const int before = TeamCount();
  cms::v1::CreateTeamRequest req;
  req.set_segment_id(AnySegment());
  req.set_name("Team X");
  std::string bytes = req.SerializeAsString();
  const size_t at = bytes.find("Team X");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = '\xff';  // "T\xffam X": not UTF-8
  bytes[at + 2] = '\xfe';
  const grpc::Status s = RawCall("/cms.v1.BomService/CreateTeam", bytes);
  EXPECT_TRUE(Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "MALFORMED_REQUEST", {"name"}));
  EXPECT_NE(s.error_message().find("UTF-8"), std::string::npos) << s.error_message();
  EXPECT_EQ(TeamCount(), before);
}

TEST_F(MalformedRequestTest, BytesThatAreNotTheRequestTypeAreInvalidArgument) {
  const int before = TeamCount();
  // Field 3 (name) says 5 bytes follow; 2 do.
  const grpc::Status s = RawCall("/cms.v1.BomService/CreateTeam", std::string("\x1a\x05"
                                                                              "ab",
                                                                              4));
  EXPECT_TRUE(Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "MALFORMED_REQUEST", {"request"}));
  EXPECT_EQ(TeamCount(), before);
}

TEST_F(MalformedRequestTest, NulInAnyStringIsRefusedNamingItsField) {
  const int before = TeamCount();
  cms::v1::CreateTeamRequest req;
  req.set_segment_id(AnySegment());
  req.set_name(std::string("Team\0X", 6));
  cms::v1::Team out;
  EXPECT_TRUE(Refused(t_->bom().CreateTeam(t_->Context(kSvc).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"name"}));
  EXPECT_EQ(TeamCount(), before);
}

// Found by the gRPC fuzzer (tests/e2e/fuzz): an error echoing a huge value,
// or naming 1,000 bad items, made a trailer no gRPC client accepts by
// default (8 KiB); the caller got RESOURCE_EXHAUSTED "received initial
// metadata size exceeds limit" and no detail. api/rpc.cc now bounds it.
TEST_F(MalformedRequestTest, HugeErrorsStillReachTheCallerWithTheirDetail) {
  cms::v1::GetStaffMemberRequest get;
  get.set_staff_id(std::string(300'000, 'y'));
  cms::v1::StaffMember member;
  const grpc::Status not_found = t_->bom().GetStaffMember(t_->Context(kSvc).get(), get, &member);
  EXPECT_EQ(not_found.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(not_found);
  EXPECT_TRUE(HasErrorDetail(not_found));

  cms::v1::CreateApplicationRequest app;
  for (int i = 0; i < 1000; ++i) app.add_children()->set_given_name(std::string("Sam\0", 4));
  cms::v1::Application created;
  const grpc::Status refused =
      t_->casegroups().CreateApplication(t_->Context("cw.gb.new_case.a1").get(), app, &created);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(refused);
  EXPECT_TRUE(HasErrorDetail(refused));
  const cms::v1::ErrorInfo info = ErrorInfoOf(refused);
  ASSERT_GE(info.field_violations_size(), 1);
  EXPECT_EQ(info.field_violations(0).field(), "children[0].given_name");
  EXPECT_NE(refused.error_message().find("more bad fields not listed"), std::string::npos)
      << refused.error_message();
}

TEST_F(MalformedRequestTest, AGoodRequestStillWorks) {
  // The interceptor answers only what gRPC could not parse.
  const int before = TeamCount();
  cms::v1::CreateTeamRequest req;
  req.set_segment_id(AnySegment());
  req.set_name("Team Parsed");
  EXPECT_TRUE(RawCall("/cms.v1.BomService/CreateTeam", req.SerializeAsString()).ok());
  EXPECT_EQ(TeamCount(), before + 1);
}

}  // namespace
}  // namespace cms::testing
