// AdminService over a real database and a real server: the business clock
// (T8.1) and the audit trail (X13.2), with identity (X13.1) and errors
// (X13.5). Refusals are checked for their ErrorInfo and shown to change
// nothing (the clock and the audit trail are compared before and after).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cms/v1/casegroup.pb.h"
#include "google/protobuf/util/time_util.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::AuditEvent;
using cms::v1::Clock;
using google::protobuf::util::TimeUtil;

constexpr char kSvc[] = "svc.manager";
constexpr char kAuditor[] = "qa.auditor";
constexpr char kCaseworker[] = "cw.gb.new_case.a1";
constexpr char kTeamLeader[] = "tl.gb.new_case.a";
constexpr char kSegmentManager[] = "sm.gb.new_case";

int64_t Millis(const google::protobuf::Timestamp& t) {
  return TimeUtil::TimestampToMilliseconds(t);
}

class AdminServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { t_ = TestServer::Start().release(); }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& staff) {
    return t_->Context(staff);
  }

  static Clock Now(const std::string& staff = kCaseworker) {
    Clock c;
    grpc::Status s = t_->admin().GetClock(Ctx(staff).get(), {}, &c);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return c;
  }

  static std::vector<AuditEvent> Audit(const std::string& entity_type, const std::string& entity_id,
                                       int page_size = 1000) {
    cms::v1::ListAuditEventsRequest req;
    req.set_entity_type(entity_type);
    req.set_entity_id(entity_id);
    req.set_page_size(page_size);
    cms::v1::ListAuditEventsResponse resp;
    grpc::Status s = t_->admin().ListAuditEvents(Ctx(kAuditor).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return {resp.events().begin(), resp.events().end()};
  }

  static std::vector<AuditEvent> AuditByActor(const std::string& actor) {
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(actor);
    req.set_page_size(1000);
    cms::v1::ListAuditEventsResponse resp;
    grpc::Status s = t_->admin().ListAuditEvents(Ctx(kSvc).get(), req, &resp);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return {resp.events().begin(), resp.events().end()};
  }

  // The clock's audit trail, as a comparable string.
  static std::string ClockAudit() {
    std::string out;
    for (const AuditEvent& e : Audit("clock", "business_clock")) {
      absl::StrAppend(&out, e.ShortDebugString(), "\n");
    }
    return out;
  }

  // A new SERVICE_MANAGEMENT member, so the audit rows by actor are this
  // test's alone.
  static std::string NewServiceManager() {
    cms::v1::AddStaffMemberRequest req;
    req.set_request_id(RandomRequestId());
    req.set_staff_id(absl::StrCat("svc.audit.", RandomRequestId().substr(4, 10)));
    req.set_name("Audit Test Manager");
    req.set_role(cms::v1::ROLE_SERVICE_MANAGEMENT);
    cms::v1::StaffMember m;
    grpc::Status s = t_->bom().AddStaffMember(Ctx(kSvc).get(), req, &m);
    EXPECT_TRUE(s.ok()) << Describe(s);
    return m.staff_id();
  }

  static cms::v1::CreateSegmentRequest SegmentRequest(const std::string& description) {
    cms::v1::CreateSegmentRequest req;
    req.set_request_id(RandomRequestId());
    req.set_country(cms::v1::COUNTRY_GB);
    req.set_service_segment(cms::v1::SERVICE_SEGMENT_GOVERNMENT_RELATIONS);
    req.set_description(description);
    req.set_code(absl::StrCat("A", RandomRequestId().substr(4, 8)));
    return req;
  }

  static TestServer* t_;
};

TestServer* AdminServiceTest::t_ = nullptr;

// ---------------------------------------------------------------- clock

TEST_F(AdminServiceTest, GetClockIsOpenToEveryRole) {
  // T8.1: one business clock, readable by every role (X13.1).
  int64_t last = 0;
  for (const char* staff : {kCaseworker, kTeamLeader, kSegmentManager, kSvc, kAuditor}) {
    SCOPED_TRACE(staff);
    Clock c = Now(staff);
    EXPECT_TRUE(c.test_clock());
    EXPECT_TRUE(c.has_now());
    EXPECT_GE(Millis(c.now()), last) << "the clock does not run backwards by itself";
    last = Millis(c.now());
  }
}

