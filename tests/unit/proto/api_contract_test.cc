// X13 API contract (AIP-131/132, issue 13): every RPC has its own request
// and response messages. Those split from a once-shared message keep its
// wire format, field for field, so clients built against the shared one
// still decode them. The whole API is checked here for what buf's
// RPC_REQUEST_RESPONSE_UNIQUE and RPC_RESPONSE_STANDARD_NAME would check,
// less the AIP's resource responses (proto/buf.yaml says why they are
// excepted there).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "cms/v1/admin.pb.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "cms/v1/letter.pb.h"
#include "cms/v1/payment.pb.h"
#include "cms/v1/service_request.pb.h"
#include "cms/v1/work.pb.h"
#include "google/protobuf/descriptor.h"

namespace cms {
namespace {

using google::protobuf::Descriptor;

// Same field numbers, names, types and cardinality (and message types).
::testing::AssertionResult WireIdentical(const Descriptor* a, const Descriptor* b) {
  if (a->field_count() != b->field_count()) {
    return ::testing::AssertionFailure() << a->full_name() << " vs " << b->full_name();
  }
  for (int i = 0; i < a->field_count(); ++i) {
    const auto* fa = a->field(i);
    const auto* fb = b->FindFieldByNumber(fa->number());
    if (fb == nullptr || fb->name() != fa->name() || fb->type() != fa->type() ||
        fb->is_repeated() != fa->is_repeated() ||
        (fa->message_type() != nullptr && fa->message_type() != fb->message_type()) ||
        (fa->enum_type() != nullptr && fa->enum_type() != fb->enum_type())) {
      return ::testing::AssertionFailure()
             << a->full_name() << "." << fa->name() << " differs in " << b->full_name();
    }
  }
  return ::testing::AssertionSuccess();
}

TEST(ApiContractTest, WorkViewsHaveTheirOwnWireIdenticalMessages) {
  // W4.3 views, X13 API contract: once ListWorkRequest / ListWorkResponse.
  const Descriptor* request = cms::v1::ListMyWorkRequest::descriptor();
  const Descriptor* response = cms::v1::ListMyWorkResponse::descriptor();
  EXPECT_TRUE(WireIdentical(request, cms::v1::ListTeamWorkRequest::descriptor()));
  EXPECT_TRUE(WireIdentical(request, cms::v1::ListSegmentQueueRequest::descriptor()));
  EXPECT_TRUE(WireIdentical(response, cms::v1::ListTeamWorkResponse::descriptor()));
  EXPECT_TRUE(WireIdentical(response, cms::v1::ListSegmentQueueResponse::descriptor()));
  const auto* service = request->file()->FindServiceByName("WorkService");
  ASSERT_NE(service, nullptr);
  for (const std::string method : {"ListMyWork", "ListTeamWork", "ListSegmentQueue"}) {
    const auto* m = service->FindMethodByName(method);
    ASSERT_NE(m, nullptr) << method;
    EXPECT_EQ(m->input_type()->name(), method + "Request");
    EXPECT_EQ(m->output_type()->name(), method + "Response");
  }
}

TEST(ApiContractTest, ApprovalInboxHasItsOwnWireIdenticalResponse) {
  // A6.1 inbox, X13 API contract: once ListApprovalsResponse.
  EXPECT_TRUE(WireIdentical(cms::v1::ListApprovalsResponse::descriptor(),
                            cms::v1::ListApprovalInboxResponse::descriptor()));
  const auto* service = cms::v1::ListApprovalInboxResponse::descriptor()->file()->FindServiceByName(
      "ApprovalService");
  ASSERT_NE(service, nullptr);
  const auto* m = service->FindMethodByName("ListApprovalInbox");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->output_type(), cms::v1::ListApprovalInboxResponse::descriptor());
}

TEST(ApiContractTest, LongRunningStartsHaveTheirOwnWireIdenticalRequests) {
  // W4.6, X13 API contract: once RetireSegmentRequest / SplitSegmentRequest.
  EXPECT_TRUE(WireIdentical(cms::v1::RetireSegmentRequest::descriptor(),
                            cms::v1::StartRetireSegmentRequest::descriptor()));
  EXPECT_TRUE(WireIdentical(cms::v1::StartRetireSegmentRequest::descriptor(),
                            cms::v1::RetireSegmentRequest::descriptor()));
  EXPECT_TRUE(WireIdentical(cms::v1::SplitSegmentRequest::descriptor(),
                            cms::v1::StartSplitSegmentRequest::descriptor()));
  EXPECT_TRUE(WireIdentical(cms::v1::StartSplitSegmentRequest::descriptor(),
                            cms::v1::SplitSegmentRequest::descriptor()));
  // A request sent in the old shape reads the same in the new one.
  cms::v1::SplitSegmentRequest old;
  old.set_request_id("r1");
  old.set_id(3);
  old.set_target_segment_id(4);
  old.add_postcode_areas("NE");
  cms::v1::StartSplitSegmentRequest now;
  ASSERT_TRUE(now.ParseFromString(old.SerializeAsString()));
  EXPECT_EQ(now.postcode_areas(0), "NE");
  EXPECT_EQ(now.SerializeAsString(), old.SerializeAsString());
}

// Every file of cms.v1 that declares a service.
std::vector<const google::protobuf::FileDescriptor*> ServiceFiles() {
  return {cms::v1::Clock::descriptor()->file(),          cms::v1::Approval::descriptor()->file(),
          cms::v1::Segment::descriptor()->file(),        cms::v1::Person::descriptor()->file(),
          cms::v1::Letter::descriptor()->file(),         cms::v1::Mopf::descriptor()->file(),
          cms::v1::ServiceRequest::descriptor()->file(), cms::v1::Orphans::descriptor()->file()};
}

TEST(ApiContractTest, EveryRpcHasItsOwnRequestAndItsOwnResponseOrAResource) {
  // X13 API contract (AIP-131..136): a request is <Rpc>Request, taken by that
  // RPC alone and never returned; a response is <Rpc>Response returned by
  // that RPC alone, or a resource (any other message, e.g. Segment,
  // Operation, ServiceRequest), which standard and custom methods return as
  // the AIPs ask.
  std::map<std::string, std::vector<std::string>> requests, responses;
  std::map<std::string, std::string> outputs;
  int methods = 0;
  for (const auto* file : ServiceFiles()) {
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const auto* method = service->method(m);
        ++methods;
        const std::string rpc = std::string(service->name()) + "/" + method->name();
        EXPECT_EQ(method->input_type()->name(), method->name() + "Request") << rpc;
        requests[method->input_type()->full_name()].push_back(rpc);
        const std::string& out = method->output_type()->name();
        outputs[method->output_type()->full_name()] = rpc;
        if (absl::EndsWith(out, "Response")) {
          EXPECT_EQ(out, method->name() + "Response") << rpc;
          responses[method->output_type()->full_name()].push_back(rpc);
        }
      }
    }
  }
  EXPECT_GE(methods, 80);
  for (const auto& [type, rpcs] : requests) {
    EXPECT_EQ(rpcs.size(), 1u) << type << " is the request of " << rpcs.size() << " RPCs";
    EXPECT_EQ(outputs.count(type), 0u) << type << " is also returned by " << outputs[type];
  }
  for (const auto& [type, rpcs] : responses) {
    EXPECT_EQ(rpcs.size(), 1u) << type << " is the response of " << rpcs.size() << " RPCs";
  }
}

}  // namespace
}  // namespace cms
