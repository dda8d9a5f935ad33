// Shared gtest assertions for integration tests that call the CMS over gRPC:
// Describe() renders a status with its cms.v1.ErrorInfo for failure
// messages, ASSERT_RPC_OK / EXPECT_RPC_OK check that a call succeeded, and
// Refused() checks that a call was refused with exactly the expected code,
// rule id, reason and field names and carries the X13.5 / AIP-193 error
// details (google.rpc.Status, ErrorInfo, BadRequest).
// Header-only test helper.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cms/v1/common.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "tests/integration/test_server.h"

namespace cms::testing {

// A status as text for failure messages: code, message and ErrorInfo.
inline std::string Describe(const grpc::Status& s) {
  return absl::StrCat("code ", static_cast<int>(s.error_code()), " \"", s.error_message(), "\" ",
                      ErrorInfoOf(s).ShortDebugString());
}

// Assert / expect that an RPC returning grpc::Status succeeded, showing the
// status (with its ErrorInfo) when it did not.
#define ASSERT_RPC_OK(expr)                                                 \
  do {                                                                      \
    const grpc::Status rpc_status_ = (expr);                                \
    ASSERT_TRUE(rpc_status_.ok()) << ::cms::testing::Describe(rpc_status_); \
  } while (0)
#define EXPECT_RPC_OK(expr)                                                 \
  do {                                                                      \
    const grpc::Status rpc_status_ = (expr);                                \
    EXPECT_TRUE(rpc_status_.ok()) << ::cms::testing::Describe(rpc_status_); \
  } while (0)

// The status carries the X13.5 detail (AIP-193): a google.rpc.Status with the
// call's code whose details hold the cms.v1.ErrorInfo (details[0], where
// older clients look), a google.rpc.ErrorInfo of domain "cms.v1" with the
// same reason and rule_id (in metadata), and, when fields are bad, a
// google.rpc.BadRequest naming the same fields.
inline ::testing::AssertionResult HasErrorDetail(const grpc::Status& s) {
  google::rpc::Status detail;
  if (!detail.ParseFromString(s.error_details())) {
    return ::testing::AssertionFailure() << "no grpc-status-details-bin";
  }
  if (detail.code() != static_cast<int>(s.error_code())) {
    return ::testing::AssertionFailure() << "detail code " << detail.code();
  }
  if (detail.details_size() < 1 || !detail.details(0).Is<cms::v1::ErrorInfo>()) {
    return ::testing::AssertionFailure() << "details[0] is not a cms.v1.ErrorInfo";
  }
  const cms::v1::ErrorInfo info = ErrorInfoOf(s);
  bool has_google_info = false;
  bool has_bad_request = false;
  for (const google::protobuf::Any& any : detail.details()) {
    if (google::rpc::ErrorInfo g; any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&g)) {
      has_google_info = true;
      const auto rule = g.metadata().find("rule_id");
      const std::string rule_id = rule == g.metadata().end() ? "" : rule->second;
      if (g.domain() != "cms.v1" || g.reason().empty() ||
          (!info.reason().empty() && g.reason() != info.reason()) || rule_id != info.rule_id()) {
        return ::testing::AssertionFailure()
               << "google.rpc.ErrorInfo disagrees: " << g.ShortDebugString();
      }
    }
    if (google::rpc::BadRequest b; any.Is<google::rpc::BadRequest>() && any.UnpackTo(&b)) {
      has_bad_request = true;
      if (b.field_violations_size() != info.field_violations_size()) {
        return ::testing::AssertionFailure() << "BadRequest disagrees: " << b.ShortDebugString();
      }
    }
  }
  if (!has_google_info) return ::testing::AssertionFailure() << "no google.rpc.ErrorInfo";
  if (has_bad_request != (info.field_violations_size() > 0)) {
    return ::testing::AssertionFailure() << "google.rpc.BadRequest present: " << has_bad_request;
  }
  return ::testing::AssertionSuccess();
}

// A refusal with exactly this code, rule id, reason and (as a set) fields,
// carrying the X13.5 error detail.
inline ::testing::AssertionResult Refused(const grpc::Status& s, grpc::StatusCode code,
                                          const std::string& rule_id, const std::string& reason,
                                          std::vector<std::string> fields = {}) {
  if (s.ok()) return ::testing::AssertionFailure() << "the call succeeded";
  const cms::v1::ErrorInfo info = ErrorInfoOf(s);
  std::vector<std::string> got = BadFields(s);
  std::sort(got.begin(), got.end());
  std::sort(fields.begin(), fields.end());
  if (s.error_code() != code || info.rule_id() != rule_id || info.reason() != reason ||
      got != fields) {
    return ::testing::AssertionFailure()
           << "expected code " << static_cast<int>(code) << " rule \"" << rule_id << "\" reason \""
           << reason << "\" fields {" << absl::StrJoin(fields, ",") << "}; got " << Describe(s);
  }
  return HasErrorDetail(s);
}

}  // namespace cms::testing