TEST_F(AdminServiceTest, SetClockMovesTheBusinessClockAndIsAudited) {
  // T8.1: a service manager sets the business clock; X13.2: it is audited.
  const google::protobuf::Timestamp target =
      TimeUtil::SecondsToTimestamp(1893456000);  // 2030-01-01
  cms::v1::SetClockRequest req;
  *req.mutable_now() = target;
  Clock set;
  ASSERT_RPC_OK(t_->admin().SetClock(Ctx(kSvc).get(), req, &set));
  EXPECT_EQ(Millis(set.now()), Millis(target));
  EXPECT_TRUE(set.test_clock());

  Clock read = Now();
  EXPECT_GE(Millis(read.now()), Millis(target));
  EXPECT_LT(Millis(read.now()), Millis(target) + 60'000) << "runs on from the set instant";

  std::vector<AuditEvent> events = Audit("clock", "business_clock");
  ASSERT_FALSE(events.empty());
  const AuditEvent& e = events[0];
  EXPECT_EQ(e.rpc(), "SetClock");
  EXPECT_EQ(e.actor(), kSvc);
  EXPECT_EQ(e.client(), "integration-tests");
  EXPECT_EQ(e.entity_type(), "clock");
  EXPECT_EQ(e.entity_id(), "business_clock");
  EXPECT_FALSE(e.before_json().empty());
  EXPECT_TRUE(absl::StrContains(e.after_json(), "2030-01-01T00:00:00")) << e.after_json();

  // Every rule reads "now" from this clock: a segment created now carries a
  // 2030 create time, and so does its audit row.
  cms::v1::Segment s;
  ASSERT_RPC_OK(t_->bom().CreateSegment(Ctx(kSvc).get(), SegmentRequest("Clock Check"), &s));
  EXPECT_GE(Millis(s.create_time()), Millis(target));
  EXPECT_LT(Millis(s.create_time()), Millis(target) + 60'000);
  std::vector<AuditEvent> seg_events = Audit("segment", absl::StrCat(s.id()));
  ASSERT_EQ(seg_events.size(), 1u);
  EXPECT_GE(Millis(seg_events[0].event_time()), Millis(target));

  // Once moved it never goes back (issue 17, defect 7): an earlier instant
  // is refused, naming T8.1, and the clock is unchanged.
  const std::string audit_before = ClockAudit();
  const google::protobuf::Timestamp past = TimeUtil::SecondsToTimestamp(1735689600);  // 2025-01-01
  *req.mutable_now() = past;
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), req, &set),
                      grpc::StatusCode::FAILED_PRECONDITION, "T8.1", "RULE_VIOLATION"));
  EXPECT_GE(Millis(Now().now()), Millis(target));
  EXPECT_EQ(ClockAudit(), audit_before);
}

TEST(AdminClockTest, AScenarioMayStartBeforeTheWallClockButNeverGoesBackAfter) {
  // T8.1: before its first move the clock may be set anywhere (a scenario's
  // start); after it, forwards only. Its own server: a clock never moved.
  std::unique_ptr<TestServer> t = TestServer::Start();
  const google::protobuf::Timestamp start = TimeUtil::SecondsToTimestamp(1735689600);  // 2025-01-01
  cms::v1::SetClockRequest req;
  *req.mutable_now() = start;
  Clock set;
  ASSERT_RPC_OK(t->admin().SetClock(t->Context(kSvc).get(), req, &set));
  EXPECT_EQ(Millis(set.now()), Millis(start));
  *req.mutable_now() = TimeUtil::SecondsToTimestamp(1735689600 - 86400);
  EXPECT_TRUE(Refused(t->admin().SetClock(t->Context(kSvc).get(), req, &set),
                      grpc::StatusCode::FAILED_PRECONDITION, "T8.1", "RULE_VIOLATION"));
  *req.mutable_now() = TimeUtil::SecondsToTimestamp(1735689600 + 86400);
  ASSERT_RPC_OK(t->admin().SetClock(t->Context(kSvc).get(), req, &set));
}

