// W4.3 paging and the X13 API contract (AIP-158): page_size defaults and
// clamps, page tokens round-trip and are bound to the request's filters.
#include "server/base/paging.h"

#include <gtest/gtest.h>

#include "cms/v1/service_request.pb.h"
#include "cms/v1/work.pb.h"
#include "server/base/errors.h"

namespace cms {
namespace {

using cms::v1::ListServiceRequestsRequest;

std::vector<std::string> Fields(const absl::Status& status) {
  std::vector<std::string> out;
  for (const FieldError& f : FieldErrorsOf(status)) out.push_back(f.field);
  return out;
}

TEST(PagingTest, PageSizeDefaultsAndClampsAndRefusesNegative) {
  // W4.3, AIP-158: above the maximum is clamped, not refused.
  ListServiceRequestsRequest req;
  EXPECT_EQ(ParsePage(req)->limit, 100);
  req.set_page_size(7);
  EXPECT_EQ(ParsePage(req)->limit, 7);
  req.set_page_size(1000);
  EXPECT_EQ(ParsePage(req)->limit, 1000);
  req.set_page_size(1001);
  EXPECT_EQ(ParsePage(req)->limit, 1000);
  req.set_page_size(2147483647);
  EXPECT_EQ(ParsePage(req)->limit, 1000);
  req.set_page_size(-1);
  absl::Status negative = ParsePage(req).status();
  EXPECT_EQ(negative.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(negative), std::vector<std::string>{"page_size"});
  // The unbound form (BomService) clamps the same.
  EXPECT_EQ(ParsePage(5000, "")->limit, 1000);
  EXPECT_EQ(Fields(ParsePage(-1, "").status()), std::vector<std::string>{"page_size"});
}

TEST(PagingTest, TokensRoundTripWithTheSameFiltersAndAnyPageSize) {
  // W4.3, AIP-158: page_size may change between pages; the filters may not.
  ListServiceRequestsRequest req;
  req.set_casegroup_id(12);
  req.set_include_closed(true);
  req.set_page_size(5);
  auto first = ParsePage(req);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->after_id, 0);
  req.set_page_token(first->NextToken(42));
  req.set_page_size(50);
  auto second = ParsePage(req);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->after_id, 42);
  EXPECT_EQ(second->limit, 50);
  EXPECT_EQ(second->NextToken(43), first->NextToken(43));
}

TEST(PagingTest, ATokenIsRefusedWhenTheFiltersChange) {
  // AIP-158 (X13 API contract): a token names page_token when used with
  // other filters, or with another list RPC's request.
  ListServiceRequestsRequest req;
  req.set_casegroup_id(12);
  const std::string token = ParsePage(req)->NextToken(42);
  req.set_page_token(token);
  req.set_include_closed(true);
  absl::Status changed = ParsePage(req).status();
  EXPECT_EQ(changed.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fields(changed), std::vector<std::string>{"page_token"});
  req.set_include_closed(false);
  req.set_casegroup_id(13);
  EXPECT_EQ(Fields(ParsePage(req).status()), std::vector<std::string>{"page_token"});

  // Wire-identical requests of two work views still differ by type.
  cms::v1::ListMyWorkRequest mine;
  cms::v1::ListTeamWorkRequest team;
  team.set_page_token(ParsePage(mine, false)->NextToken("w:1:2:3"));
  EXPECT_EQ(Fields(ParsePage(team, false).status()), std::vector<std::string>{"page_token"});
  mine.set_page_token(team.page_token());
  auto same_view = ParsePage(mine, false);
  ASSERT_TRUE(same_view.ok()) << same_view.status();
  EXPECT_EQ(same_view->cursor, "w:1:2:3");
}

TEST(PagingTest, FingerprintIgnoresPagingAndFollowsEveryFilter) {
  cms::v1::ListMyWorkRequest a;
  a.add_statuses(cms::v1::SR_STATUS_OPEN);
  cms::v1::ListMyWorkRequest b = a;
  b.set_page_size(9);
  b.set_page_token("anything");
  EXPECT_EQ(FilterFingerprint(a), FilterFingerprint(b));
  b.add_statuses(cms::v1::SR_STATUS_WAIT);
  EXPECT_NE(FilterFingerprint(a), FilterFingerprint(b));
}

TEST(PagingTest, TokensNotOursAreNamed) {
  ListServiceRequestsRequest req;
  for (const char* bad : {"garbage!", "bm9wZQ", "cDE6MDAwMDowOmFmdGVyOjE"}) {
    req.set_page_token(bad);
    EXPECT_EQ(Fields(ParsePage(req).status()), std::vector<std::string>{"page_token"}) << bad;
  }
  // An unbound token (BomService's) is not one of a bound list's.
  req.set_page_token(PageToken(42));
  EXPECT_EQ(Fields(ParsePage(req).status()), std::vector<std::string>{"page_token"});
  EXPECT_EQ(ParsePage(10, PageToken(42))->after_id, 42);
  EXPECT_EQ(Fields(ParsePage(10, "garbage!").status()), std::vector<std::string>{"page_token"});
}

}  // namespace
}  // namespace cms
