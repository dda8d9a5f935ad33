// X13 API contract (AIP-131/132, issue 13): every RPC has its own request
// and response messages. Those split from a once-shared message keep its
// wire format, field for field, so clients built against the shared one
// still decode them.
#include <gtest/gtest.h>

#include <string>

#include "cms/v1/approval.pb.h"
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

}  // namespace
}  // namespace cms
