// The one JSON form of cms.v1 messages (issue 13): what the audit rows
// store and `cmsctl --output json` prints. Protobuf's canonical proto3 JSON
// with the proto field names; it reads back into the same message.
#include "server/base/proto_json.h"

#include <gtest/gtest.h>

#include <string>

#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/common.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace cms {
namespace {

constexpr int64_t k2025 = 1735689600;  // 2025-01-01T00:00:00Z

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  const absl::Status status = ProtoToJson(m, &out);
  EXPECT_TRUE(status.ok()) << status;
  return out;
}

TEST(ProtoJsonTest, ProtoFieldNamesFullEnumNamesInt64AsStringsOnOneLine) {
  v1::Segment s;
  s.set_id(7);
  s.set_country(v1::COUNTRY_GB);
  s.set_service_segment(v1::SERVICE_SEGMENT_OPTIONS);
  s.set_system_name("FS_GB_OPT_OA_AGENTS");
  s.set_status(v1::LIFECYCLE_STATUS_ACTIVE);
  s.mutable_create_time()->set_seconds(k2025);
  EXPECT_EQ(Json(s),
            R"({"id":"7","country":"COUNTRY_GB","service_segment":"SERVICE_SEGMENT_OPTIONS",)"
            R"("system_name":"FS_GB_OPT_OA_AGENTS","status":"LIFECYCLE_STATUS_ACTIVE",)"
            R"("create_time":"2025-01-01T00:00:00Z"})");
}

TEST(ProtoJsonTest, FieldsAtTheirDefaultAreLeftOut) {
  EXPECT_EQ(Json(v1::StaffMember()), "{}");
  v1::Casegroup g;
  g.add_case_ids(11);
  g.add_case_ids(9007199254740993);  // beyond a double's exact range
  EXPECT_EQ(Json(g), R"({"case_ids":["11","9007199254740993"]})");
}

TEST(ProtoJsonTest, TheOptionsAreProtobufsDefaultsKeepingProtoFieldNames) {
  const google::protobuf::util::JsonPrintOptions options = ProtoJsonOptions();
  EXPECT_TRUE(options.preserve_proto_field_names);
  EXPECT_FALSE(options.add_whitespace);
  EXPECT_FALSE(options.always_print_primitive_fields);
  EXPECT_FALSE(options.always_print_enums_as_ints);
}

TEST(ProtoJsonTest, ReadsBackIntoTheSameMessage) {
  v1::ListSegmentsResponse list;
  for (int i = 1; i <= 2; ++i) {
    v1::Segment* s = list.add_segments();
    s->set_id(i);
    s->set_country(v1::COUNTRY_NI);
    s->set_description("Zoë \"quoted\"\nline");
    s->mutable_create_time()->set_seconds(k2025);
    s->mutable_create_time()->set_nanos(500000000);
  }
  const std::string json = Json(list);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  v1::ListSegmentsResponse back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &back).ok()) << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(list, back)) << json;
}

TEST(ProtoJsonTest, WhatJsonCannotExpressIsAnError) {
  v1::Segment s;
  s.mutable_create_time()->set_seconds(-62135596801);  // before 0001-01-01
  std::string out;
  EXPECT_FALSE(ProtoToJson(s, &out).ok());
}

}  // namespace
}  // namespace cms