TEST(AdminClockTest, TheClockStaysAMillenniumInsideWhatATimestampHolds) {
  // T8.1, found by the gRPC fuzzer: set to 9999-12-31T23:59:58Z the test
  // clock ticked out of Timestamp's range a second later, and from then on
  // every call reading it failed INTERNAL (a protobuf CHECK), for good: the
  // clock never goes back. The clock now stays within 1000..8999.
  std::unique_ptr<TestServer> t = TestServer::Start();
  Clock out;
  for (int64_t seconds :
       {int64_t{253402300798}, int64_t{-62135596800} + 86400,
        int64_t{-30610224001} /* 999-12-31T23:59:59Z */, int64_t{221845392000} /* 9000-01-01 */}) {
    cms::v1::SetClockRequest req;
    req.mutable_now()->set_seconds(seconds);
    EXPECT_TRUE(Refused(t->admin().SetClock(t->Context(kSvc).get(), req, &out),
                        grpc::StatusCode::INVALID_ARGUMENT, "T8.1", "INVALID_FIELDS", {"now"}))
        << seconds;
  }
  cms::v1::SetClockRequest last_year;  // 8999-12-30: allowed
  last_year.mutable_now()->set_seconds(int64_t{221845392000} - 2 * 86400);
  ASSERT_RPC_OK(t->admin().SetClock(t->Context(kSvc).get(), last_year, &out));
  cms::v1::AdvanceClockRequest past_8999;
  past_8999.mutable_by()->set_seconds(3 * 86400);
  EXPECT_TRUE(Refused(t->admin().AdvanceClock(t->Context(kSvc).get(), past_8999, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "T8.1", "INVALID_FIELDS", {"by"}));
  ASSERT_RPC_OK(t->admin().GetClock(t->Context(kSvc).get(), {}, &out));
  EXPECT_LT(out.now().seconds(), int64_t{221845392000});
}

TEST_F(AdminServiceTest, ImpossibleTimestampsAndDurationsAreRefusedAndChangeNothing) {
  // Issue 17, defect 7: every Timestamp and Duration a request carries is
  // checked (app/request_values.cc) before the use case runs.
  const std::string audit_before = ClockAudit();
  const Clock before = Now();
  Clock out;
  cms::v1::SetClockRequest two_billion_nanos;
  two_billion_nanos.mutable_now()->set_seconds(1893456000);
  two_billion_nanos.mutable_now()->set_nanos(2'000'000'000);
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), two_billion_nanos, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"now"}));
  cms::v1::SetClockRequest year_ten_thousand;
  year_ten_thousand.mutable_now()->set_seconds(253402300800);
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), year_ten_thousand, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"now"}));
  cms::v1::SetClockRequest before_year_one;
  before_year_one.mutable_now()->set_seconds(INT64_MIN);
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), before_year_one, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"now"}));
  cms::v1::AdvanceClockRequest mixed_signs;
  mixed_signs.mutable_by()->set_seconds(60);
  mixed_signs.mutable_by()->set_nanos(-1);
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), mixed_signs, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"by"}));
  cms::v1::AdvanceClockRequest past_9999;  // a valid Duration, but 9,000 years on
  past_9999.mutable_by()->set_seconds(int64_t{9000} * 366 * 86400);
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), past_9999, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "T8.1", "INVALID_FIELDS", {"by"}));
  const Clock after = Now();
  EXPECT_GE(Millis(after.now()), Millis(before.now()));
  EXPECT_LT(Millis(after.now()), Millis(before.now()) + 30'000);
  EXPECT_EQ(ClockAudit(), audit_before);
}

