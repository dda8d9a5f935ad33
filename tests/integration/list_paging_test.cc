// Every list RPC pages the same way (X13 API contract, issue 13; AIP-158,
// W4.3), shown over a real server for the lists that moved to the one
// paging helper last: BomService's ListSegments, ListTeams, ListStaff and
// ListOperations, and the catalogs' ListSrTypes and ListLetterTemplates.
// page_size above 1000 is clamped, not refused; a page token continues only
// the request it came from (same filters, same RPC), else INVALID_ARGUMENT
// naming page_token; paging by a small size walks the same rows.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cms/v1/bom.grpc.pb.h"
#include "cms/v1/letter.grpc.pb.h"
#include "cms/v1/service_request.grpc.pb.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kSvc[] = "svc.manager";
constexpr char kCw[] = "cw.gb.new_case.a1";

class ListPagingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff = kCw) {
    return t_->Context(staff);
  }

  // Every page of a list, following next_page_token; the rows' keys in order.
  template <typename Req, typename Resp, typename Call, typename Keys>
  static std::vector<std::string> Walk(Req req, int page_size, Call call, Keys keys) {
    std::vector<std::string> out;
    req.set_page_size(page_size);
    for (int i = 0; i < 1000; ++i) {
      Resp page;
      const grpc::Status s = call(req, &page);
      EXPECT_TRUE(s.ok()) << Describe(s);
      if (!s.ok()) break;
      for (std::string& k : keys(page)) out.push_back(std::move(k));
      if (page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return out;
  }

  static TestServer* t_;
};

TestServer* ListPagingTest::t_ = nullptr;

bool RefusesToken(const grpc::Status& s) {
  return Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"});
}

TEST_F(ListPagingTest, BomListsClampThePageSizeAndBindTheirTokens) {
  // ListStaff once refused page_size above 1000: now clamped (AIP-158).
  cms::v1::ListStaffRequest staff;
  staff.set_page_size(5000);
  cms::v1::ListStaffResponse all_staff;
  ASSERT_RPC_OK(t_->bom().ListStaff(Ctx().get(), staff, &all_staff));
  EXPECT_GT(all_staff.staff_size(), 2);
  EXPECT_LE(all_staff.staff_size(), 1000);
  cms::v1::ListSegmentsRequest segments;
  segments.set_page_size(5000);
  cms::v1::ListSegmentsResponse all_segments;
  ASSERT_RPC_OK(t_->bom().ListSegments(Ctx().get(), segments, &all_segments));
  EXPECT_GE(all_segments.segments_size(), 34);
  cms::v1::ListTeamsRequest teams;
  teams.set_page_size(5000);
  cms::v1::ListTeamsResponse all_teams;
  ASSERT_RPC_OK(t_->bom().ListTeams(Ctx().get(), teams, &all_teams));
  EXPECT_GE(all_teams.teams_size(), 34);
  cms::v1::ListOperationsRequest ops;
  ops.set_page_size(5000);
  cms::v1::ListOperationsResponse no_ops;
  ASSERT_RPC_OK(t_->bom().ListOperations(Ctx(kSvc).get(), ops, &no_ops));

  // A ListStaff token, reused with another team: refused.
  const int64_t team = all_staff.staff(0).team_id();
  staff.set_page_size(1);
  staff.set_team_id(team);
  cms::v1::ListStaffResponse first;
  ASSERT_RPC_OK(t_->bom().ListStaff(Ctx().get(), staff, &first));
  ASSERT_FALSE(first.next_page_token().empty());
  staff.set_page_token(first.next_page_token());
  staff.set_page_size(50);  // the page size may change
  cms::v1::ListStaffResponse rest;
  ASSERT_RPC_OK(t_->bom().ListStaff(Ctx().get(), staff, &rest));
  staff.set_include_inactive(true);
  EXPECT_TRUE(RefusesToken(t_->bom().ListStaff(Ctx().get(), staff, &rest)));

  // A ListSegments token, reused with another country, or sent to ListTeams.
  segments.set_page_size(2);
  segments.set_country(cms::v1::COUNTRY_GB);
  cms::v1::ListSegmentsResponse gb;
  ASSERT_RPC_OK(t_->bom().ListSegments(Ctx().get(), segments, &gb));
  ASSERT_FALSE(gb.next_page_token().empty());
  segments.set_page_token(gb.next_page_token());
  segments.set_country(cms::v1::COUNTRY_NI);
  EXPECT_TRUE(RefusesToken(t_->bom().ListSegments(Ctx().get(), segments, &gb)));
  cms::v1::ListTeamsRequest foreign;
  foreign.set_page_token(gb.next_page_token());
  EXPECT_TRUE(RefusesToken(t_->bom().ListTeams(Ctx().get(), foreign, &all_teams)));

  // A ListTeams token, reused for another segment.
  teams.set_page_size(1);
  teams.set_segment_id(all_segments.segments(0).id());
  cms::v1::ListTeamsResponse one;
  ASSERT_RPC_OK(t_->bom().ListTeams(Ctx().get(), teams, &one));
  ASSERT_FALSE(one.next_page_token().empty());  // a demo segment has a team...
  teams.set_page_token(one.next_page_token());
  teams.set_segment_id(all_segments.segments(1).id());
  EXPECT_TRUE(RefusesToken(t_->bom().ListTeams(Ctx().get(), teams, &one)));
}

TEST_F(ListPagingTest, TeamsAndStaffPagedByOneAreTheWholeList) {
  auto team_ids = [](const cms::v1::ListTeamsResponse& r) {
    std::vector<std::string> out;
    for (const auto& t : r.teams()) out.push_back(std::to_string(t.id()));
    return out;
  };
  auto list_teams = [](const cms::v1::ListTeamsRequest& r, cms::v1::ListTeamsResponse* out) {
    return t_->bom().ListTeams(Ctx().get(), r, out);
  };
  cms::v1::ListTeamsRequest teams;
  EXPECT_EQ(
      (Walk<cms::v1::ListTeamsRequest, cms::v1::ListTeamsResponse>(teams, 1, list_teams, team_ids)),
      (Walk<cms::v1::ListTeamsRequest, cms::v1::ListTeamsResponse>(teams, 1000, list_teams,
                                                                   team_ids)));
  auto staff_ids = [](const cms::v1::ListStaffResponse& r) {
    std::vector<std::string> out;
    for (const auto& m : r.staff()) out.push_back(m.staff_id());
    return out;
  };
  auto list_staff = [](const cms::v1::ListStaffRequest& r, cms::v1::ListStaffResponse* out) {
    return t_->bom().ListStaff(Ctx().get(), r, out);
  };
  cms::v1::ListStaffRequest staff;
  const auto whole = Walk<cms::v1::ListStaffRequest, cms::v1::ListStaffResponse>(
      staff, 1000, list_staff, staff_ids);
  EXPECT_EQ((Walk<cms::v1::ListStaffRequest, cms::v1::ListStaffResponse>(staff, 7, list_staff,
                                                                         staff_ids)),
            whole);
  EXPECT_GT(whole.size(), 7u);
}

TEST_F(ListPagingTest, CatalogsPageLikeEveryList) {
  // SR5.1, L12.1: the catalogs, in catalog order, by any page size.
  auto type_codes = [](const cms::v1::ListSrTypesResponse& r) {
    std::vector<std::string> out;
    for (const auto& t : r.types()) out.push_back(t.code());
    return out;
  };
  auto list_types = [](const cms::v1::ListSrTypesRequest& r, cms::v1::ListSrTypesResponse* out) {
    return t_->service_requests().ListSrTypes(Ctx().get(), r, out);
  };
  cms::v1::ListSrTypesResponse unpaged;
  ASSERT_RPC_OK(t_->service_requests().ListSrTypes(Ctx().get(), {}, &unpaged));
  EXPECT_TRUE(unpaged.next_page_token().empty());  // fewer than 100
  const std::vector<std::string> codes = type_codes(unpaged);
  EXPECT_GE(codes.size(), 18u);
  EXPECT_EQ((Walk<cms::v1::ListSrTypesRequest, cms::v1::ListSrTypesResponse>({}, 5, list_types,
                                                                             type_codes)),
            codes);
  EXPECT_EQ((Walk<cms::v1::ListSrTypesRequest, cms::v1::ListSrTypesResponse>({}, 5000, list_types,
                                                                             type_codes)),
            codes);

  auto template_codes = [](const cms::v1::ListLetterTemplatesResponse& r) {
    std::vector<std::string> out;
    for (const auto& t : r.templates()) out.push_back(t.code());
    return out;
  };
  auto list_templates = [](const cms::v1::ListLetterTemplatesRequest& r,
                           cms::v1::ListLetterTemplatesResponse* out) {
    return t_->letters().ListLetterTemplates(Ctx().get(), r, out);
  };
  cms::v1::ListLetterTemplatesResponse all_templates;
  ASSERT_RPC_OK(t_->letters().ListLetterTemplates(Ctx().get(), {}, &all_templates));
  EXPECT_GE(all_templates.templates_size(), 8);
  EXPECT_EQ((Walk<cms::v1::ListLetterTemplatesRequest, cms::v1::ListLetterTemplatesResponse>(
                {}, 3, list_templates, template_codes)),
            template_codes(all_templates));

  // A token of one catalog is not the other's; a negative size is refused.
  cms::v1::ListSrTypesRequest two;
  two.set_page_size(2);
  cms::v1::ListSrTypesResponse page;
  ASSERT_RPC_OK(t_->service_requests().ListSrTypes(Ctx().get(), two, &page));
  ASSERT_FALSE(page.next_page_token().empty());
  cms::v1::ListLetterTemplatesRequest other;
  other.set_page_token(page.next_page_token());
  EXPECT_TRUE(RefusesToken(t_->letters().ListLetterTemplates(Ctx().get(), other, &all_templates)));
  two.set_page_size(-1);
  EXPECT_TRUE(Refused(t_->service_requests().ListSrTypes(Ctx().get(), two, &page),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_size"}));
}

}  // namespace
}  // namespace cms::testing
