// api/rpc.h ToGrpcStatus: every status fits the trailer every gRPC client
// accepts (8 KiB of metadata by default). Found by the gRPC fuzzer
// (tests/e2e/fuzz): a NotFound echoing a 300 KB id and 1,000 bad items of a
// repeated field reached callers as RESOURCE_EXHAUSTED "received initial
// metadata size exceeds limit", without their details. Over real gRPC:
// integration/malformed_request_test.cc (HugeErrorsStillReachTheCaller…).
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "cms/v1/common.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/api/rpc.h"
#include "server/base/errors.h"

namespace cms::api {
namespace {

// gRPC's accounting of a trailer: each entry's key, value and 32 bytes
// (RFC 7541); grpc-message is percent-encoded, the -bin value base64.
size_t TrailerBytes(const grpc::Status& s) {
  size_t message = 0;
  for (unsigned char c : s.error_message()) message += (c >= 0x20 && c < 0x7f && c != '%') ? 1 : 3;
  return 32 + 11 + 1 + 32 + 12 + message + 32 + 23 + absl::Base64Escape(s.error_details()).size();
}

bool IsUtf8(const std::string& s) {
  google::rpc::Status probe;
  probe.set_message(s);
  // Parsing a proto3 string checks UTF-8 (it logs and fails otherwise).
  google::rpc::Status back;
  return back.ParseFromString(probe.SerializeAsString());
}

constexpr size_t kClientLimit = 8192;

TEST(ToGrpcStatusTest, AHugeMessageIsCutToFitTheTrailer) {
  const absl::Status status = NotFound("staff member", std::string(300'000, 'y'));
  const grpc::Status s = ToGrpcStatus(status);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LE(s.error_message().size(), 400u);
  EXPECT_TRUE(s.error_message().starts_with("staff member yyy")) << s.error_message();
  EXPECT_LT(TrailerBytes(s), kClientLimit * 3 / 4);
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(s.error_details()));
  EXPECT_EQ(detail.message(), s.error_message());
}

TEST(ToGrpcStatusTest, ThousandsOfBadFieldsListTheFirstAndCountTheRest) {
  FieldErrors errors;
  for (int i = 0; i < 1000; ++i) {
    errors.Add(absl::StrCat("children[", i, "].given_name"), std::string(5000, 'd'));
  }
  const grpc::Status s = ToGrpcStatus(errors.ToStatus("C2.1"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LT(TrailerBytes(s), kClientLimit * 3 / 4);
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(s.error_details()));
  cms::v1::ErrorInfo info;
  ASSERT_TRUE(detail.details(0).UnpackTo(&info));
  EXPECT_EQ(info.rule_id(), "C2.1");
  ASSERT_GE(info.field_violations_size(), 1);
  EXPECT_LE(info.field_violations_size(), 20);
  EXPECT_EQ(info.field_violations(0).field(), "children[0].given_name");
  const int listed = info.field_violations_size();
  EXPECT_TRUE(
      s.error_message().ends_with(absl::StrCat("(", 1000 - listed, " more bad fields not listed)")))
      << s.error_message();
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(detail.details(2).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations_size(), listed);
}

TEST(ToGrpcStatusTest, ManySmallBadFieldsStopAtTwenty) {
  FieldErrors errors;
  for (int i = 0; i < 50; ++i) errors.Add(absl::StrCat("ids[", i, "]"), "not found");
  const grpc::Status s = ToGrpcStatus(errors.ToStatus());
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(s.error_details()));
  cms::v1::ErrorInfo info;
  ASSERT_TRUE(detail.details(0).UnpackTo(&info));
  EXPECT_EQ(info.field_violations_size(), 20);
  EXPECT_TRUE(s.error_message().ends_with("(30 more bad fields not listed)")) << s.error_message();
}

TEST(ToGrpcStatusTest, CutsKeepUtf8Whole) {
  // Three-byte characters at every offset: a cut must not split one.
  for (int pad = 0; pad < 3; ++pad) {
    std::string text(pad, 'a');
    for (int i = 0; i < 1000; ++i) text += "\u202e";
    FieldErrors errors;
    errors.Add(text, text);
    const grpc::Status s = ToGrpcStatus(errors.ToStatus());
    EXPECT_TRUE(IsUtf8(s.error_message())) << pad;
    google::rpc::Status detail;
    ASSERT_TRUE(detail.ParseFromString(s.error_details()));
    cms::v1::ErrorInfo info;
    ASSERT_TRUE(detail.details(0).UnpackTo(&info));
    EXPECT_TRUE(IsUtf8(info.field_violations(0).field())) << pad;
    EXPECT_TRUE(IsUtf8(info.field_violations(0).description())) << pad;
    EXPECT_LT(TrailerBytes(s), kClientLimit * 3 / 4);
  }
}

TEST(ToGrpcStatusTest, SmallStatusesAreUnchanged) {
  const grpc::Status s = ToGrpcStatus(InvalidField("name", "blank once trimmed", "S1.3"));
  EXPECT_EQ(s.error_message(), "name: blank once trimmed");
}

}  // namespace
}  // namespace cms::api