TEST_F(AdminServiceTest, AdvanceClockMovesTheBusinessClockAndIsAudited) {
  // T8.1: advance by a duration; X13.2: audited with before and after.
  const Clock before = Now();
  cms::v1::AdvanceClockRequest req;
  *req.mutable_by() = TimeUtil::SecondsToDuration(14 * 24 * 3600);
  Clock advanced;
  ASSERT_RPC_OK(t_->admin().AdvanceClock(Ctx(kSvc).get(), req, &advanced));
  const int64_t fortnight = int64_t{14} * 24 * 3600 * 1000;
  EXPECT_GE(Millis(advanced.now()), Millis(before.now()) + fortnight);
  EXPECT_LT(Millis(advanced.now()), Millis(before.now()) + fortnight + 60'000);
  EXPECT_TRUE(advanced.test_clock());

  const Clock after = Now();
  EXPECT_GE(Millis(after.now()), Millis(advanced.now()));
  EXPECT_LT(Millis(after.now()), Millis(advanced.now()) + 60'000);

  std::vector<AuditEvent> events = Audit("clock", "business_clock");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].rpc(), "AdvanceClock");
  EXPECT_EQ(events[0].actor(), kSvc);
  EXPECT_FALSE(events[0].before_json().empty());
  EXPECT_FALSE(events[0].after_json().empty());
  EXPECT_NE(events[0].before_json(), events[0].after_json());

  // Advancing twice means twice (no request-id replay for clock changes).
  ASSERT_RPC_OK(t_->admin().AdvanceClock(Ctx(kSvc).get(), req, &advanced));
  EXPECT_GE(Millis(advanced.now()), Millis(before.now()) + 2 * fortnight);
  EXPECT_EQ(Audit("clock", "business_clock").size(), events.size() + 1);
}

TEST_F(AdminServiceTest, ClockChangesNeedServiceManagement) {
  // T8.1, X13.1: only SERVICE_MANAGEMENT sets or advances the clock.
  const std::string audit_before = ClockAudit();
  const Clock before = Now();
  for (const char* staff : {kCaseworker, kTeamLeader, kSegmentManager, kAuditor}) {
    SCOPED_TRACE(staff);
    cms::v1::SetClockRequest set;
    *set.mutable_now() = TimeUtil::SecondsToTimestamp(1956528000);  // 2032
    Clock out;
    EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(staff).get(), set, &out),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
    cms::v1::AdvanceClockRequest advance;
    *advance.mutable_by() = TimeUtil::SecondsToDuration(86400);
    EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(staff).get(), advance, &out),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  const Clock after = Now();
  EXPECT_GE(Millis(after.now()), Millis(before.now()));
  EXPECT_LT(Millis(after.now()), Millis(before.now()) + 30'000) << "the clock did not move";
  EXPECT_EQ(ClockAudit(), audit_before);
}

TEST_F(AdminServiceTest, AdvanceClockNeedsAPositiveDuration) {
  // T8.1, X13.5: `by` must be positive; SetClock needs `now`.
  const std::string audit_before = ClockAudit();
  const Clock before = Now();
  Clock out;
  for (int64_t seconds : {int64_t{0}, int64_t{-1}, int64_t{-86400}}) {
    SCOPED_TRACE(seconds);
    cms::v1::AdvanceClockRequest req;
    *req.mutable_by() = TimeUtil::SecondsToDuration(seconds);
    EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), req, &out),
                        grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"by"}));
  }
  cms::v1::AdvanceClockRequest unset;
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), unset, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"by"}));
  cms::v1::AdvanceClockRequest negative_nanos;
  negative_nanos.mutable_by()->set_nanos(-5000);
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), negative_nanos, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"by"}));
  cms::v1::SetClockRequest no_now;
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), no_now, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"now"}));
  const Clock after = Now();
  EXPECT_LT(Millis(after.now()), Millis(before.now()) + 30'000);
  EXPECT_GE(Millis(after.now()), Millis(before.now()));
  EXPECT_EQ(ClockAudit(), audit_before);
}

// ---------------------------------------------------------------- audit

