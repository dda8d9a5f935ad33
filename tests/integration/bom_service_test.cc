// BomService over a real database and a real server: segments and the
// naming convention (S1.2, S1.3), teams and staff (S1.4), BOM changes, change
// requests (through ApprovalService) and "the BOM as of T" (S1.5), retiring (S1.6), identity
// (X13.1), audit (X13.2), etags (X13.3), idempotency (X13.4) and errors (X13.5).
//
// Every refusal is checked for its ErrorInfo (rule_id, field names, reason)
// and shown to change nothing (the whole BOM, the change requests and the
// caller's audit trail are compared before and after).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cms/v1/approval.pb.h"
#include "cms/v1/bom.pb.h"
#include "cms/v1/casegroup.pb.h"
#include "server/store/bom_repo.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::Approval;
using cms::v1::Bom;
using cms::v1::Segment;
using cms::v1::StaffMember;
using cms::v1::Team;

constexpr char kSvc[] = "svc.manager";
constexpr char kAuditor[] = "qa.auditor";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";
constexpr char kTeamLeader[] = "tl.gb.new_case.a";
constexpr char kSegmentManager[] = "sm.gb.new_case";
constexpr cms::v1::ApprovalState kRejected = cms::v1::APPROVAL_STATE_REJECTED;

// A short unique code (letters/digits) so segment system names never clash
// between tests sharing the server.
std::string UniqueCode() {
  static int n = 0;
  return absl::StrFormat("T%d%s", ++n, RandomRequestId().substr(4, 6));
}

class BomServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff) {
    return t_->Context(staff);
  }
  static cms::v1::BomService::Stub& bom() { return t_->bom(); }

  // Everything a BOM refusal could have touched: segments, teams, staff
  // (with their etags), change requests, and the newest audit row by `actor`.
  static std::string State(const std::string& actor = kSvc) {
    std::string out;
    cms::v1::ListSegmentsRequest sr;
    sr.set_page_size(1000);
    sr.set_include_retired(true);
    cms::v1::ListSegmentsResponse segments;
    EXPECT_RPC_OK(bom().ListSegments(Ctx(kAuditor).get(), sr, &segments));
    cms::v1::ListTeamsRequest tr;
    tr.set_page_size(1000);
    tr.set_include_retired(true);
    cms::v1::ListTeamsResponse teams;
    EXPECT_RPC_OK(bom().ListTeams(Ctx(kAuditor).get(), tr, &teams));
    cms::v1::ListStaffRequest st;
    st.set_page_size(1000);
    st.set_include_inactive(true);
    cms::v1::ListStaffResponse staff;
    EXPECT_RPC_OK(bom().ListStaff(Ctx(kAuditor).get(), st, &staff));
    cms::v1::ListApprovalsRequest cr;
    cr.set_kind(cms::v1::APPROVAL_KIND_BOM_CHANGE);
    cr.set_page_size(1000);
    cms::v1::ListApprovalsResponse requests;
    EXPECT_RPC_OK(t_->approvals().ListApprovals(Ctx(kAuditor).get(), cr, &requests));
    cms::v1::ListAuditEventsRequest ar;
    ar.set_actor(actor);
    ar.set_page_size(1);
    cms::v1::ListAuditEventsResponse audit;
    EXPECT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), ar, &audit));
    absl::StrAppend(&out, segments.ShortDebugString(), "\n", teams.ShortDebugString(), "\n",
                    staff.ShortDebugString(), "\n", requests.ShortDebugString(), "\n",
                    audit.ShortDebugString());
    return out;
  }

  static std::vector<Segment> AllSegments(cms::v1::ListSegmentsRequest req, int page_size) {
    std::vector<Segment> out;
    req.set_page_size(page_size);
    for (int pages = 0; pages < 1000; ++pages) {
      cms::v1::ListSegmentsResponse resp;
      grpc::Status s = bom().ListSegments(Ctx(kAuditor).get(), req, &resp);
      EXPECT_TRUE(s.ok()) << Describe(s);
      if (!s.ok()) break;
      EXPECT_LE(resp.segments_size(), page_size);
      out.insert(out.end(), resp.segments().begin(), resp.segments().end());
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  static Segment FindDemoSegment(cms::v1::Country country, cms::v1::ServiceSegment service) {
    cms::v1::ListSegmentsRequest req;
    req.set_country(country);
    req.set_service_segment(service);
    std::vector<Segment> all = AllSegments(req, 1000);
    for (const Segment& s : all) {
      if (s.code() == "Core") return s;
    }
    ADD_FAILURE() << "no demo segment for " << country << "/" << service;
    return {};
  }

  static Team FindTeam(int64_t segment_id, const std::string& name) {
    cms::v1::ListTeamsRequest req;
    req.set_segment_id(segment_id);
    cms::v1::ListTeamsResponse resp;
    EXPECT_RPC_OK(bom().ListTeams(Ctx(kAuditor).get(), req, &resp));
    for (const Team& t : resp.teams()) {
      if (t.name() == name) return t;
    }
    return {};
  }

  static StaffMember Staff(const std::string& staff_id) {
    cms::v1::GetStaffMemberRequest req;
    req.set_staff_id(staff_id);
    StaffMember m;
    EXPECT_RPC_OK(bom().GetStaffMember(Ctx(kSvc).get(), req, &m));
    return m;
  }

  static cms::v1::CreateSegmentRequest SegmentRequest(cms::v1::Country country,
                                                      cms::v1::ServiceSegment service,
                                                      const std::string& description,
                                                      const std::string& code) {
    cms::v1::CreateSegmentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(country);
    req.set_service_segment(service);
    req.set_description(description);
    req.set_code(code);
    return req;
  }

  // A new, empty segment (no teams, staff or casegroups).
  static Segment NewSegment(const std::string& description = "Test Unit",
                            cms::v1::Country country = cms::v1::COUNTRY_GB,
                            cms::v1::ServiceSegment service = cms::v1::SERVICE_SEGMENT_FOI) {
    Segment s;
    grpc::Status st = bom().CreateSegment(
        Ctx(kSvc).get(), SegmentRequest(country, service, description, UniqueCode()), &s);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return s;
  }

  static Team NewTeam(int64_t segment_id, const std::string& name) {
    cms::v1::CreateTeamRequest req;
    req.set_request_id(RandomRequestId());
    req.set_segment_id(segment_id);
    req.set_name(name);
    Team team;
    grpc::Status st = bom().CreateTeam(Ctx(kSvc).get(), req, &team);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return team;
  }

  static StaffMember NewStaff(const std::string& prefix, cms::v1::Role role, int64_t team_id,
                              int64_t segment_id = 0) {
    cms::v1::AddStaffMemberRequest req;
    req.set_request_id(RandomRequestId());
    req.set_staff_id(absl::StrCat(prefix, ".", RandomRequestId().substr(4, 10)));
    req.set_name(absl::StrCat("Test ", prefix));
    req.set_role(role);
    req.set_team_id(team_id);
    req.set_segment_id(segment_id);
    StaffMember m;
    grpc::Status st = bom().AddStaffMember(Ctx(kSvc).get(), req, &m);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return m;
  }

  static cms::v1::ApprovalService::Stub& approvals() { return t_->approvals(); }

  // S1.5: a TL's request for a new team, with its reason.
  static cms::v1::SubmitForApprovalRequest CreateTeamChange(int64_t segment_id,
                                                            const std::string& name) {
    cms::v1::SubmitForApprovalRequest req;
    req.set_request_id(RandomRequestId());
    auto* change = req.mutable_bom_change()->mutable_create_team();
    change->set_segment_id(segment_id);
    change->set_name(name);
    req.set_comment("we need another team for the new workload");
    return req;
  }

  static Approval Raise(const cms::v1::SubmitForApprovalRequest& req,
                        const std::string& staff = kTeamLeader) {
    Approval r;
    grpc::Status st = approvals().SubmitForApproval(Ctx(staff).get(), req, &r);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return r;
  }

  static cms::v1::DecideApprovalRequest Decision(
      const Approval& r, const std::string& comment,
      cms::v1::ApprovalState decision = cms::v1::APPROVAL_STATE_APPROVED) {
    cms::v1::DecideApprovalRequest req;
    req.set_request_id(RandomRequestId());
    req.set_approval_id(r.id());
    req.set_decision(decision);
    req.set_comment(comment);
    return req;
  }

  static cms::v1::GetApprovalRequest Get(int64_t id) {
    cms::v1::GetApprovalRequest req;
    req.set_id(id);
    return req;
  }

  static std::vector<Approval> ChangeRequests(cms::v1::ApprovalState state) {
    cms::v1::ListApprovalsRequest req;
    req.set_kind(cms::v1::APPROVAL_KIND_BOM_CHANGE);
    req.set_state(state);
    req.set_page_size(1000);
    cms::v1::ListApprovalsResponse resp;
    EXPECT_RPC_OK(approvals().ListApprovals(Ctx(kAuditor).get(), req, &resp));
    return {resp.approvals().begin(), resp.approvals().end()};
  }

  static bool InInbox(const std::string& staff, int64_t approval_id) {
    cms::v1::ListApprovalInboxRequest req;
    req.set_page_size(1000);
    cms::v1::ListApprovalInboxResponse resp;
    EXPECT_RPC_OK(approvals().ListApprovalInbox(Ctx(staff).get(), req, &resp));
    for (const Approval& a : resp.approvals()) {
      if (a.id() == approval_id) return true;
    }
    return false;
  }

  static TestServer* t_;
};

TestServer* BomServiceTest::t_ = nullptr;

// ---------------------------------------------------------------- ListSegments

TEST_F(BomServiceTest, ListSegmentsPagesThroughAllDemoSegments) {
  // S1.1, S1.2: the demo BOM has one ACTIVE segment per country and service
  // segment, 2 x 17 = 34, named by S1.3; paging covers them all exactly once.
  std::vector<Segment> whole = AllSegments({}, 1000);
  std::vector<Segment> paged = AllSegments({}, 5);
  ASSERT_EQ(paged.size(), whole.size());
  std::set<int64_t> ids;
  for (size_t i = 0; i < whole.size(); ++i) {
    EXPECT_EQ(paged[i].id(), whole[i].id());
    ids.insert(paged[i].id());
    if (i > 0) EXPECT_LT(paged[i - 1].id(), paged[i].id()) << "ordered by id";
  }
  EXPECT_EQ(ids.size(), whole.size()) << "no segment twice";

  std::map<std::pair<int, int>, Segment> demo;
  for (const Segment& s : whole) {
    if (s.code() != "Core") continue;
    EXPECT_TRUE(demo.emplace(std::make_pair(s.country(), s.service_segment()), s).second)
        << "two demo segments for " << s.ShortDebugString();
  }
  EXPECT_EQ(demo.size(), 34u);
  const auto* services = google::protobuf::GetEnumDescriptor<cms::v1::ServiceSegment>();
  for (auto country : {cms::v1::COUNTRY_GB, cms::v1::COUNTRY_NI}) {
    for (int i = 1; i < services->value_count(); ++i) {
      auto it = demo.find({country, services->value(i)->number()});
      ASSERT_NE(it, demo.end()) << "missing demo segment " << country << "/"
                                << services->value(i)->name();
      EXPECT_EQ(it->second.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);
      EXPECT_TRUE(
          absl::StartsWith(it->second.system_name(),
                           absl::StrCat("FS_", country == cms::v1::COUNTRY_GB ? "GB" : "NI", "_")))
          << it->second.system_name();
      EXPECT_TRUE(absl::EndsWith(it->second.system_name(), "_CORE")) << it->second.system_name();
      EXPECT_FALSE(it->second.etag().empty());
    }
  }
  // Spot checks of the S1.3 derivation on demo data.
  auto demo_of = [&](cms::v1::Country c, cms::v1::ServiceSegment s) {
    return demo[std::make_pair(static_cast<int>(c), static_cast<int>(s))];
  };
  EXPECT_EQ(demo_of(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE).system_name(),
            "FS_GB_NWCSE_NC_CORE");
  EXPECT_EQ(
      demo_of(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_SPECIAL_CLIENT_RECORDS).system_name(),
      "FS_NI_SCR_SCR_CORE");
  EXPECT_EQ(demo_of(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS).description(),
            "Options");
}

TEST_F(BomServiceTest, ListSegmentsExactPageBoundary) {
  // S1.2 (paging): a page size equal to the total still terminates, and a
  // page size of 1 walks every segment.
  std::vector<Segment> whole = AllSegments({}, 1000);
  std::vector<Segment> by_one = AllSegments({}, 1);
  EXPECT_EQ(by_one.size(), whole.size());
  std::vector<Segment> exact = AllSegments({}, static_cast<int>(whole.size()));
  EXPECT_EQ(exact.size(), whole.size());
}

TEST_F(BomServiceTest, ListSegmentsFiltersByCountryAndServiceSegment) {
  // S1.1, S1.2: filters.
  cms::v1::ListSegmentsRequest ni;
  ni.set_country(cms::v1::COUNTRY_NI);
  std::vector<Segment> ni_segments = AllSegments(ni, 7);
  int ni_demo = 0;
  for (const Segment& s : ni_segments) {
    EXPECT_EQ(s.country(), cms::v1::COUNTRY_NI) << s.ShortDebugString();
    if (s.code() == "Core") ++ni_demo;
  }
  EXPECT_EQ(ni_demo, 17);

  cms::v1::ListSegmentsRequest maint;
  maint.set_service_segment(cms::v1::SERVICE_SEGMENT_MAINTENANCE);
  std::vector<Segment> maint_segments = AllSegments(maint, 1000);
  std::set<int> countries;
  for (const Segment& s : maint_segments) {
    EXPECT_EQ(s.service_segment(), cms::v1::SERVICE_SEGMENT_MAINTENANCE);
    if (s.code() == "Core") countries.insert(s.country());
  }
  EXPECT_EQ(countries, (std::set<int>{cms::v1::COUNTRY_GB, cms::v1::COUNTRY_NI}));

  cms::v1::ListSegmentsRequest both;
  both.set_country(cms::v1::COUNTRY_GB);
  both.set_service_segment(cms::v1::SERVICE_SEGMENT_MAINTENANCE);
  std::vector<Segment> one = AllSegments(both, 1000);
  ASSERT_GE(one.size(), 1u);
  for (const Segment& s : one) {
    EXPECT_EQ(s.country(), cms::v1::COUNTRY_GB);
    EXPECT_EQ(s.service_segment(), cms::v1::SERVICE_SEGMENT_MAINTENANCE);
  }
}

TEST_F(BomServiceTest, ListSegmentsRejectsBadPageTokenAndNegativePageSize) {
  // X13.5: a page token the server never issued is INVALID_ARGUMENT naming it.
  for (const char* token : {"not-a-token", "YWZ0ZXI6eHl6", "!!!"}) {
    SCOPED_TRACE(token);
    cms::v1::ListSegmentsRequest req;
    req.set_page_token(token);
    cms::v1::ListSegmentsResponse resp;
    grpc::Status s = bom().ListSegments(Ctx(kAuditor).get(), req, &resp);
    EXPECT_TRUE(
        Refused(s, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  }
  // W4.3 paging, AIP-158: above the maximum is clamped, not refused;
  // negative is INVALID_ARGUMENT naming page_size.
  cms::v1::ListSegmentsRequest big;
  big.set_page_size(1001);
  cms::v1::ListSegmentsResponse resp;
  EXPECT_RPC_OK(bom().ListSegments(Ctx(kCaseworker).get(), big, &resp));
  EXPECT_GE(resp.segments_size(), 1);
  cms::v1::ListSegmentsRequest negative;
  negative.set_page_size(-1);
  EXPECT_TRUE(Refused(bom().ListSegments(Ctx(kCaseworker).get(), negative, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_size"}));
}

// ---------------------------------------------------------------- GetSegment

TEST_F(BomServiceTest, GetSegmentReturnsItOrNotFound) {
  // S1.2: read by id; X13.5: a missing one is NOT_FOUND.
  Segment demo = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_ARREARS);
  cms::v1::GetSegmentRequest req;
  req.set_id(demo.id());
  Segment got;
  ASSERT_RPC_OK(bom().GetSegment(Ctx(kCaseworker).get(), req, &got));
  EXPECT_EQ(got.system_name(), demo.system_name());
  EXPECT_EQ(got.etag(), demo.etag());
  EXPECT_TRUE(got.has_create_time());

  req.set_id(987654321);
  EXPECT_TRUE(Refused(bom().GetSegment(Ctx(kCaseworker).get(), req, &got),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
}

// ---------------------------------------------------------------- CreateSegment

TEST_F(BomServiceTest, CreateSegmentDerivesSystemName) {
  // S1.3: the system name is derived from country, service segment,
  // description initials and code, never typed.
  auto req = SegmentRequest(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "Options Agents",
                            "Agents");
  Segment s;
  ASSERT_RPC_OK(bom().CreateSegment(Ctx(kSvc).get(), req, &s));
  EXPECT_GT(s.id(), 0);
  EXPECT_EQ(s.system_name(), "FS_GB_OPPTS_OA_AGENTS");
  EXPECT_EQ(s.country(), cms::v1::COUNTRY_GB);
  EXPECT_EQ(s.service_segment(), cms::v1::SERVICE_SEGMENT_OPTIONS);
  EXPECT_EQ(s.description(), "Options Agents");
  EXPECT_EQ(s.code(), "Agents");
  EXPECT_EQ(s.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_FALSE(s.etag().empty());

  // NI, punctuation between words, more than three words, lower-case code.
  Segment ni;
  ASSERT_RPC_OK(bom().CreateSegment(
      Ctx(kSvc).get(),
      SegmentRequest(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_DEDUCTION_ORDER_TEAM,
                     "deo-review team north west", "x7"),
      &ni));
  EXPECT_EQ(ni.system_name(), "FS_NI_DOT_DRT_X7");

  // It is listed and readable.
  cms::v1::GetSegmentRequest get;
  get.set_id(s.id());
  Segment again;
  ASSERT_RPC_OK(bom().GetSegment(Ctx(kCaseworker).get(), get, &again));
  EXPECT_EQ(again.system_name(), "FS_GB_OPPTS_OA_AGENTS");
  // X13.3: the returned segment is what was stored (etag, create time, ...).
  EXPECT_EQ(again.ShortDebugString(), s.ShortDebugString());
}

TEST_F(BomServiceTest, CreateSegmentNameClashIsAlreadyExists) {
  // S1.3: a name clash is rejected, even when description and code differ in
  // ways the derivation ignores.
  Segment first;
  const std::string code = UniqueCode();
  ASSERT_RPC_OK(bom().CreateSegment(
      Ctx(kSvc).get(),
      SegmentRequest(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_COLLECTIONS, "Clash Unit", code),
      &first));
  const std::string before = State();
  for (const auto& [description, c] : std::vector<std::pair<std::string, std::string>>{
           {"Clash Unit", code}, {"cold  UNITS", absl::AsciiStrToLower(code)}}) {
    SCOPED_TRACE(description);
    Segment s;
    grpc::Status st = bom().CreateSegment(
        Ctx(kSvc).get(),
        SegmentRequest(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_COLLECTIONS, description, c),
        &s);
    EXPECT_TRUE(Refused(st, grpc::StatusCode::ALREADY_EXISTS, "S1.3", "NAME_CLASH"));
    EXPECT_TRUE(absl::StrContains(st.error_message(), first.system_name())) << st.error_message();
  }
  EXPECT_EQ(State(), before) << "a refused create changed something";

  // The same description and code in the other country is a different name.
  Segment ni;
  ASSERT_RPC_OK(bom().CreateSegment(
      Ctx(kSvc).get(),
      SegmentRequest(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_COLLECTIONS, "Clash Unit", code),
      &ni));
  EXPECT_NE(ni.system_name(), first.system_name());
}

TEST_F(BomServiceTest, CreateSegmentNamesEachBadField) {
  // X13.5, S1.1, S1.2, S1.3: INVALID_ARGUMENT naming each bad field.
  const std::string before = State();
  struct Case {
    cms::v1::Country country;
    cms::v1::ServiceSegment service;
    std::string description;
    std::string code;
    std::vector<std::string> fields;
  };
  const std::string long_description(101, 'a');
  const std::vector<Case> cases = {
      {cms::v1::COUNTRY_UNSPECIFIED,
       cms::v1::SERVICE_SEGMENT_UNSPECIFIED,
       "",
       "",
       {"country", "service_segment", "description", "code"}},
      {cms::v1::COUNTRY_UNSPECIFIED,
       cms::v1::SERVICE_SEGMENT_OPTIONS,
       "Good Name",
       "Ok1",
       {"country"}},
      {static_cast<cms::v1::Country>(7),
       cms::v1::SERVICE_SEGMENT_OPTIONS,
       "Good Name",
       "Ok1",
       {"country"}},
      {cms::v1::COUNTRY_GB,
       cms::v1::SERVICE_SEGMENT_UNSPECIFIED,
       "Good Name",
       "Ok1",
       {"service_segment"}},
      {cms::v1::COUNTRY_GB,
       static_cast<cms::v1::ServiceSegment>(99),
       "Good Name",
       "Ok1",
       {"service_segment"}},
      {cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "", "Ok1", {"description"}},
      {cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "-- !! --", "Ok1", {"description"}},
      {cms::v1::COUNTRY_GB,
       cms::v1::SERVICE_SEGMENT_OPTIONS,
       long_description,
       "Ok1",
       {"description"}},
      {cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "Good Name", "", {"code"}},
      {cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "Good Name", "has space", {"code"}},
      {cms::v1::COUNTRY_GB,
       cms::v1::SERVICE_SEGMENT_OPTIONS,
       "Good Name",
       std::string(21, 'A'),
       {"code"}},
      {cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_OPTIONS, "Good Name", "under_score", {"code"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(
        absl::StrCat(c.country, "/", c.service, "/\"", c.description, "\"/\"", c.code, "\""));
    Segment s;
    grpc::Status st = bom().CreateSegment(
        Ctx(kSvc).get(), SegmentRequest(c.country, c.service, c.description, c.code), &s);
    EXPECT_TRUE(
        Refused(st, grpc::StatusCode::INVALID_ARGUMENT, "S1.3", "INVALID_FIELDS", c.fields));
  }
  EXPECT_EQ(State(), before) << "a refused create changed something";
}

TEST_F(BomServiceTest, CreateSegmentNeedsServiceManagement) {
  // S1.5, X13.1: only SERVICE_MANAGEMENT changes the BOM.
  const std::string before = State();
  for (const char* staff : {kCaseworker, kTeamLeader, kSegmentManager, kAuditor}) {
    SCOPED_TRACE(staff);
    Segment s;
    grpc::Status st =
        bom().CreateSegment(Ctx(staff).get(),
                            SegmentRequest(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_FOI,
                                           "Denied Unit", UniqueCode()),
                            &s);
    EXPECT_TRUE(Refused(st, grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  EXPECT_EQ(State(), before);
}

TEST_F(BomServiceTest, CreateSegmentReplayReturnsFirstResult) {
  // X13.4: a retry with the same request id returns the first result and
  // creates nothing more; the same id for a different request is refused.
  auto req = SegmentRequest(cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_FOI, "Replay Unit",
                            UniqueCode());
  Segment first;
  ASSERT_RPC_OK(bom().CreateSegment(Ctx(kSvc).get(), req, &first));
  const std::string after_first = State();

  Segment second;
  ASSERT_RPC_OK(bom().CreateSegment(Ctx(kSvc).get(), req, &second));
  EXPECT_EQ(second.id(), first.id());
  EXPECT_EQ(second.system_name(), first.system_name());
  EXPECT_EQ(second.etag(), first.etag());
  EXPECT_EQ(State(), after_first) << "a replay created or audited something";

  auto different = req;
  different.set_description("Replay Other");
  Segment third;
  grpc::Status st = bom().CreateSegment(Ctx(kSvc).get(), different, &third);
  EXPECT_TRUE(
      Refused(st, grpc::StatusCode::INVALID_ARGUMENT, "X13.4", "INVALID_FIELDS", {"request_id"}));
  EXPECT_EQ(State(), after_first);

  // The same request id on another RPC is a different request, too.
  cms::v1::CreateTeamRequest team;
  team.set_request_id(req.request_id());
  team.set_segment_id(first.id());
  team.set_name("Replay Team");
  Team t;
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kSvc).get(), team, &t),
                      grpc::StatusCode::INVALID_ARGUMENT, "X13.4", "INVALID_FIELDS",
                      {"request_id"}));
  EXPECT_EQ(State(), after_first);
}

// ---------------------------------------------------------------- RenameSegment

TEST_F(BomServiceTest, RenameSegmentDerivesNewNameAndChecksEtag) {
  // S1.3: a rename derives the system name anew; X13.3: etags.
  Segment s = NewSegment("Rename Me");
  cms::v1::RenameSegmentRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(s.id());
  req.set_etag(s.etag());
  req.set_description("Brand New Look");
  req.set_code("Fresh9");
  Segment renamed;
  ASSERT_RPC_OK(bom().RenameSegment(Ctx(kSvc).get(), req, &renamed));
  EXPECT_EQ(renamed.id(), s.id());
  EXPECT_EQ(renamed.system_name(), "FS_GB_FOI_BNL_FRESH9");
  EXPECT_EQ(renamed.description(), "Brand New Look");
  EXPECT_EQ(renamed.code(), "Fresh9");
  EXPECT_NE(renamed.etag(), s.etag());

  const std::string before = State();
  // X13.3: the old etag is stale now.
  cms::v1::RenameSegmentRequest stale = req;
  stale.set_request_id(RandomRequestId());
  stale.set_description("Too Late");
  Segment out;
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), stale, &out), grpc::StatusCode::ABORTED,
                      "X13.3", "STALE_ETAG"));
  // X13.3, X13.5: no etag at all, or a malformed one, names the field.
  for (const char* etag : {"", "garbage"}) {
    SCOPED_TRACE(etag);
    cms::v1::RenameSegmentRequest bad = stale;
    bad.set_request_id(RandomRequestId());
    bad.set_etag(etag);
    EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), bad, &out),
                        grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"etag"}));
  }
  // S1.3: bad new fields.
  cms::v1::RenameSegmentRequest bad_fields;
  bad_fields.set_request_id(RandomRequestId());
  bad_fields.set_id(s.id());
  bad_fields.set_etag(renamed.etag());
  bad_fields.set_description("");
  bad_fields.set_code("no way");
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), bad_fields, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S1.3", "INVALID_FIELDS",
                      {"description", "code"}));
  // X13.5: an unknown segment.
  cms::v1::RenameSegmentRequest missing = req;
  missing.set_request_id(RandomRequestId());
  missing.set_id(987654321);
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), missing, &out),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
  // S1.5: a caseworker may not rename.
  cms::v1::RenameSegmentRequest denied = req;
  denied.set_request_id(RandomRequestId());
  denied.set_etag(renamed.etag());
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kCaseworker).get(), denied, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  // S1.3: renaming onto another segment's name clashes.
  Segment other = NewSegment("Other Unit");
  cms::v1::RenameSegmentRequest clash;
  clash.set_request_id(RandomRequestId());
  clash.set_id(other.id());
  clash.set_etag(other.etag());
  clash.set_description("Brand New Look");
  clash.set_code("FRESH9");
  const std::string before_clash = State();
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), clash, &out),
                      grpc::StatusCode::ALREADY_EXISTS, "S1.3", "NAME_CLASH"));
  EXPECT_EQ(State(), before_clash);

  cms::v1::GetSegmentRequest get;
  get.set_id(s.id());
  Segment now;
  ASSERT_RPC_OK(bom().GetSegment(Ctx(kSvc).get(), get, &now));
  EXPECT_EQ(now.system_name(), "FS_GB_FOI_BNL_FRESH9");
  EXPECT_EQ(now.etag(), renamed.etag());
  EXPECT_EQ(now.ShortDebugString(), renamed.ShortDebugString());
}

