// W4.3 paging and the X13 API contract (AIP-158): page_size defaults and
// clamps, page tokens round-trip and are bound to the request's filters, for
// every list (the BOM's and the catalogs' included).
#include "server/base/paging.h"

#include <gtest/gtest.h>

#include "cms/v1/bom.pb.h"
#include "cms/v1/letter.pb.h"
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
  // The unbound tokens BomService once returned (base64 "after:42") are
  // not bound to any request, so no list takes them.
  req.set_page_token("YWZ0ZXI6NDI=");
  EXPECT_EQ(Fields(ParsePage(req).status()), std::vector<std::string>{"page_token"});
}

TEST(PagingTest, BomListsAreBoundAndClampedLikeEveryList) {
  // AIP-158 (X13 API contract, issue 13): ListSegments, ListTeams, ListStaff
  // and ListOperations page with ParsePage(request) too: clamped, not
  // refused, and a token bound to the filters and the RPC.
  cms::v1::ListStaffRequest staff;
  staff.set_page_size(5000);
  EXPECT_EQ(ParsePage(staff, false)->limit, 1000);
  staff.set_team_id(4);
  const std::string token = ParsePage(staff, false)->NextToken(KeyCursor("cw.gb.a1"));
  staff.set_page_token(token);
  auto next = ParsePage(staff, false);
  ASSERT_TRUE(next.ok()) << next.status();
  std::string key;
  ASSERT_TRUE(ParseKeyCursor(next->cursor, &key));
  EXPECT_EQ(key, "cw.gb.a1");
  staff.set_team_id(5);
  EXPECT_EQ(Fields(ParsePage(staff, false).status()), std::vector<std::string>{"page_token"});
  staff.set_team_id(4);
  staff.set_include_inactive(true);
  EXPECT_EQ(Fields(ParsePage(staff, false).status()), std::vector<std::string>{"page_token"});

  // A ListSegments token is not a ListTeams one, though both carry an id.
  cms::v1::ListSegmentsRequest segments;
  cms::v1::ListTeamsRequest teams;
  teams.set_page_token(ParsePage(segments)->NextToken(42));
  EXPECT_EQ(Fields(ParsePage(teams).status()), std::vector<std::string>{"page_token"});
  segments.set_page_token(teams.page_token());
  EXPECT_EQ(ParsePage(segments)->after_id, 42);
  segments.set_country(cms::v1::COUNTRY_NI);
  EXPECT_EQ(Fields(ParsePage(segments).status()), std::vector<std::string>{"page_token"});

  cms::v1::ListOperationsRequest ops;
  ops.set_page_size(1001);
  EXPECT_EQ(ParsePage(ops)->limit, 1000);
  ops.set_page_token(ParsePage(ops)->NextToken(9));
  ops.set_state(cms::v1::OPERATION_STATE_RUNNING);
  EXPECT_EQ(Fields(ParsePage(ops).status()), std::vector<std::string>{"page_token"});
}

TEST(PagingTest, InMemoryListsPageByKeyAndRefuseAKeyTheyNoLongerHold) {
  // AIP-158: the catalogs (ListSrTypes, ListLetterTemplates) page the same
  // way; the cursor is the last row's key.
  const std::vector<std::string> rows = {"A", "B", "C", "D", "E"};
  auto key = [](const std::string& r) -> const std::string& { return r; };
  cms::v1::ListSrTypesRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  for (int i = 0; i < 10; ++i) {
    auto page = ParsePage(req, false);
    ASSERT_TRUE(page.ok()) << page.status();
    auto next = PageInMemory(*page, rows, key, [&](const std::string& r) { seen.push_back(r); });
    ASSERT_TRUE(next.ok()) << next.status();
    if (next->empty()) break;
    req.set_page_token(*next);
  }
  EXPECT_EQ(seen, rows);

  // An exact fit ends on the last page with no token.
  req.Clear();
  req.set_page_size(5);
  auto page = ParsePage(req, false);
  EXPECT_EQ(*PageInMemory(*page, rows, key, [](const std::string&) {}), "");

  // A key gone from the list (the catalog changed between pages).
  req.set_page_token(page->NextToken(KeyCursor("Z")));
  page = ParsePage(req, false);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Fields(PageInMemory(*page, rows, key, [](const std::string&) {}).status()),
            std::vector<std::string>{"page_token"});
  // Another request type's token is refused by ParsePage already.
  cms::v1::ListLetterTemplatesRequest letters;
  letters.set_page_token(req.page_token());
  EXPECT_EQ(Fields(ParsePage(letters, false).status()), std::vector<std::string>{"page_token"});
}

}  // namespace
}  // namespace cms