TEST_F(AdminServiceTest, ListAuditEventsPerEntityAndPerActor) {
  // X13.2: every change records actor, instant, RPC, entity, before and
  // after; queryable per entity and per actor, newest first.
  const std::string actor = NewServiceManager();
  cms::v1::Segment created;
  ASSERT_RPC_OK(
      t_->bom().CreateSegment(Ctx(actor).get(), SegmentRequest("Audited Unit"), &created));
  const std::string id = absl::StrCat(created.id());

  std::vector<AuditEvent> events = Audit("segment", id);
  ASSERT_EQ(events.size(), 1u);
  const AuditEvent create = events[0];
  EXPECT_GT(create.id(), 0);
  EXPECT_EQ(create.entity_type(), "segment");
  EXPECT_EQ(create.entity_id(), id);
  EXPECT_EQ(create.rpc(), "CreateSegment");
  EXPECT_EQ(create.actor(), actor);
  EXPECT_EQ(create.client(), "integration-tests");
  EXPECT_TRUE(create.has_event_time());
  EXPECT_TRUE(create.before_json().empty()) << "nothing before a create";
  EXPECT_FALSE(create.after_json().empty());
  EXPECT_TRUE(absl::StrContains(create.after_json(), created.system_name())) << create.after_json();

  cms::v1::RenameSegmentRequest rename;
  rename.set_request_id(RandomRequestId());
  rename.set_id(created.id());
  rename.set_etag(created.etag());
  rename.set_description("Audited Again");
  rename.set_code(created.code());
  cms::v1::Segment renamed;
  ASSERT_RPC_OK(t_->bom().RenameSegment(Ctx(actor).get(), rename, &renamed));

  events = Audit("segment", id);
  ASSERT_EQ(events.size(), 2u);
  const AuditEvent& change = events[0];  // newest first
  EXPECT_GT(change.id(), create.id());
  EXPECT_EQ(change.rpc(), "RenameSegment");
  EXPECT_EQ(change.actor(), actor);
  EXPECT_EQ(change.entity_type(), "segment");
  EXPECT_EQ(change.entity_id(), id);
  EXPECT_FALSE(change.before_json().empty());
  EXPECT_FALSE(change.after_json().empty());
  EXPECT_TRUE(absl::StrContains(change.before_json(), created.system_name()));
  EXPECT_TRUE(absl::StrContains(change.after_json(), renamed.system_name()));
  EXPECT_FALSE(absl::StrContains(change.after_json(), created.system_name()));
  EXPECT_GE(Millis(change.event_time()), Millis(create.event_time()));
  EXPECT_EQ(events[1].id(), create.id()) << "the create row is never rewritten";
  EXPECT_EQ(events[1].after_json(), create.after_json());

  // Per actor: exactly this actor's two changes, newest first.
  std::vector<AuditEvent> mine = AuditByActor(actor);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].id(), change.id());
  EXPECT_EQ(mine[1].id(), create.id());
  for (const AuditEvent& e : mine) EXPECT_EQ(e.actor(), actor);

  // The staff member's own creation is audited under svc.manager.
  std::vector<AuditEvent> staff = Audit("staff", actor);
  ASSERT_EQ(staff.size(), 1u);
  EXPECT_EQ(staff[0].rpc(), "AddStaffMember");
  EXPECT_EQ(staff[0].actor(), kSvc);

  // Paging by one walks the same rows.
  cms::v1::ListAuditEventsRequest page_req;
  page_req.set_actor(actor);
  page_req.set_page_size(1);
  std::vector<int64_t> paged;
  for (int i = 0; i < 10; ++i) {
    cms::v1::ListAuditEventsResponse page;
    ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), page_req, &page));
    EXPECT_LE(page.events_size(), 1);
    for (const AuditEvent& e : page.events()) paged.push_back(e.id());
    if (page.next_page_token().empty()) break;
    page_req.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(paged, (std::vector<int64_t>{change.id(), create.id()}));

  // AIP-158 (X13 API contract, W4.3 paging): the second page's token is
  // bound to the actor filter; asked for another actor's rows it is refused,
  // while a different page_size is fine.
  cms::v1::ListAuditEventsRequest first_page;
  first_page.set_actor(actor);
  first_page.set_page_size(1);
  cms::v1::ListAuditEventsResponse first;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), first_page, &first));
  ASSERT_FALSE(first.next_page_token().empty());
  cms::v1::ListAuditEventsRequest next = first_page;
  next.set_page_token(first.next_page_token());
  next.set_page_size(5000);  // AIP-158: clamped to 1000, not refused
  cms::v1::ListAuditEventsResponse rest;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), next, &rest));
  ASSERT_EQ(rest.events_size(), 1);
  EXPECT_EQ(rest.events(0).id(), create.id());
  next.set_actor(kSvc);
  EXPECT_TRUE(Refused(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), next, &rest),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));

  // An entity nobody touched has no rows.
  EXPECT_TRUE(Audit("segment", "987654321").empty());
  EXPECT_TRUE(AuditByActor("nobody.at.all").empty());
}