// ---------------------------------------------------------------- RetireSegment

TEST_F(BomServiceTest, RetireSegmentWithTeamsOrStaffIsRefused) {
  // S1.6: a demo segment with teams and staff cannot be retired.
  Segment foi = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_FOI);
  const std::string before = State();
  cms::v1::RetireSegmentRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(foi.id());
  req.set_etag(foi.etag());
  Segment out;
  grpc::Status st = bom().RetireSegment(Ctx(kSvc).get(), req, &out);
  EXPECT_TRUE(Refused(st, grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  EXPECT_TRUE(absl::StrContains(st.error_message(), "active teams")) << st.error_message();
  EXPECT_EQ(State(), before);
  // Naming a target (of the same country and service segment, W4.6) does
  // not help while teams and staff remain.
  cms::v1::CreateSegmentRequest sibling;
  sibling.set_request_id(RandomRequestId());
  sibling.set_country(cms::v1::COUNTRY_GB);
  sibling.set_service_segment(cms::v1::SERVICE_SEGMENT_FOI);
  sibling.set_description("FOI Second");
  sibling.set_code("Second");
  Segment target;
  ASSERT_RPC_OK(bom().CreateSegment(Ctx(kSvc).get(), sibling, &target));
  const std::string with_sibling = State();
  req.set_request_id(RandomRequestId());
  req.set_target_segment_id(target.id());
  EXPECT_TRUE(Refused(bom().RetireSegment(Ctx(kSvc).get(), req, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  // A target equal to the segment itself, or unknown, is a bad field.
  req.set_request_id(RandomRequestId());
  req.set_target_segment_id(foi.id());
  EXPECT_TRUE(Refused(bom().RetireSegment(Ctx(kSvc).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"target_segment_id"}));
  req.set_request_id(RandomRequestId());
  req.set_target_segment_id(987654321);
  EXPECT_TRUE(Refused(bom().RetireSegment(Ctx(kSvc).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"target_segment_id"}));
  EXPECT_EQ(State(), with_sibling);

  cms::v1::GetSegmentRequest get;
  get.set_id(foi.id());
  Segment still;
  ASSERT_RPC_OK(bom().GetSegment(Ctx(kSvc).get(), get, &still));
  EXPECT_EQ(still.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);
}

TEST_F(BomServiceTest, RetireEmptySegment) {
  // S1.6: an empty segment retires; it leaves the default listing and a
  // second retire is refused.
  Segment s = NewSegment("Short Lived");
  cms::v1::RetireSegmentRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(s.id());
  req.set_etag(s.etag());
  Segment retired;
  ASSERT_RPC_OK(bom().RetireSegment(Ctx(kSvc).get(), req, &retired));
  EXPECT_EQ(retired.status(), cms::v1::LIFECYCLE_STATUS_RETIRED);
  EXPECT_NE(retired.etag(), s.etag());

  auto contains = [&](bool include_retired) {
    cms::v1::ListSegmentsRequest list;
    list.set_include_retired(include_retired);
    for (const Segment& x : AllSegments(list, 1000)) {
      if (x.id() == s.id()) return true;
    }
    return false;
  };
  EXPECT_FALSE(contains(false));
  EXPECT_TRUE(contains(true));

  const std::string before = State();
  req.set_request_id(RandomRequestId());
  req.set_etag(retired.etag());
  Segment again;
  EXPECT_TRUE(Refused(bom().RetireSegment(Ctx(kSvc).get(), req, &again),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  // S1.5: a retired segment cannot be renamed, nor get a team (S1.4).
  cms::v1::RenameSegmentRequest rename;
  rename.set_request_id(RandomRequestId());
  rename.set_id(s.id());
  rename.set_etag(retired.etag());
  rename.set_description("Back Again");
  rename.set_code("X1");
  EXPECT_TRUE(Refused(bom().RenameSegment(Ctx(kSvc).get(), rename, &again),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.5", "RULE_VIOLATION"));
  cms::v1::CreateTeamRequest team;
  team.set_request_id(RandomRequestId());
  team.set_segment_id(s.id());
  team.set_name("Ghost Team");
  Team t;
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kSvc).get(), team, &t),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.4", "RULE_VIOLATION"));
  EXPECT_EQ(State(), before);
}

// ---------------------------------------------------------------- teams

TEST_F(BomServiceTest, CreateTeamAndRefusals) {
  // S1.4: a segment has teams with names unique within the segment.
  Segment s = NewSegment("Team Home");
  Team team = NewTeam(s.id(), "Team Alpha");
  EXPECT_GT(team.id(), 0);
  EXPECT_EQ(team.segment_id(), s.id());
  EXPECT_EQ(team.name(), "Team Alpha");
  EXPECT_EQ(team.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);
  EXPECT_FALSE(team.etag().empty());

  cms::v1::ListTeamsRequest list;
  list.set_segment_id(s.id());
  cms::v1::ListTeamsResponse teams;
  ASSERT_RPC_OK(bom().ListTeams(Ctx(kCaseworker).get(), list, &teams));
  ASSERT_EQ(teams.teams_size(), 1);
  EXPECT_EQ(teams.teams(0).id(), team.id());
  EXPECT_EQ(teams.teams(0).ShortDebugString(), team.ShortDebugString()) << "as stored";

  // The same name in another segment is fine.
  Segment other = NewSegment("Team Elsewhere");
  Team elsewhere = NewTeam(other.id(), "Team Alpha");
  EXPECT_NE(elsewhere.id(), team.id());

  const std::string before = State();
  cms::v1::CreateTeamRequest dup;
  dup.set_request_id(RandomRequestId());
  dup.set_segment_id(s.id());
  dup.set_name("Team Alpha");
  Team out;
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kSvc).get(), dup, &out),
                      grpc::StatusCode::ALREADY_EXISTS, "S1.4", "NAME_CLASH"));

  cms::v1::CreateTeamRequest unknown;
  unknown.set_request_id(RandomRequestId());
  unknown.set_segment_id(987654321);
  unknown.set_name("Team Nowhere");
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kSvc).get(), unknown, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"segment_id"}));

  cms::v1::CreateTeamRequest empty;
  empty.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kSvc).get(), empty, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"segment_id", "name"}));

  cms::v1::CreateTeamRequest denied = dup;
  denied.set_request_id(RandomRequestId());
  denied.set_name("Team Denied");
  EXPECT_TRUE(Refused(bom().CreateTeam(Ctx(kTeamLeader).get(), denied, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  EXPECT_EQ(State(), before);
}

TEST_F(BomServiceTest, RetireTeamWithMembersIsRefusedEmptyTeamRetires) {
  // S1.6: a team with active members cannot be retired; an empty one can.
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  Team team_a = FindTeam(nc.id(), "Team A");
  ASSERT_GT(team_a.id(), 0);
  const std::string before = State();
  cms::v1::RetireTeamRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(team_a.id());
  req.set_etag(team_a.etag());
  Team out;
  grpc::Status st = bom().RetireTeam(Ctx(kSvc).get(), req, &out);
  EXPECT_TRUE(Refused(st, grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  EXPECT_TRUE(absl::StrContains(st.error_message(), "active members")) << st.error_message();
  // X13.3 on teams too.
  req.set_request_id(RandomRequestId());
  req.set_etag("\"999999\"");
  EXPECT_TRUE(Refused(bom().RetireTeam(Ctx(kSvc).get(), req, &out), grpc::StatusCode::ABORTED,
                      "X13.3", "STALE_ETAG"));
  EXPECT_EQ(State(), before);

  Segment s = NewSegment("Retire Teams");
  Team empty = NewTeam(s.id(), "Team Empty");
  cms::v1::RetireTeamRequest ok;
  ok.set_request_id(RandomRequestId());
  ok.set_id(empty.id());
  ok.set_etag(empty.etag());
  Team retired;
  ASSERT_RPC_OK(bom().RetireTeam(Ctx(kSvc).get(), ok, &retired));
  EXPECT_EQ(retired.status(), cms::v1::LIFECYCLE_STATUS_RETIRED);

  cms::v1::ListTeamsRequest list;
  list.set_segment_id(s.id());
  cms::v1::ListTeamsResponse active;
  ASSERT_RPC_OK(bom().ListTeams(Ctx(kSvc).get(), list, &active));
  EXPECT_EQ(active.teams_size(), 0);
  list.set_include_retired(true);
  cms::v1::ListTeamsResponse all;
  ASSERT_RPC_OK(bom().ListTeams(Ctx(kSvc).get(), list, &all));
  ASSERT_EQ(all.teams_size(), 1);
  EXPECT_EQ(all.teams(0).status(), cms::v1::LIFECYCLE_STATUS_RETIRED);

  // With its only team retired the segment itself is empty and retires.
  cms::v1::RetireSegmentRequest seg;
  seg.set_request_id(RandomRequestId());
  seg.set_id(s.id());
  seg.set_etag(s.etag());
  Segment seg_out;
  ASSERT_RPC_OK(bom().RetireSegment(Ctx(kSvc).get(), seg, &seg_out));
  EXPECT_EQ(seg_out.status(), cms::v1::LIFECYCLE_STATUS_RETIRED);
}

// ---------------------------------------------------------------- staff

TEST_F(BomServiceTest, ListStaffFiltersAndPages) {
  // S1.4: staff belong to a team of a segment; filters and paging.
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  Team team_a = FindTeam(nc.id(), "Team A");
  Team team_b = FindTeam(nc.id(), "Team B");

  cms::v1::ListStaffRequest by_team;
  by_team.set_team_id(team_a.id());
  cms::v1::ListStaffResponse a;
  ASSERT_RPC_OK(bom().ListStaff(Ctx(kCaseworker).get(), by_team, &a));
  std::vector<std::string> ids;
  for (const StaffMember& m : a.staff()) {
    ids.push_back(m.staff_id());
    EXPECT_EQ(m.team_id(), team_a.id());
    EXPECT_EQ(m.segment_id(), nc.id());
    EXPECT_TRUE(m.active());
  }
  // The demo members (other tests may add more to this team).
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  for (const char* id : {"cw.gb.new_case.a1", "cw.gb.new_case.a2", "tl.gb.new_case.a"}) {
    EXPECT_TRUE(std::count(ids.begin(), ids.end(), id)) << id;
  }
  for (const char* id : {"tl.gb.new_case.b", "cw.gb.new_case.b1", "sm.gb.new_case"}) {
    EXPECT_FALSE(std::count(ids.begin(), ids.end(), id)) << id;
  }
  EXPECT_EQ(Staff("tl.gb.new_case.a").role(), cms::v1::ROLE_TEAM_LEADER);
  EXPECT_EQ(Staff("cw.gb.new_case.b1").team_id(), team_b.id());

  cms::v1::ListStaffRequest by_segment;
  by_segment.set_segment_id(nc.id());
  cms::v1::ListStaffResponse seg;
  ASSERT_RPC_OK(bom().ListStaff(Ctx(kCaseworker).get(), by_segment, &seg));
  std::set<std::string> seg_ids;
  for (const StaffMember& m : seg.staff()) seg_ids.insert(m.staff_id());
  for (const char* id : {"sm.gb.new_case", "tl.gb.new_case.a", "cw.gb.new_case.a1",
                         "cw.gb.new_case.a2", "tl.gb.new_case.b", "cw.gb.new_case.b1"}) {
    EXPECT_TRUE(seg_ids.count(id)) << id;
  }
  EXPECT_EQ(Staff("sm.gb.new_case").role(), cms::v1::ROLE_SEGMENT_MANAGER);
  EXPECT_EQ(Staff("sm.gb.new_case").segment_id(), nc.id());
  EXPECT_EQ(Staff("sm.gb.new_case").team_id(), 0);

  // Paging by 2 over the segment gives the same staff, in staff id order.
  std::vector<std::string> paged;
  by_segment.set_page_size(2);
  for (int i = 0; i < 100; ++i) {
    cms::v1::ListStaffResponse page;
    ASSERT_RPC_OK(bom().ListStaff(Ctx(kCaseworker).get(), by_segment, &page));
    EXPECT_LE(page.staff_size(), 2);
    for (const StaffMember& m : page.staff()) paged.push_back(m.staff_id());
    if (page.next_page_token().empty()) break;
    by_segment.set_page_token(page.next_page_token());
  }
  std::vector<std::string> whole;
  for (const StaffMember& m : seg.staff()) whole.push_back(m.staff_id());
  EXPECT_EQ(paged, whole);
  EXPECT_TRUE(std::is_sorted(whole.begin(), whole.end()));

  // X13.5: the page token is opaque; a made-up one (even a staff id) is refused.
  cms::v1::ListStaffRequest bogus;
  bogus.set_page_token("cw.gb.new_case.a1");
  cms::v1::ListStaffResponse none;
  EXPECT_TRUE(Refused(bom().ListStaff(Ctx(kCaseworker).get(), bogus, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));

  // include_inactive shows deactivated staff; the default hides them.
  Segment s = NewSegment("Staff Home");
  Team team = NewTeam(s.id(), "Team Staff");
  StaffMember stays = NewStaff("cw.stays", cms::v1::ROLE_CASEWORKER, team.id());
  StaffMember leaves = NewStaff("cw.leaves", cms::v1::ROLE_CASEWORKER, team.id());
  cms::v1::DeactivateStaffMemberRequest off;
  off.set_request_id(RandomRequestId());
  off.set_staff_id(leaves.staff_id());
  off.set_etag(leaves.etag());
  StaffMember gone;
  ASSERT_RPC_OK(bom().DeactivateStaffMember(Ctx(kSvc).get(), off, &gone));
  cms::v1::ListStaffRequest in_team;
  in_team.set_team_id(team.id());
  cms::v1::ListStaffResponse active_only;
  ASSERT_RPC_OK(bom().ListStaff(Ctx(kCaseworker).get(), in_team, &active_only));
  ASSERT_EQ(active_only.staff_size(), 1);
  EXPECT_EQ(active_only.staff(0).staff_id(), stays.staff_id());
  in_team.set_include_inactive(true);
  cms::v1::ListStaffResponse with_inactive;
  ASSERT_RPC_OK(bom().ListStaff(Ctx(kCaseworker).get(), in_team, &with_inactive));
  std::set<std::string> both;
  for (const StaffMember& m : with_inactive.staff()) both.insert(m.staff_id());
  EXPECT_EQ(both, (std::set<std::string>{stays.staff_id(), leaves.staff_id()}));

  // X13.5: page_size out of range.
  cms::v1::ListStaffRequest bad;
  bad.set_page_size(-1);
  cms::v1::ListStaffResponse out;
  EXPECT_TRUE(Refused(bom().ListStaff(Ctx(kCaseworker).get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_size"}));
  // GetStaffMember of an unknown id is NOT_FOUND.
  cms::v1::GetStaffMemberRequest get;
  get.set_staff_id("nobody.here");
  StaffMember nobody;
  EXPECT_TRUE(Refused(bom().GetStaffMember(Ctx(kCaseworker).get(), get, &nobody),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
}

TEST_F(BomServiceTest, AddStaffMemberAndRefusals) {
  // S1.4: roles and team membership; the new member can then make calls (X13.1).
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  Team team_a = FindTeam(nc.id(), "Team A");
  StaffMember added = NewStaff("cw.new", cms::v1::ROLE_CASEWORKER, team_a.id());
  EXPECT_EQ(added.role(), cms::v1::ROLE_CASEWORKER);
  EXPECT_EQ(added.team_id(), team_a.id());
  EXPECT_EQ(added.segment_id(), nc.id()) << "the segment follows the team";
  EXPECT_TRUE(added.active());
  EXPECT_FALSE(added.etag().empty());
  EXPECT_EQ(Staff(added.staff_id()).ShortDebugString(), added.ShortDebugString()) << "as stored";

  // The new member can act: read the BOM and create an application.
  cms::v1::ListSegmentsResponse segments;
  EXPECT_RPC_OK(bom().ListSegments(Ctx(added.staff_id()).get(), {}, &segments));
  cms::v1::Application app;
  EXPECT_RPC_OK(t_->casegroups().CreateApplication(
      Ctx(added.staff_id()).get(),
      ApplicationRequest(NewPerson("Paul", "SW1A 1AA"), NewPerson("Rita", "SW1A 1AA")), &app));
  EXPECT_EQ(app.casegroup().owning_segment_id(), nc.id());

  StaffMember manager = NewStaff("sm.new", cms::v1::ROLE_SEGMENT_MANAGER, 0, nc.id());
  EXPECT_EQ(manager.segment_id(), nc.id());
  EXPECT_EQ(manager.team_id(), 0);

  const std::string before = State();
  auto refused = [&](cms::v1::AddStaffMemberRequest req, grpc::StatusCode code,
                     const std::string& rule, const std::string& reason,
                     std::vector<std::string> fields, const std::string& staff = kSvc) {
    req.set_request_id(RandomRequestId());
    StaffMember out;
    return Refused(bom().AddStaffMember(Ctx(staff).get(), req, &out), code, rule, reason,
                   std::move(fields));
  };
  cms::v1::AddStaffMemberRequest base;
  base.set_staff_id("cw.refused.one");
  base.set_name("Refused One");
  base.set_role(cms::v1::ROLE_CASEWORKER);
  base.set_team_id(team_a.id());

  auto no_team = base;
  no_team.set_team_id(0);
  EXPECT_TRUE(
      refused(no_team, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  auto tl_no_team = no_team;
  tl_no_team.set_role(cms::v1::ROLE_TEAM_LEADER);
  EXPECT_TRUE(
      refused(tl_no_team, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  auto sm_with_team = base;
  sm_with_team.set_role(cms::v1::ROLE_SEGMENT_MANAGER);
  EXPECT_TRUE(refused(sm_with_team, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"team_id", "segment_id"}));
  auto unknown_team = base;
  unknown_team.set_team_id(987654321);
  EXPECT_TRUE(
      refused(unknown_team, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  auto bad = base;
  bad.set_staff_id("bad id!");
  bad.set_name("");
  bad.set_role(cms::v1::ROLE_UNSPECIFIED);
  bad.set_team_id(0);
  EXPECT_TRUE(refused(bad, grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"staff_id", "name", "role"}));
  auto dup = base;
  dup.set_staff_id(kCaseworker);
  EXPECT_TRUE(refused(dup, grpc::StatusCode::ALREADY_EXISTS, "", "DUPLICATE_STAFF_ID", {}));
  auto dup_new = base;
  dup_new.set_staff_id(added.staff_id());
  EXPECT_TRUE(refused(dup_new, grpc::StatusCode::ALREADY_EXISTS, "", "DUPLICATE_STAFF_ID", {}));
  EXPECT_TRUE(refused(base, grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED", {},
                      kTeamLeader));
  EXPECT_EQ(State(), before);
  EXPECT_EQ(Staff(kCaseworker).name(), "Caseworker gb.new_case.a1") << "not overwritten";
}

TEST_F(BomServiceTest, MoveStaffMemberSegmentFollowsTeam) {
  // S1.4, S1.5: moving a person between teams; their segment follows.
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  Segment maint = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE);
  Team from = FindTeam(nc.id(), "Team A");
  Team to = FindTeam(maint.id(), "Team B");
  StaffMember m = NewStaff("cw.mover", cms::v1::ROLE_CASEWORKER, from.id());

  cms::v1::MoveStaffMemberRequest req;
  req.set_request_id(RandomRequestId());
  req.set_staff_id(m.staff_id());
  req.set_etag(m.etag());
  req.set_team_id(to.id());
  StaffMember moved;
  ASSERT_RPC_OK(bom().MoveStaffMember(Ctx(kSvc).get(), req, &moved));
  EXPECT_EQ(moved.team_id(), to.id());
  EXPECT_EQ(moved.segment_id(), maint.id());
  EXPECT_NE(moved.etag(), m.etag());
  EXPECT_EQ(Staff(m.staff_id()).segment_id(), maint.id());
  EXPECT_EQ(Staff(m.staff_id()).ShortDebugString(), moved.ShortDebugString()) << "as stored";

  const std::string before = State();
  StaffMember out;
  // X13.3: the old etag is stale.
  cms::v1::MoveStaffMemberRequest stale = req;
  stale.set_request_id(RandomRequestId());
  stale.set_team_id(from.id());
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), stale, &out),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  // Already in that team / no team / unknown team.
  cms::v1::MoveStaffMemberRequest same = req;
  same.set_request_id(RandomRequestId());
  same.set_etag(moved.etag());
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), same, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  same.set_request_id(RandomRequestId());
  same.set_team_id(0);
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), same, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  same.set_request_id(RandomRequestId());
  same.set_team_id(987654321);
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), same, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"team_id"}));
  // S1.4: a segment manager belongs to no team.
  StaffMember sm = Staff(kSegmentManager);
  cms::v1::MoveStaffMemberRequest manager;
  manager.set_request_id(RandomRequestId());
  manager.set_staff_id(kSegmentManager);
  manager.set_etag(sm.etag());
  manager.set_team_id(from.id());
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), manager, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.4", "RULE_VIOLATION"));
  // S1.5: only SERVICE_MANAGEMENT moves people.
  cms::v1::MoveStaffMemberRequest denied = req;
  denied.set_request_id(RandomRequestId());
  denied.set_etag(moved.etag());
  denied.set_team_id(from.id());
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSegmentManager).get(), denied, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  // Unknown staff.
  cms::v1::MoveStaffMemberRequest missing = denied;
  missing.set_request_id(RandomRequestId());
  missing.set_staff_id("nobody.here");
  EXPECT_TRUE(Refused(bom().MoveStaffMember(Ctx(kSvc).get(), missing, &out),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
  EXPECT_EQ(State(), before);
}

TEST_F(BomServiceTest, DeactivatedStaffCannotCall) {
  // X13.1: a deactivated staff member is refused on every call.
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  StaffMember m = NewStaff("cw.leaver", cms::v1::ROLE_CASEWORKER, FindTeam(nc.id(), "Team A").id());
  cms::v1::ListSegmentsResponse segments;
  ASSERT_RPC_OK(bom().ListSegments(Ctx(m.staff_id()).get(), {}, &segments));

  cms::v1::DeactivateStaffMemberRequest req;
  req.set_request_id(RandomRequestId());
  req.set_staff_id(m.staff_id());
  req.set_etag(m.etag());
  StaffMember off;
  ASSERT_RPC_OK(bom().DeactivateStaffMember(Ctx(kSvc).get(), req, &off));
  EXPECT_FALSE(off.active());
  EXPECT_NE(off.etag(), m.etag());

  const std::string before = State(m.staff_id());
  EXPECT_TRUE(Refused(bom().ListSegments(Ctx(m.staff_id()).get(), {}, &segments),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  cms::v1::Clock clock;
  EXPECT_TRUE(Refused(t_->admin().GetClock(Ctx(m.staff_id()).get(), {}, &clock),
                      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  cms::v1::Application app;
  EXPECT_TRUE(Refused(
      t_->casegroups().CreateApplication(
          Ctx(m.staff_id()).get(),
          ApplicationRequest(NewPerson("Pat", "SW1A 1AA"), NewPerson("Ros", "SW1A 1AA")), &app),
      grpc::StatusCode::PERMISSION_DENIED, "X13.1", "PERMISSION_DENIED"));
  // Deactivating twice is a rule refusal; a stale etag is ABORTED.
  req.set_request_id(RandomRequestId());
  req.set_etag(off.etag());
  StaffMember again;
  EXPECT_TRUE(Refused(bom().DeactivateStaffMember(Ctx(kSvc).get(), req, &again),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.4", "RULE_VIOLATION"));
  req.set_request_id(RandomRequestId());
  req.set_etag(m.etag());
  EXPECT_TRUE(Refused(bom().DeactivateStaffMember(Ctx(kSvc).get(), req, &again),
                      grpc::StatusCode::ABORTED, "X13.3", "STALE_ETAG"));
  EXPECT_EQ(State(m.staff_id()), before);
  EXPECT_FALSE(Staff(m.staff_id()).active());
}

// ---------------------------------------------------------------- GetBomAsOf

TEST_F(BomServiceTest, GetBomAsOfShowsThePast) {
  // S1.5: the BOM is versioned; one can ask what it was at an instant.
  Segment s =
      NewSegment("Before Rename", cms::v1::COUNTRY_NI, cms::v1::SERVICE_SEGMENT_CORPORATE_AFFAIRS);
  Team team = NewTeam(s.id(), "Team Past");
  cms::v1::Clock clock;
  ASSERT_RPC_OK(t_->admin().GetClock(Ctx(kSvc).get(), {}, &clock));
  const google::protobuf::Timestamp instant = clock.now();

  cms::v1::RenameSegmentRequest rename;
  rename.set_request_id(RandomRequestId());
  rename.set_id(s.id());
  rename.set_etag(s.etag());
  rename.set_description("After Rename");
  rename.set_code(s.code());
  Segment renamed;
  ASSERT_RPC_OK(bom().RenameSegment(Ctx(kSvc).get(), rename, &renamed));
  ASSERT_NE(renamed.system_name(), s.system_name());
  Team later = NewTeam(s.id(), "Team Later");

  cms::v1::GetBomAsOfRequest req;
  *req.mutable_as_of() = instant;
  Bom past;
  ASSERT_RPC_OK(bom().GetBomAsOf(Ctx(kCaseworker).get(), req, &past));
  EXPECT_EQ(past.as_of().seconds(), instant.seconds());
  const Segment* then = nullptr;
  for (const Segment& x : past.segments()) {
    if (x.id() == s.id()) then = &x;
  }
  ASSERT_NE(then, nullptr) << "the segment existed at the instant";
  EXPECT_EQ(then->system_name(), s.system_name());
  EXPECT_EQ(then->description(), "Before Rename");
  EXPECT_EQ(then->ShortDebugString(), s.ShortDebugString())
      << "the snapshot is the segment as it was";
  bool past_has_team = false, past_has_later = false;
  for (const Team& x : past.teams()) {
    past_has_team |= x.id() == team.id();
    past_has_later |= x.id() == later.id();
  }
  EXPECT_TRUE(past_has_team);
  EXPECT_FALSE(past_has_later) << "a team created after the instant";
  EXPECT_GE(past.segments_size(), 34);
  bool has_svc = false;
  for (const StaffMember& m : past.staff()) has_svc |= m.staff_id() == kSvc;
  EXPECT_TRUE(has_svc);

  // Now: ListSegments and GetBomAsOf(now) show the new name.
  cms::v1::ListSegmentsRequest list;
  list.set_country(cms::v1::COUNTRY_NI);
  list.set_service_segment(cms::v1::SERVICE_SEGMENT_CORPORATE_AFFAIRS);
  bool found = false;
  for (const Segment& x : AllSegments(list, 1000)) {
    if (x.id() == s.id()) {
      found = true;
      EXPECT_EQ(x.system_name(), renamed.system_name());
    }
  }
  EXPECT_TRUE(found);
  ASSERT_RPC_OK(t_->admin().GetClock(Ctx(kSvc).get(), {}, &clock));
  *req.mutable_as_of() = clock.now();
  Bom now;
  ASSERT_RPC_OK(bom().GetBomAsOf(Ctx(kCaseworker).get(), req, &now));
  for (const Segment& x : now.segments()) {
    if (x.id() == s.id()) EXPECT_EQ(x.system_name(), renamed.system_name());
  }

  // Before the demo BOM existed there was nothing.
  cms::v1::GetBomAsOfRequest ancient;
  ancient.mutable_as_of()->set_seconds(1000000000);  // 2001
  Bom empty;
  ASSERT_RPC_OK(bom().GetBomAsOf(Ctx(kCaseworker).get(), ancient, &empty));
  EXPECT_EQ(empty.segments_size(), 0);
  EXPECT_EQ(empty.staff_size(), 0);

  // X13.5: as_of is required.
  Bom none;
  EXPECT_TRUE(Refused(bom().GetBomAsOf(Ctx(kCaseworker).get(), {}, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"as_of"}));
}

// ---------------------------------------------------------------- change requests (S1.5 via A6)

TEST_F(BomServiceTest, TeamLeaderRequestsServiceManagerApproves) {
  // S1.5: a TL requests a change through ApprovalService; it waits in
  // SERVICE_MANAGEMENT's inbox; approving it with a comment (A6.1) applies
  // it exactly as CreateTeam would.
  Segment s = NewSegment("Requested Home");
  const std::string name = absl::StrCat("Team ", UniqueCode());
  Approval r = Raise(CreateTeamChange(s.id(), name));
  EXPECT_GT(r.id(), 0);
  EXPECT_EQ(r.kind(), cms::v1::APPROVAL_KIND_BOM_CHANGE);
  EXPECT_EQ(r.state(), cms::v1::APPROVAL_STATE_PENDING);
  EXPECT_EQ(r.decider_role(), cms::v1::ROLE_SERVICE_MANAGEMENT);
  EXPECT_EQ(r.step(), "create_team");
  EXPECT_EQ(r.submitted_by(), kTeamLeader);
  EXPECT_EQ(r.submit_comment(), "we need another team for the new workload");
  EXPECT_TRUE(r.has_submit_time());
  EXPECT_EQ(r.bom_change().create_team().name(), name);
  EXPECT_EQ(r.service_request_id(), 0);
  EXPECT_EQ(FindTeam(s.id(), name).id(), 0) << "nothing applied before approval";
  EXPECT_TRUE(InInbox(kSvc, r.id()));
  EXPECT_FALSE(InInbox(kTeamLeader, r.id())) << "a TL's inbox holds their team's SR steps";
  Approval got;
  ASSERT_RPC_OK(approvals().GetApproval(Ctx(kAuditor).get(), Get(r.id()), &got));
  EXPECT_EQ(got.ShortDebugString(), r.ShortDebugString()) << "as stored";

  // A segment manager may request, too.
  Approval by_sm = Raise(CreateTeamChange(s.id(), name + " SM"), kSegmentManager);
  EXPECT_EQ(by_sm.submitted_by(), kSegmentManager);

  Approval approved;
  ASSERT_RPC_OK(
      approvals().DecideApproval(Ctx(kSvc).get(), Decision(r, "agreed, go ahead"), &approved));
  EXPECT_EQ(approved.id(), r.id());
  EXPECT_EQ(approved.state(), cms::v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(approved.decided_by(), kSvc);
  EXPECT_EQ(approved.decision_comment(), "agreed, go ahead");
  EXPECT_TRUE(approved.has_decide_time());
  EXPECT_FALSE(InInbox(kSvc, r.id()));
  Team team = FindTeam(s.id(), name);
  EXPECT_GT(team.id(), 0) << "the approved change was applied";
  bool listed = false;
  for (const Approval& x : ChangeRequests(cms::v1::APPROVAL_STATE_APPROVED)) {
    if (x.id() != r.id()) continue;
    listed = true;
    EXPECT_EQ(x.ShortDebugString(), approved.ShortDebugString()) << "as stored";
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(team.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);

  // X13.2: the applied change is audited with the approver as actor.
  cms::v1::ListAuditEventsRequest audit;
  audit.set_entity_type("team");
  audit.set_entity_id(absl::StrCat(team.id()));
  cms::v1::ListAuditEventsResponse events;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), audit, &events));
  ASSERT_EQ(events.events_size(), 1);
  EXPECT_EQ(events.events(0).actor(), kSvc);
  EXPECT_EQ(events.events(0).rpc(), "DecideApproval");

  // A6.1: deciding twice is refused, whether approve or reject.
  const std::string before = State();
  Approval out;
  EXPECT_TRUE(
      Refused(approvals().DecideApproval(Ctx(kSvc).get(), Decision(approved, "again"), &out),
              grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(
      approvals().DecideApproval(Ctx(kSvc).get(), Decision(approved, "no", kRejected), &out),
      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_EQ(State(), before);
}

TEST_F(BomServiceTest, RequestBomChangeRefusals) {
  // S1.5: only TLs and segment managers request; a reason and a change are
  // required (X13.5).
  Segment s = NewSegment("Request Refusals");
  const std::string before = State(kCaseworker);
  const std::string before_tl = State(kTeamLeader);
  Approval out;
  // A caseworker may submit SR steps, so the use case refuses; the others
  // submit nothing at all (the role matrix, S1.4).
  EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(kCaseworker).get(),
                                                    CreateTeamChange(s.id(), "Team Nope"), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.5", "PERMISSION_DENIED"));
  for (const char* staff : {kAuditor, kSvc}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(staff).get(),
                                                      CreateTeamChange(s.id(), "Team Nope"), &out),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  auto no_reason = CreateTeamChange(s.id(), "Team Nope");
  no_reason.set_comment("");
  EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(kTeamLeader).get(), no_reason, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S1.5", "INVALID_FIELDS", {"comment"}));
  cms::v1::SubmitForApprovalRequest nothing;
  nothing.set_request_id(RandomRequestId());
  nothing.mutable_bom_change();
  EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(kTeamLeader).get(), nothing, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S1.5", "INVALID_FIELDS",
                      {"bom_change", "comment"}));
  // A change too large to keep (grpc_fuzz: a 64 KB name failed INTERNAL).
  auto huge = CreateTeamChange(s.id(), std::string(20000, 'y'));
  EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(kTeamLeader).get(), huge, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "S1.5", "INVALID_FIELDS",
                      {"bom_change"}));
  EXPECT_EQ(State(kCaseworker), before);
  EXPECT_EQ(State(kTeamLeader), before_tl);

  // X13.4: a replayed request returns the first one.
  auto req = CreateTeamChange(s.id(), "Team Replay");
  Approval first = Raise(req);
  const std::string after_first = State(kTeamLeader);
  Approval second = Raise(req);
  EXPECT_EQ(second.id(), first.id());
  EXPECT_EQ(State(kTeamLeader), after_first);
}

TEST_F(BomServiceTest, DecisionNeedsCommentAndServiceManagement) {
  // A6.1: a decision needs a comment and a decision.
  Segment s = NewSegment("Decision Rules");
  const std::string name = absl::StrCat("Team ", UniqueCode());
  Approval r = Raise(CreateTeamChange(s.id(), name));
  const std::string before = State();
  Approval out;
  EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(kSvc).get(), Decision(r, ""), &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "A6.1", "INVALID_FIELDS", {"comment"}));
  auto undecided = Decision(r, "ok");
  undecided.set_decision(cms::v1::APPROVAL_STATE_PENDING);
  EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(kSvc).get(), undecided, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "A6.1", "INVALID_FIELDS", {"decision"}));
  auto missing = Decision(r, "ok");
  missing.set_approval_id(987654321);
  EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(kSvc).get(), missing, &out),
                      grpc::StatusCode::NOT_FOUND, "", "NOT_FOUND"));
  // S1.5: only SERVICE_MANAGEMENT decides; a TL may decide SR steps, not this.
  for (const char* staff : {kTeamLeader, "tl.gb.new_case.b"}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(staff).get(), Decision(r, "ok"), &out),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.5", "PERMISSION_DENIED"));
  }
  for (const char* staff : {kSegmentManager, kCaseworker, kAuditor}) {
    SCOPED_TRACE(staff);
    EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(staff).get(), Decision(r, "ok"), &out),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  EXPECT_EQ(State(), before);
  EXPECT_EQ(FindTeam(s.id(), name).id(), 0);

  // A request whose change is no longer valid fails on approval and stays PENDING.
  Segment gone = NewSegment("Gone Soon");
  Approval doomed = Raise(CreateTeamChange(gone.id(), "Team Doomed"));
  cms::v1::RetireSegmentRequest retire;
  retire.set_request_id(RandomRequestId());
  retire.set_id(gone.id());
  retire.set_etag(gone.etag());
  Segment retired;
  ASSERT_RPC_OK(bom().RetireSegment(Ctx(kSvc).get(), retire, &retired));
  const std::string before_doomed = State();
  EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(kSvc).get(), Decision(doomed, "sure"), &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.4", "RULE_VIOLATION"));
  EXPECT_EQ(State(), before_doomed);
  bool pending = false;
  for (const Approval& x : ChangeRequests(cms::v1::APPROVAL_STATE_PENDING)) {
    pending |= x.id() == doomed.id();
  }
  EXPECT_TRUE(pending);
}

TEST_F(BomServiceTest, NobodyDecidesTheirOwnRequest) {
  // A6.1 (via S1.5): nobody approves their own request.
  //
  // Only TLs and segment managers request BOM changes and only
  // SERVICE_MANAGEMENT decides them, and no RPC changes a staff member's
  // role, so a service manager can never raise a request through the API
  // (shown first). To reach the A6.1 guard the test promotes the requesting
  // TL to SERVICE_MANAGEMENT directly in the database, as a future "change
  // role" operation would.
  StaffMember second_svc = NewStaff("svc.second", cms::v1::ROLE_SERVICE_MANAGEMENT, 0);
  Segment s = NewSegment("Own Request");
  Approval out;
  EXPECT_TRUE(Refused(approvals().SubmitForApproval(Ctx(second_svc.staff_id()).get(),
                                                    CreateTeamChange(s.id(), "Team Own"), &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));

  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  StaffMember tl =
      NewStaff("tl.promoted", cms::v1::ROLE_TEAM_LEADER, FindTeam(nc.id(), "Team A").id());
  Approval r = Raise(CreateTeamChange(s.id(), "Team Own"), tl.staff_id());
  ASSERT_EQ(r.submitted_by(), tl.staff_id());
  ASSERT_TRUE(t_->db()
                  .RunInTransaction([&](store::Tx& tx) -> absl::Status {
                    auto m = store::GetStaff(tx, tl.staff_id(), /*for_update=*/true);
                    if (!m.ok()) return m.status();
                    m->set_role(cms::v1::ROLE_SERVICE_MANAGEMENT);
                    m->set_team_id(0);
                    m->set_segment_id(0);
                    return store::UpdateStaff(tx, *m);
                  })
                  .ok());
  ASSERT_EQ(Staff(tl.staff_id()).role(), cms::v1::ROLE_SERVICE_MANAGEMENT);

  const std::string before = State(tl.staff_id());
  EXPECT_TRUE(Refused(
      approvals().DecideApproval(Ctx(tl.staff_id()).get(), Decision(r, "I approve my own"), &out),
      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(approvals().DecideApproval(Ctx(tl.staff_id()).get(),
                                                 Decision(r, "I reject my own", kRejected), &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_EQ(State(tl.staff_id()), before);
  EXPECT_EQ(FindTeam(s.id(), "Team Own").id(), 0);

  // Another service manager may.
  Approval approved;
  ASSERT_RPC_OK(approvals().DecideApproval(Ctx(second_svc.staff_id()).get(),
                                           Decision(r, "fine by me"), &approved));
  EXPECT_EQ(approved.state(), cms::v1::APPROVAL_STATE_APPROVED);
  EXPECT_EQ(approved.decided_by(), second_svc.staff_id());
  EXPECT_GT(FindTeam(s.id(), "Team Own").id(), 0);
}

TEST_F(BomServiceTest, RejectAppliesNothing) {
  // S1.5, A6.2: a rejected request is recorded and nothing is applied.
  Segment s = NewSegment("Rejected Home");
  const std::string name = absl::StrCat("Team ", UniqueCode());
  Approval r = Raise(CreateTeamChange(s.id(), name));
  Approval rejected;
  ASSERT_RPC_OK(approvals().DecideApproval(Ctx(kSvc).get(),
                                           Decision(r, "not this quarter", kRejected), &rejected));
  EXPECT_EQ(rejected.state(), cms::v1::APPROVAL_STATE_REJECTED);
  EXPECT_EQ(rejected.decided_by(), kSvc);
  EXPECT_EQ(rejected.decision_comment(), "not this quarter");
  EXPECT_EQ(FindTeam(s.id(), name).id(), 0) << "a rejected change is not applied";
  cms::v1::ListTeamsRequest list;
  list.set_segment_id(s.id());
  list.set_include_retired(true);
  cms::v1::ListTeamsResponse teams;
  ASSERT_RPC_OK(bom().ListTeams(Ctx(kSvc).get(), list, &teams));
  EXPECT_EQ(teams.teams_size(), 0);

  const std::string before = State();
  Approval out;
  EXPECT_TRUE(Refused(
      approvals().DecideApproval(Ctx(kSvc).get(), Decision(rejected, "changed my mind"), &out),
      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(
      approvals().DecideApproval(Ctx(kSvc).get(), Decision(rejected, "again", kRejected), &out),
      grpc::StatusCode::FAILED_PRECONDITION, "A6.1", "RULE_VIOLATION"));
  EXPECT_EQ(State(), before);
}

TEST_F(BomServiceTest, ListBomChangeRequestsFiltersByState) {
  // S1.5, A6.2: BOM change requests are listed and filtered by state.
  Segment s = NewSegment("Listed Requests");
  Approval pending = Raise(CreateTeamChange(s.id(), "Team P"));
  Approval to_approve = Raise(CreateTeamChange(s.id(), "Team Q"));
  Approval to_reject = Raise(CreateTeamChange(s.id(), "Team R"));
  Approval out;
  ASSERT_RPC_OK(approvals().DecideApproval(Ctx(kSvc).get(), Decision(to_approve, "yes"), &out));
  ASSERT_RPC_OK(
      approvals().DecideApproval(Ctx(kSvc).get(), Decision(to_reject, "no", kRejected), &out));

  auto ids_of = [](const std::vector<Approval>& rs, cms::v1::ApprovalState want) {
    std::set<int64_t> ids;
    for (const Approval& r : rs) {
      EXPECT_EQ(r.state(), want) << r.ShortDebugString();
      EXPECT_EQ(r.kind(), cms::v1::APPROVAL_KIND_BOM_CHANGE);
      ids.insert(r.id());
    }
    return ids;
  };
  std::set<int64_t> p =
      ids_of(ChangeRequests(cms::v1::APPROVAL_STATE_PENDING), cms::v1::APPROVAL_STATE_PENDING);
  std::set<int64_t> a =
      ids_of(ChangeRequests(cms::v1::APPROVAL_STATE_APPROVED), cms::v1::APPROVAL_STATE_APPROVED);
  std::set<int64_t> r =
      ids_of(ChangeRequests(cms::v1::APPROVAL_STATE_REJECTED), cms::v1::APPROVAL_STATE_REJECTED);
  EXPECT_TRUE(p.count(pending.id()));
  EXPECT_FALSE(p.count(to_approve.id()));
  EXPECT_FALSE(p.count(to_reject.id()));
  EXPECT_TRUE(a.count(to_approve.id()));
  EXPECT_FALSE(a.count(pending.id()));
  EXPECT_TRUE(r.count(to_reject.id()));
  EXPECT_FALSE(r.count(to_approve.id()));

  std::vector<Approval> all = ChangeRequests(cms::v1::APPROVAL_STATE_UNSPECIFIED);
  std::set<int64_t> all_ids;
  for (const Approval& x : all) all_ids.insert(x.id());
  EXPECT_TRUE(all_ids.count(pending.id()) && all_ids.count(to_approve.id()) &&
              all_ids.count(to_reject.id()));
  EXPECT_EQ(all_ids.size(), p.size() + a.size() + r.size());

  // Paging by one covers the same requests.
  cms::v1::ListApprovalsRequest req;
  req.set_kind(cms::v1::APPROVAL_KIND_BOM_CHANGE);
  req.set_page_size(1);
  std::set<int64_t> paged;
  for (int i = 0; i < 1000; ++i) {
    cms::v1::ListApprovalsResponse page;
    ASSERT_RPC_OK(approvals().ListApprovals(Ctx(kAuditor).get(), req, &page));
    for (const Approval& x : page.approvals()) paged.insert(x.id());
    if (page.next_page_token().empty()) break;
    req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(paged, all_ids);

  cms::v1::ListApprovalsRequest bad;
  bad.set_kind(cms::v1::APPROVAL_KIND_BOM_CHANGE);
  bad.set_page_token("bogus");
  cms::v1::ListApprovalsResponse resp;
  EXPECT_TRUE(Refused(approvals().ListApprovals(Ctx(kAuditor).get(), bad, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  cms::v1::ListApprovalsRequest neither;
  EXPECT_TRUE(Refused(approvals().ListApprovals(Ctx(kAuditor).get(), neither, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS",
                      {"service_request_id"}));
}

// ---------------------------------------------------------------- work blocks retiring

// Its own server: the test empties a demo segment of teams and staff.
class BomRetireWithWorkTest : public BomServiceTest {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }
};

TEST_F(BomRetireWithWorkTest, SegmentOwningCasegroupNeedsATargetOfItsKind) {
  // S1.6, W4.6: once its teams and staff are gone, a segment that owns work
  // retires only into a named target of the same country and service
  // segment, which receives the work.
  Segment nc = FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  cms::v1::Application app;
  ASSERT_RPC_OK(t_->casegroups().CreateApplication(
      Ctx(kCaseworker).get(),
      ApplicationRequest(NewPerson("Peter", "SW1A 1AA"), NewPerson("Rose", "CF10 1AA")), &app));
  ASSERT_EQ(app.casegroup().owning_segment_id(), nc.id()) << "R3.2: GB new application";

  // Empty the segment: deactivate its staff, retire its teams.
  cms::v1::ListStaffRequest staff_req;
  staff_req.set_segment_id(nc.id());
  cms::v1::ListStaffResponse staff;
  ASSERT_RPC_OK(bom().ListStaff(Ctx(kSvc).get(), staff_req, &staff));
  ASSERT_GE(staff.staff_size(), 6);
  for (const StaffMember& m : staff.staff()) {
    cms::v1::DeactivateStaffMemberRequest off;
    off.set_request_id(RandomRequestId());
    off.set_staff_id(m.staff_id());
    off.set_etag(m.etag());
    StaffMember out;
    ASSERT_RPC_OK(bom().DeactivateStaffMember(Ctx(kSvc).get(), off, &out));
  }
  for (const char* name : {"Team A", "Team B"}) {
    Team team = FindTeam(nc.id(), name);
    cms::v1::RetireTeamRequest retire;
    retire.set_request_id(RandomRequestId());
    retire.set_id(team.id());
    retire.set_etag(team.etag());
    Team out;
    ASSERT_RPC_OK(bom().RetireTeam(Ctx(kSvc).get(), retire, &out));
  }

  cms::v1::GetSegmentRequest get;
  get.set_id(nc.id());
  Segment current;
  ASSERT_RPC_OK(bom().GetSegment(Ctx(kSvc).get(), get, &current));
  const std::string before = State();
  cms::v1::RetireSegmentRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(nc.id());
  req.set_etag(current.etag());
  Segment out;
  grpc::Status st = bom().RetireSegment(Ctx(kSvc).get(), req, &out);
  EXPECT_TRUE(Refused(st, grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  EXPECT_TRUE(absl::StrContains(st.error_message(), "casegroups")) << st.error_message();
  req.set_request_id(RandomRequestId());
  req.set_target_segment_id(
      FindDemoSegment(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE).id());
  EXPECT_TRUE(Refused(bom().RetireSegment(Ctx(kSvc).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.6", "INVALID_FIELDS",
                      {"target_segment_id"}));
  EXPECT_EQ(State(), before);
  cms::v1::GetCasegroupRequest cg;
  cg.set_id(app.casegroup().id());
  cms::v1::Casegroup still;
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), cg, &still));
  EXPECT_EQ(still.owning_segment_id(), nc.id());

  // A sibling GB NEW_CASE segment takes the work, and the retire goes through.
  cms::v1::CreateSegmentRequest sibling;
  sibling.set_request_id(RandomRequestId());
  sibling.set_country(cms::v1::COUNTRY_GB);
  sibling.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  sibling.set_description("New Case Two");
  sibling.set_code("Two");
  Segment two;
  ASSERT_RPC_OK(bom().CreateSegment(Ctx(kSvc).get(), sibling, &two));
  req.set_request_id(RandomRequestId());
  req.set_target_segment_id(two.id());
  ASSERT_RPC_OK(bom().RetireSegment(Ctx(kSvc).get(), req, &out));
  EXPECT_EQ(out.status(), cms::v1::LIFECYCLE_STATUS_RETIRED);
  ASSERT_RPC_OK(t_->casegroups().GetCasegroup(Ctx(kSvc).get(), cg, &still));
  EXPECT_EQ(still.owning_segment_id(), two.id());
}

}  // namespace
}  // namespace cms::testing