TEST_F(AdminServiceTest, ListAuditEventsRefusals) {
  // X13.2, X13.5: exactly one of (entity_type + entity_id) or actor.
  const std::string before = ClockAudit();
  struct Case {
    std::string entity_type, entity_id, actor;
    std::string rule;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {"", "", "", "X13.2", {"actor"}},          {"segment", "1", kSvc, "X13.2", {"actor"}},
      {"segment", "", kSvc, "X13.2", {"actor"}}, {"segment", "", "", "X13.2", {"entity_id"}},
      {"", "1", "", "X13.2", {"entity_type"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.entity_type, "/", c.entity_id, "/", c.actor));
    cms::v1::ListAuditEventsRequest req;
    req.set_entity_type(c.entity_type);
    req.set_entity_id(c.entity_id);
    req.set_actor(c.actor);
    cms::v1::ListAuditEventsResponse resp;
    EXPECT_TRUE(Refused(t_->admin().ListAuditEvents(Ctx(kSvc).get(), req, &resp),
                        grpc::StatusCode::INVALID_ARGUMENT, c.rule, "INVALID_FIELDS", c.fields));
  }
  cms::v1::ListAuditEventsRequest bad_token;
  bad_token.set_actor(kSvc);
  bad_token.set_page_token("not-ours");
  cms::v1::ListAuditEventsResponse resp;
  EXPECT_TRUE(Refused(t_->admin().ListAuditEvents(Ctx(kSvc).get(), bad_token, &resp),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));

  // X13.1: caseworkers, team leaders and segment managers may not read it.
  for (const char* staff : {kCaseworker, kTeamLeader, kSegmentManager}) {
    SCOPED_TRACE(staff);
    cms::v1::ListAuditEventsRequest req;
    req.set_actor(kSvc);
    EXPECT_TRUE(Refused(t_->admin().ListAuditEvents(Ctx(staff).get(), req, &resp),
                        grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  }
  EXPECT_EQ(ClockAudit(), before);
}

TEST_F(AdminServiceTest, AuditorReadsButNeverWrites) {
  // S1.4: the AUDITOR (Q&A) is read-only; X13.2: and may read the audit.
  cms::v1::ListAuditEventsRequest req;
  req.set_actor(kSvc);
  cms::v1::ListAuditEventsResponse resp;
  ASSERT_RPC_OK(t_->admin().ListAuditEvents(Ctx(kAuditor).get(), req, &resp));
  cms::v1::ListSegmentsResponse segments_before;
  cms::v1::ListSegmentsRequest list;
  list.set_page_size(1000);
  list.set_include_retired(true);
  ASSERT_RPC_OK(t_->bom().ListSegments(Ctx(kAuditor).get(), list, &segments_before));

  cms::v1::Segment s;
  EXPECT_TRUE(
      Refused(t_->bom().CreateSegment(Ctx(kAuditor).get(), SegmentRequest("Auditor Unit"), &s),
              grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  const cms::v1::Person pp = NewPerson("Audrey", "SW1A 1AA");
  cms::v1::Application app;
  EXPECT_TRUE(Refused(
      t_->casegroups().CreateApplication(
          Ctx(kAuditor).get(), ApplicationRequest(pp, NewPerson("Rhoda", "SW1A 1AA")), &app),
      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  cms::v1::CreatePersonRequest person;
  person.set_request_id(RandomRequestId());
  *person.mutable_person() = pp;
  cms::v1::Person p;
  EXPECT_TRUE(Refused(t_->casegroups().CreatePerson(Ctx(kAuditor).get(), person, &p),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));

  // Nothing changed: no segment, no audit row by the auditor, and the
  // paying parent's NINO is still free (a caseworker can create them).
  cms::v1::ListSegmentsResponse segments_after;
  ASSERT_RPC_OK(t_->bom().ListSegments(Ctx(kAuditor).get(), list, &segments_after));
  EXPECT_EQ(segments_after.ShortDebugString(), segments_before.ShortDebugString());
  EXPECT_TRUE(AuditByActor(kAuditor).empty());
  person.set_request_id(RandomRequestId());
  EXPECT_RPC_OK(t_->casegroups().CreatePerson(Ctx(kCaseworker).get(), person, &p));
}

// ---------------------------------------------------------------- no test clock

class AdminNoTestClockTest : public AdminServiceTest {
 protected:
  static void SetUpTestSuite() {
    t_ = TestServer::Start(TestServerOptions{.test_clock = false}).release();
  }
  static void TearDownTestSuite() {
    delete t_;
    t_ = nullptr;
  }
};

TEST_F(AdminNoTestClockTest, SetAndAdvanceAreRefused) {
  // T8.1: outside test mode the clock is the system clock and cannot be
  // set or advanced, even by SERVICE_MANAGEMENT.
  const int64_t system_now = TimeUtil::TimestampToMilliseconds(TimeUtil::GetCurrentTime());
  Clock c = Now();
  EXPECT_FALSE(c.test_clock());
  EXPECT_LT(std::abs(Millis(c.now()) - system_now), 60'000);

  Clock out;
  cms::v1::SetClockRequest set;
  *set.mutable_now() = TimeUtil::SecondsToTimestamp(1893456000);
  EXPECT_TRUE(Refused(t_->admin().SetClock(Ctx(kSvc).get(), set, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "T8.1", "RULE_VIOLATION"));
  cms::v1::AdvanceClockRequest advance;
  *advance.mutable_by() = TimeUtil::SecondsToDuration(86400);
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kSvc).get(), advance, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "T8.1", "RULE_VIOLATION"));
  // The role check still comes first.
  EXPECT_TRUE(Refused(t_->admin().AdvanceClock(Ctx(kCaseworker).get(), advance, &out),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));

  Clock after = Now();
  EXPECT_FALSE(after.test_clock());
  EXPECT_LT(
      std::abs(Millis(after.now()) - TimeUtil::TimestampToMilliseconds(TimeUtil::GetCurrentTime())),
      60'000)
      << "still the system clock";
  EXPECT_TRUE(Audit("clock", "business_clock").empty()) << "a refused change is not audited";
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

// grpc_fuzz found a 200-character employer name overflowing the audit
// row's 64-character entity id (INTERNAL): the fakes' audit rows are keyed
// by what fits, the rest in their `after`.
TEST_F(AdminServiceTest, TheHmrcAndLegacyFakesAcceptTheirLongestValuesAndAuditThem) {
  cms::v1::SetHmrcSensitiveEmployerRequest employer;
  employer.set_employer_name(std::string(200, 'E'));
  employer.set_sensitive(true);
  cms::v1::HmrcSensitiveEmployer set;
  ASSERT_RPC_OK(t_->admin().SetHmrcSensitiveEmployer(Ctx(kSvc).get(), employer, &set));
  EXPECT_EQ(set.employer_name(), employer.employer_name());
  const auto employers = Audit("hmrc_fake", "sensitive_employer");
  ASSERT_FALSE(employers.empty());
  EXPECT_NE(employers.back().after_json().find(employer.employer_name()), std::string::npos);

  cms::v1::SetLegacyCsaCaseRequest legacy;
  legacy.mutable_record()->set_system(cms::v1::LEGACY_SYSTEM_CS2);
  legacy.mutable_record()->set_legacy_case_reference(std::string(64, '7'));
  cms::v1::LegacyCsaCase recorded;
  ASSERT_RPC_OK(t_->admin().SetLegacyCsaCase(Ctx(kSvc).get(), legacy, &recorded));
  EXPECT_EQ(Audit("legacy_csa_fake", std::string(64, '7')).size(), 1u);
}

}  // namespace
}  // namespace cms::testing
