// WorkService over a real database: work items are SRs owned by a segment
// and optionally allocated to one person (W4.1); queues and GetNextWork (W4.3),
// case-owning work following its casegroup (W4.2), load limits and
// least-loaded allocation (W4.4), team-leader allocation and the views
// (W4.3), no orphans (W4.5).
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "google/protobuf/util/message_differencer.h"
#include "server/base/status_macros.h"
#include "server/store/work_repo.h"
#include "soci/soci.h"
#include "tests/integration/business_clock.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

// X13.2: the newest audit row of an entity (empty when it has none).
cms::v1::AuditEvent NewestAudit(TestServer& t, const std::string& type, int64_t id) {
  cms::v1::ListAuditEventsRequest req;
  req.set_entity_type(type);
  req.set_entity_id(absl::StrCat(id));
  req.set_page_size(1);
  cms::v1::ListAuditEventsResponse out;
  EXPECT_RPC_OK(t.admin().ListAuditEvents(t.Context("svc.manager").get(), req, &out));
  return out.events().empty() ? cms::v1::AuditEvent() : out.events(0);
}

using cms::v1::ServiceRequest;

constexpr char kCw1[] = "cw.gb.new_case.a1";
constexpr char kCw2[] = "cw.gb.new_case.a2";
constexpr char kOtherTeam[] = "cw.gb.new_case.b1";
constexpr char kTl[] = "tl.gb.new_case.a";
constexpr char kSm[] = "sm.gb.new_case";
constexpr char kSvc[] = "svc.manager";

// Helpers over one server: applications, SRs, pulls and views.
class Work {
 public:
  explicit Work(TestServer& t) : t_(t) {}

  cms::v1::Application Apply() {
    cms::v1::Application app;
    EXPECT_RPC_OK(t_.casegroups().CreateApplication(
        t_.Context(kCw1).get(),
        ApplicationRequest(NewPerson("Wa", "SW1A 1AA"), NewPerson("Wb", "SW1A 2AA")), &app));
    return app;
  }

  ServiceRequest Raise(const cms::v1::Application& app, const std::string& type = "CHANGE_INCOME",
                       bool priority = false, const std::string& staff = kCw1) {
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code(type);
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    req.set_priority(priority);
    if (type == "ADVICE_AND_GUIDANCE") {
      req.set_subject_person_id(app.casegroup().paying_parent_id());
      (*req.mutable_fields())["Question"] = "How?";
    }
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(t_.service_requests().CreateServiceRequest(t_.Context(staff).get(), req, &out));
    return out.service_request();
  }

  grpc::Status Next(const std::string& staff, ServiceRequest* out) {
    cms::v1::GetNextWorkRequest req;
    req.set_request_id(RandomRequestId());
    return t_.work().GetNextWork(t_.Context(staff).get(), req, out);
  }

  // Every id of a work view, paging by 7. Each view has its own request and
  // response messages (X13 API contract), hence the template.
  template <typename Request, typename Response>
  std::vector<int64_t> Ids(grpc::Status (cms::v1::WorkService::Stub::*list)(grpc::ClientContext*,
                                                                            const Request&,
                                                                            Response*),
                           const std::string& staff, Request req = {}) {
    std::vector<int64_t> ids;
    req.set_page_size(7);
    for (int i = 0; i < 1000; ++i) {
      Response page;
      grpc::Status s = (t_.work().*list)(t_.Context(staff).get(), req, &page);
      EXPECT_TRUE(s.ok()) << Describe(s);
      for (const auto& sr : page.items()) ids.push_back(sr.id());
      if (!s.ok() || page.next_page_token().empty()) break;
      req.set_page_token(page.next_page_token());
    }
    return ids;
  }

 private:
  TestServer& t_;
};

TEST(WorkServiceTest, NextWorkIsPriorityFirstThenOldestAndFollowsTheCasegroup) {
  // W4.3, W4.2
  auto t = TestServer::Start();
  Work w(*t);
  auto a = w.Apply(), b = w.Apply(), c = w.Apply();
  ServiceRequest oldest = w.Raise(a);
  ServiceRequest urgent = w.Raise(b, "CHANGE_INCOME", /*priority=*/true);
  ServiceRequest newest = w.Raise(c);

  // The segment manager sees the queue in that order.
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm),
            (std::vector<int64_t>{urgent.id(), oldest.id(), newest.id()}));

  ServiceRequest got;
  ASSERT_RPC_OK(w.Next(kCw1, &got));
  EXPECT_EQ(got.id(), urgent.id());
  EXPECT_EQ(got.allocated_to(), kCw1);
  // The claimed SR is built in memory, not read back: it must be as stored.
  cms::v1::GetServiceRequestRequest get_sr;
  get_sr.set_id(got.id());
  ServiceRequest stored;
  ASSERT_RPC_OK(t->service_requests().GetServiceRequest(t->Context(kCw1).get(), get_sr, &stored));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(got, stored))
      << got.DebugString() << "\nvs stored\n"
      << stored.DebugString();
  ASSERT_RPC_OK(w.Next(kCw2, &got));
  EXPECT_EQ(got.id(), oldest.id());
  ASSERT_RPC_OK(w.Next(kCw1, &got));
  EXPECT_EQ(got.id(), newest.id());
  grpc::Status empty = w.Next(kCw1, &got);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorInfoOf(empty).reason(), "QUEUE_EMPTY");

  // W4.2: the casegroup went with its SR, and a new case-owning SR on it is
  // allocated to the same caseworker straight away.
  cms::v1::GetCasegroupRequest get;
  get.set_id(b.casegroup().id());
  cms::v1::Casegroup group;
  ASSERT_RPC_OK(t->casegroups().GetCasegroup(t->Context(kCw1).get(), get, &group));
  EXPECT_EQ(group.allocated_to(), kCw1);
  EXPECT_EQ(w.Raise(b).allocated_to(), kCw1);
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListMyWork, kCw1).size(), 3u);
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListMyWork, kCw2),
            std::vector<int64_t>{oldest.id()});
  // The team leader sees the team's work (W4.3); a caseworker may not.
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListTeamWork, kTl).size(), 4u);
  cms::v1::ListTeamWorkResponse none;
  EXPECT_TRUE(Refused(t->work().ListTeamWork(t->Context(kCw1).get(), {}, &none),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
}

TEST(WorkServiceTest, ClaimersPassOverACasegroupAnotherClaimerHolds) {
  // W4.3, W4.2: two SRs of one casegroup head the queue. While one claimer
  // holds the first (and so its casegroup), a second claimer gets the next
  // casegroup's SR at once, rather than the casegroup's other SR (which
  // would make the two deadlock allocating the casegroup's work).
  auto t = TestServer::Start();
  Work w(*t);
  auto a = w.Apply(), b = w.Apply();
  ServiceRequest a1 = w.Raise(a), a2 = w.Raise(a), b1 = w.Raise(b);
  const int64_t segment = a.casegroup().owning_segment_id();
  std::optional<ServiceRequest> first, second;
  absl::Status both = t->db().RunInTransaction([&](store::Tx& tx1) -> absl::Status {
    CMS_ASSIGN_OR_RETURN(first, store::ClaimNextQueuedSr(tx1, segment));
    return t->db().RunInTransaction([&](store::Tx& tx2) -> absl::Status {
      CMS_ASSIGN_OR_RETURN(second, store::ClaimNextQueuedSr(tx2, segment));
      return absl::OkStatus();
    });
  });
  ASSERT_TRUE(both.ok()) << both;
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->id(), a1.id());
  EXPECT_EQ(second->id(), b1.id()) << "a2 = " << a2.id();
}

// Whether another transaction can lock casegroup `id` without waiting.
bool CasegroupIsFree(TestServer& t, int64_t id) {
  absl::Status s = t.db().RunInTransaction([&](store::Tx& other) {
    return store::Guard([&] {
      long long g = id, locked = 0;
      other.session() << "SELECT id FROM casegroups WHERE id = :g FOR UPDATE NOWAIT", soci::use(g),
          soci::into(locked);
      return absl::OkStatus();
    });
  });
  return s.ok();
}

TEST(WorkServiceTest, ClaimingLocksTheCasegroupOfCaseOwningWorkOnly) {
  // W4.2: a case-owning claim locks its casegroup (its work is allocated
  // with it). SR5.7: a functionally unique claim leaves the casegroup, which
  // another segment owns, free for its owner's writes.
  auto t = TestServer::Start();
  Work w(*t);
  auto app = w.Apply();
  ServiceRequest owning = w.Raise(app);
  ServiceRequest unique = w.Raise(app, "ADVICE_AND_GUIDANCE");
  ASSERT_EQ(unique.kind(), cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE);
  ASSERT_NE(unique.owning_segment_id(), owning.owning_segment_id());
  const int64_t group = app.casegroup().id();
  for (const ServiceRequest& sr : {owning, unique}) {
    bool free = false;
    absl::Status s = t->db().RunInTransaction([&](store::Tx& tx) -> absl::Status {
      CMS_ASSIGN_OR_RETURN(auto claimed, store::ClaimNextQueuedSr(tx, sr.owning_segment_id()));
      EXPECT_TRUE(claimed.has_value() && claimed->id() == sr.id()) << sr.type_code();
      free = CasegroupIsFree(*t, group);
      return absl::OkStatus();
    });
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(free, sr.kind() == cms::v1::SR_KIND_FUNCTIONALLY_UNIQUE) << sr.type_code();
  }
}

TEST(WorkServiceTest, TeamViewMergesItsMembersWorkInQueueOrderAcrossPages) {
  // W4.3: the team leader's view is every member's work in queue order
  // (priority first, then oldest), paged and filtered like the others.
  auto t = TestServer::Start();
  Work w(*t);
  std::vector<ServiceRequest> raised;
  for (int i = 0; i < 6; ++i) {
    auto app = w.Apply();
    const std::string type = i < 3 ? "CHANGE_INCOME" : "CLEAR_ARTEFACT";
    raised.push_back(w.Raise(app, type));
    raised.push_back(w.Raise(app, type, /*priority=*/i == 4));
  }
  ServiceRequest got;
  for (int i = 0; i < 6; ++i) ASSERT_RPC_OK(w.Next(i % 2 == 0 ? kCw1 : kCw2, &got));

  std::vector<int64_t> expected;  // the priority SR, then the rest oldest first
  for (const auto& sr : raised) {
    if (sr.priority()) expected.insert(expected.begin(), sr.id());
  }
  for (const auto& sr : raised) {
    if (!sr.priority()) expected.push_back(sr.id());
  }
  // 12 items, pages of 7: the merge carries across the page boundary.
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListTeamWork, kTl), expected);

  cms::v1::ListTeamWorkRequest by_type;
  by_type.set_type_code("CLEAR_ARTEFACT");
  std::vector<int64_t> artefacts;
  for (int64_t id : expected) {
    for (const auto& sr : raised) {
      if (sr.id() == id && sr.type_code() == "CLEAR_ARTEFACT") artefacts.push_back(id);
    }
  }
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListTeamWork, kTl, by_type), artefacts);
}

TEST(WorkServiceTest, ViewsFilterAndPage) {
  // W4.3: filters by status, SR type and age; opaque page tokens.
  auto t = TestServer::Start();
  Work w(*t);
  auto app = w.Apply();
  for (int i = 0; i < 5; ++i) w.Raise(w.Apply(), "CHANGE_INCOME");
  for (int i = 0; i < 3; ++i) w.Raise(w.Apply(), "CLEAR_ARTEFACT");
  cms::v1::ListSegmentQueueRequest by_type;
  by_type.set_type_code("CLEAR_ARTEFACT");
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm, by_type).size(), 3u);
  cms::v1::ListSegmentQueueRequest by_status;
  by_status.add_statuses(cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_TRUE(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm, by_status).empty());
  cms::v1::ListSegmentQueueRequest old;
  old.set_min_age_days(3);
  EXPECT_TRUE(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm, old).empty());
  cms::v1::AdvanceClockRequest advance;
  advance.mutable_by()->set_seconds(4 * 24 * 3600);
  cms::v1::Clock clock;
  ASSERT_RPC_OK(t->admin().AdvanceClock(t->Context(kSvc).get(), advance, &clock));
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm, old).size(), 8u);

  cms::v1::ListSegmentQueueRequest bad;
  bad.set_page_token("nope");
  bad.set_type_code("NO_SUCH_TYPE");
  bad.add_statuses(cms::v1::SR_STATUS_CLOSED);
  cms::v1::ListSegmentQueueResponse out;
  EXPECT_TRUE(Refused(t->work().ListSegmentQueue(t->Context(kSm).get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  bad.clear_page_token();
  EXPECT_TRUE(Refused(t->work().ListSegmentQueue(t->Context(kSm).get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.3", "INVALID_FIELDS",
                      {"statuses", "type_code"}));

  // AIP-158 (X13 API contract): a token continues only the view and the
  // filters it was returned for; page_size may change.
  cms::v1::ListSegmentQueueRequest open;
  open.add_statuses(cms::v1::SR_STATUS_OPEN);
  open.set_page_size(3);
  cms::v1::ListSegmentQueueResponse first;
  ASSERT_RPC_OK(t->work().ListSegmentQueue(t->Context(kSm).get(), open, &first));
  ASSERT_EQ(first.items_size(), 3);
  ASSERT_FALSE(first.next_page_token().empty());
  cms::v1::ListSegmentQueueRequest next = open;
  next.set_page_token(first.next_page_token());
  next.set_page_size(2000);  // clamped to 1000, not refused
  ASSERT_RPC_OK(t->work().ListSegmentQueue(t->Context(kSm).get(), next, &out));
  cms::v1::ListSegmentQueueRequest every_open;
  every_open.add_statuses(cms::v1::SR_STATUS_OPEN);
  EXPECT_EQ(static_cast<size_t>(first.items_size() + out.items_size()),
            w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm, every_open).size());
  next.add_statuses(cms::v1::SR_STATUS_IN_PROGRESS);
  EXPECT_TRUE(Refused(t->work().ListSegmentQueue(t->Context(kSm).get(), next, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  next.clear_statuses();
  EXPECT_TRUE(Refused(t->work().ListSegmentQueue(t->Context(kSm).get(), next, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_token"}));
  next.set_page_size(-1);
  EXPECT_TRUE(Refused(t->work().ListSegmentQueue(t->Context(kSm).get(), next, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"page_size"}));
}

TEST(WorkServiceTest, LoadLimitAndTeamLeaderAllocation) {
  // W4.4 and W4.3
  auto t = TestServer::Start({.work_load_limit = 2});
  Work w(*t);
  std::vector<ServiceRequest> srs;
  for (int i = 0; i < 4; ++i) srs.push_back(w.Raise(w.Apply()));
  ServiceRequest got;
  ASSERT_RPC_OK(w.Next(kCw1, &got));
  ASSERT_RPC_OK(w.Next(kCw1, &got));
  EXPECT_TRUE(
      Refused(w.Next(kCw1, &got), grpc::StatusCode::FAILED_PRECONDITION, "W4.4", "RULE_VIOLATION"));

  // The team leader allocates within the team only, and within the limit.
  auto allocate = [&](const ServiceRequest& sr, const std::string& staff, bool least,
                      ServiceRequest* out, const std::string& as = kTl) {
    cms::v1::GetServiceRequestRequest get;
    get.set_id(sr.id());
    ServiceRequest fresh;
    EXPECT_RPC_OK(t->service_requests().GetServiceRequest(t->Context(kTl).get(), get, &fresh));
    cms::v1::AllocateWorkRequest req;
    req.set_request_id(RandomRequestId());
    req.set_service_request_id(sr.id());
    req.set_etag(fresh.etag());
    req.set_staff_id(staff);
    req.set_least_loaded(least);
    return t->work().AllocateWork(t->Context(as).get(), req, out);
  };
  ServiceRequest out;
  EXPECT_TRUE(Refused(allocate(srs[2], kCw1, false, &out), grpc::StatusCode::FAILED_PRECONDITION,
                      "W4.4", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(allocate(srs[2], kOtherTeam, false, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "W4.3", "RULE_VIOLATION"));
  EXPECT_TRUE(Refused(allocate(srs[2], kCw2, false, &out, kCw1),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
  // Least loaded: a1 holds 2 (at the limit), a2 none.
  ASSERT_RPC_OK(allocate(srs[2], "", true, &out));
  EXPECT_EQ(out.allocated_to(), kCw2);
  ASSERT_RPC_OK(allocate(srs[3], kCw2, false, &out));
  EXPECT_EQ(out.allocated_to(), kCw2);
  EXPECT_TRUE(Refused(allocate(srs[0], "", true, &out), grpc::StatusCode::FAILED_PRECONDITION,
                      "W4.4", "RULE_VIOLATION"));
  // Back to the queue, then reallocated.
  ASSERT_RPC_OK(allocate(srs[3], "", false, &out));
  EXPECT_TRUE(out.allocated_to().empty());
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm),
            std::vector<int64_t>{srs[3].id()});
}

TEST(WorkServiceTest, DeactivatingACaseworkerLeavesNoOrphans) {
  // W4.5: a caseworker holding 50 SRs on 5 casegroups is deactivated: the
  // work returns to the queue in the same transaction; nothing is orphaned.
  auto t = TestServer::Start();
  Work w(*t);
  for (int g = 0; g < 5; ++g) {
    auto app = w.Apply();
    for (int i = 0; i < 10; ++i) w.Raise(app);
  }
  ServiceRequest got;
  for (int g = 0; g < 5; ++g) ASSERT_RPC_OK(w.Next(kCw2, &got));
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListMyWork, kCw2).size(), 50u);
  EXPECT_TRUE(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm).empty());

  cms::v1::GetStaffMemberRequest get;
  get.set_staff_id(kCw2);
  cms::v1::StaffMember member;
  ASSERT_RPC_OK(t->bom().GetStaffMember(t->Context(kSvc).get(), get, &member));
  cms::v1::DeactivateStaffMemberRequest off;
  off.set_request_id(RandomRequestId());
  off.set_staff_id(kCw2);
  off.set_etag(member.etag());
  ASSERT_RPC_OK(t->bom().DeactivateStaffMember(t->Context(kSvc).get(), off, &member));

  cms::v1::Orphans orphans;
  ASSERT_RPC_OK(t->work().CheckOrphans(t->Context(kSvc).get(), {}, &orphans));
  EXPECT_EQ(orphans.count(), 0);
  const std::vector<int64_t> queued = w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm);
  EXPECT_EQ(queued.size(), 50u);
  // X13.2: every released SR and casegroup has its own audit row, in the
  // deactivation's transaction, naming the caseworker before and nobody after.
  std::set<int64_t> casegroups;
  for (int64_t id : queued) {
    cms::v1::AuditEvent e = NewestAudit(*t, "service_request", id);
    EXPECT_EQ(e.rpc(), "DeactivateStaffMember") << id;
    EXPECT_NE(e.before_json().find(kCw2), std::string::npos) << e.before_json();
    EXPECT_EQ(e.after_json().find(kCw2), std::string::npos) << e.after_json();
    casegroups.insert(e.casegroup_id());
  }
  ASSERT_EQ(casegroups.size(), 5u);
  for (int64_t id : casegroups) {
    cms::v1::AuditEvent e = NewestAudit(*t, "casegroup", id);
    EXPECT_EQ(e.rpc(), "DeactivateStaffMember") << id;
    EXPECT_NE(e.before_json().find(kCw2), std::string::npos) << e.before_json();
    EXPECT_EQ(e.after_json().find(kCw2), std::string::npos) << e.after_json();
  }
  cms::v1::ListAuditEventsRequest audit;
  audit.set_entity_type("staff");
  audit.set_entity_id(kCw2);
  cms::v1::ListAuditEventsResponse events;
  ASSERT_RPC_OK(t->admin().ListAuditEvents(t->Context(kSvc).get(), audit, &events));
  EXPECT_EQ(events.events(0).rpc(), "DeactivateStaffMember");
}

TEST(WorkServiceTest, OrphansMadeBehindTheServersBackAreFoundAndRecovered) {
  // W4.5: work allocated to someone outside the owning segment (written
  // straight into the database) is reported, then returned to its queue.
  auto t = TestServer::Start();
  Work w(*t);
  auto app = w.Apply();
  ServiceRequest sr = w.Raise(app);
  ServiceRequest got;
  ASSERT_RPC_OK(w.Next(kCw1, &got));
  ASSERT_TRUE(t->db()
                  .RunOnConnection([&](store::Tx& tx) {
                    return store::Guard([&] {
                      long long id = app.casegroup().id();
                      tx.session() << "UPDATE casegroups SET allocated_to = "
                                      "'cw.gb.maintenance.a1' WHERE id = :id",
                          soci::use(id);
                      tx.session() << "UPDATE service_requests SET allocated_to = "
                                      "'cw.gb.maintenance.a1' WHERE casegroup_id = :id",
                          soci::use(id);
                      return absl::OkStatus();
                    });
                  })
                  .ok());
  cms::v1::Orphans orphans;
  ASSERT_RPC_OK(t->work().CheckOrphans(t->Context(kSvc).get(), {}, &orphans));
  EXPECT_EQ(orphans.count(), 2);
  EXPECT_EQ(std::vector<int64_t>(orphans.casegroup_ids().begin(), orphans.casegroup_ids().end()),
            std::vector<int64_t>{app.casegroup().id()});
  cms::v1::RecoverOrphansRequest recover;
  recover.set_request_id(RandomRequestId());
  ASSERT_RPC_OK(t->work().RecoverOrphans(t->Context(kSvc).get(), recover, &orphans));
  EXPECT_EQ(orphans.count(), 2);
  ASSERT_RPC_OK(t->work().CheckOrphans(t->Context(kSvc).get(), {}, &orphans));
  EXPECT_EQ(orphans.count(), 0);
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm),
            std::vector<int64_t>{sr.id()});
  EXPECT_TRUE(Refused(t->work().CheckOrphans(t->Context(kCw1).get(), {}, &orphans),
                      grpc::StatusCode::PERMISSION_DENIED, "S1.4", "PERMISSION_DENIED"));
}

TEST(WorkServiceTest, EightCallersDrainTwoThousandItemsWithoutDuplicates) {
  // W4.3: concurrency-safe pulls: 8 callers, 2,000 functionally unique SRs
  // (each allocated on its own), every item handed out exactly once.
  auto t = TestServer::Start({.pool_size = 16, .work_load_limit = 100000});
  Work w(*t);
  // Eight Advice and Guidance caseworkers, in the demo's GB A&G team.
  cms::v1::ListTeamsRequest teams;
  cms::v1::ListSegmentsRequest segs;
  segs.set_country(cms::v1::COUNTRY_GB);
  segs.set_service_segment(cms::v1::SERVICE_SEGMENT_ADVICE_AND_GUIDANCE);
  cms::v1::ListSegmentsResponse seg_out;
  ASSERT_RPC_OK(t->bom().ListSegments(t->Context(kSvc).get(), segs, &seg_out));
  teams.set_segment_id(seg_out.segments(0).id());
  cms::v1::ListTeamsResponse team_out;
  ASSERT_RPC_OK(t->bom().ListTeams(t->Context(kSvc).get(), teams, &team_out));
  std::vector<std::string> callers;
  for (int i = 0; i < 8; ++i) {
    cms::v1::AddStaffMemberRequest add;
    add.set_request_id(RandomRequestId());
    add.set_staff_id("ag.puller." + std::to_string(i));
    add.set_name("Puller");
    add.set_role(cms::v1::ROLE_CASEWORKER);
    add.set_team_id(team_out.teams(0).id());
    cms::v1::StaffMember m;
    ASSERT_RPC_OK(t->bom().AddStaffMember(t->Context(kSvc).get(), add, &m));
    callers.push_back(add.staff_id());
  }
  // 2,000 A&G SRs on 20 casegroups, raised by 8 threads.
  std::vector<cms::v1::Application> apps;
  for (int g = 0; g < 20; ++g) apps.push_back(w.Apply());
  std::mutex mu;
  std::set<int64_t> created;
  std::vector<std::thread> raisers;
  for (int r = 0; r < 8; ++r) {
    raisers.emplace_back([&, r] {
      for (int i = r; i < 2000; i += 8) {
        ServiceRequest sr = w.Raise(apps[i % apps.size()], "ADVICE_AND_GUIDANCE");
        std::lock_guard<std::mutex> lock(mu);
        created.insert(sr.id());
      }
    });
  }
  for (auto& th : raisers) th.join();
  ASSERT_EQ(created.size(), 2000u);

  std::vector<std::vector<int64_t>> got(8);
  std::atomic<int> errors{0};
  std::vector<std::thread> pullers;
  for (int c = 0; c < 8; ++c) {
    pullers.emplace_back([&, c] {
      while (true) {
        ServiceRequest sr;
        grpc::Status s = w.Next(callers[c], &sr);
        if (s.error_code() == grpc::StatusCode::NOT_FOUND) break;
        if (!s.ok()) {
          ++errors;
          continue;
        }
        got[c].push_back(sr.id());
      }
    });
  }
  for (auto& th : pullers) th.join();
  EXPECT_EQ(errors.load(), 0);
  std::set<int64_t> all;
  size_t total = 0;
  for (const auto& g : got) {
    total += g.size();
    all.insert(g.begin(), g.end());
  }
  EXPECT_EQ(total, 2000u);  // none handed out twice
  EXPECT_EQ(all, created);  // none skipped
}

TEST(WorkServiceTest, RetiringASegmentMovesItsWorkInResumableBatches) {
  // W4.6, S1.6: batches of 2; the first batch "ran before a crash".
  auto t = TestServer::Start({.bulk_move_batch = 2});
  Work w(*t);
  auto segment_of = [&](cms::v1::Country country, cms::v1::ServiceSegment service) {
    cms::v1::ListSegmentsRequest req;
    req.set_country(country);
    req.set_service_segment(service);
    cms::v1::ListSegmentsResponse out;
    EXPECT_RPC_OK(t->bom().ListSegments(t->Context(kSvc).get(), req, &out));
    return out.segments(0);
  };
  const cms::v1::Segment demo = segment_of(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  cms::v1::CreateSegmentRequest create;
  create.set_request_id(RandomRequestId());
  create.set_country(cms::v1::COUNTRY_GB);
  create.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  create.set_description("New Case North");
  create.set_code("N1");
  cms::v1::Segment north;
  ASSERT_RPC_OK(t->bom().CreateSegment(t->Context(kSvc).get(), create, &north));

  // Five casegroups with an SR each, then (as set-up) owned by North.
  std::vector<int64_t> groups;
  for (int i = 0; i < 5; ++i) {
    auto app = w.Apply();
    w.Raise(app);
    groups.push_back(app.casegroup().id());
  }
  auto run_sql = [&](const std::function<void(soci::session&)>& body) {
    ASSERT_TRUE(t->db()
                    .RunOnConnection([&](store::Tx& tx) {
                      return store::Guard([&] {
                        body(tx.session());
                        return absl::OkStatus();
                      });
                    })
                    .ok());
  };
  run_sql([&](soci::session& sql) {
    long long n = north.id(), d = demo.id();
    sql << "UPDATE casegroups SET segment_id = :n WHERE segment_id = :d", soci::use(n),
        soci::use(d);
    sql << "UPDATE service_requests SET owning_segment_id = :n WHERE owning_segment_id = :d",
        soci::use(n), soci::use(d);
  });

  // A target of another service segment is refused, changing nothing.
  cms::v1::RetireSegmentRequest retire;
  retire.set_request_id(RandomRequestId());
  retire.set_id(north.id());
  retire.set_etag(north.etag());
  retire.set_target_segment_id(
      segment_of(cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE).id());
  cms::v1::Segment out;
  EXPECT_TRUE(Refused(t->bom().RetireSegment(t->Context(kSvc).get(), retire, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.6", "INVALID_FIELDS",
                      {"target_segment_id"}));

  // One batch moves before "the crash": two casegroups, each all or nothing.
  ASSERT_TRUE(t->db()
                  .RunInTransaction([&](store::Tx& tx) {
                    return store::MoveSegmentWorkBatch(tx, north.id(), demo.id(), 2, "crashed run",
                                                       kSvc, 1)
                        .status();
                  })
                  .ok());
  // Running the retire again finishes the job.
  retire.set_target_segment_id(demo.id());
  ASSERT_RPC_OK(t->bom().RetireSegment(t->Context(kSvc).get(), retire, &out));
  EXPECT_EQ(out.status(), cms::v1::LIFECYCLE_STATUS_RETIRED);
  int audited = 0;
  for (int64_t id : groups) {
    cms::v1::GetCasegroupRequest get;
    get.set_id(id);
    cms::v1::Casegroup g;
    ASSERT_RPC_OK(t->casegroups().GetCasegroup(t->Context(kCw1).get(), get, &g));
    EXPECT_EQ(g.owning_segment_id(), demo.id());
    cms::v1::ListCasegroupMovesRequest moves_req;
    moves_req.set_casegroup_id(id);
    cms::v1::ListCasegroupMovesResponse moves;
    ASSERT_RPC_OK(t->casegroups().ListCasegroupMoves(t->Context(kCw1).get(), moves_req, &moves));
    EXPECT_EQ(moves.moves().rbegin()->rule_id(), "W4.6");
    EXPECT_EQ(moves.moves().rbegin()->from_segment_id(), north.id());
    // X13.2: the move is audited on the casegroup itself, before and after;
    // the crashed run's batch was audited too, under its own transaction.
    cms::v1::AuditEvent e = NewestAudit(*t, "casegroup", id);
    if (e.rpc() == "RetireSegment") {
      ++audited;
      EXPECT_NE(e.after_json().find(absl::StrCat("\"owning_segment_id\":\"", demo.id(), "\"")),
                std::string::npos)
          << e.after_json();
      EXPECT_NE(e.before_json().find(absl::StrCat("\"owning_segment_id\":\"", north.id(), "\"")),
                std::string::npos)
          << e.before_json();
    }
  }
  // The two casegroups of the batch run straight through the store above
  // have no RetireSegment row; every one the RPC moved has.
  EXPECT_EQ(audited, static_cast<int>(groups.size()) - 2);
  EXPECT_EQ(w.Ids(&cms::v1::WorkService::Stub::ListSegmentQueue, kSm).size(), 5u);
  cms::v1::Orphans orphans;
  ASSERT_RPC_OK(t->work().CheckOrphans(t->Context(kSvc).get(), {}, &orphans));
  EXPECT_EQ(orphans.count(), 0);
}

TEST(WorkServiceTest, SplittingASegmentByPostcodeAreaMovesThoseCasegroupsForGood) {
  // W4.6 (split) and R3.1: routing keeps a casegroup in its live segment of
  // the decided kind, so the split survives later re-routing.
  auto t = TestServer::Start({.bulk_move_batch = 1});
  cms::v1::ListSegmentsRequest list;
  list.set_country(cms::v1::COUNTRY_GB);
  list.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  cms::v1::ListSegmentsResponse segs;
  ASSERT_RPC_OK(t->bom().ListSegments(t->Context(kSvc).get(), list, &segs));
  const cms::v1::Segment demo = segs.segments(0);
  cms::v1::CreateSegmentRequest create;
  create.set_request_id(RandomRequestId());
  create.set_country(cms::v1::COUNTRY_GB);
  create.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  create.set_description("New Case North");
  create.set_code("North");
  cms::v1::Segment north;
  ASSERT_RPC_OK(t->bom().CreateSegment(t->Context(kSvc).get(), create, &north));

  std::map<std::string, cms::v1::Application> apps;
  for (const char* postcode : {"NE1 4ST", "M1 1AE", "SW1A 1AA", "ME1 1AA"}) {
    cms::v1::Application app;
    ASSERT_RPC_OK(t->casegroups().CreateApplication(
        t->Context(kCw1).get(),
        ApplicationRequest(NewPerson("Sp", postcode), NewPerson("Lt", "SW1A 2AA")), &app));
    EXPECT_EQ(app.casegroup().owning_segment_id(), demo.id());  // the oldest of its kind
    apps[postcode] = app;
  }
  cms::v1::SplitSegmentRequest split;
  split.set_request_id(RandomRequestId());
  split.set_id(demo.id());
  split.set_target_segment_id(north.id());
  split.add_postcode_areas("ne");
  split.add_postcode_areas("M");  // M1 moves; ME1 (area ME) does not
  cms::v1::SplitSegmentResponse out;
  ASSERT_RPC_OK(t->bom().SplitSegment(t->Context(kSvc).get(), split, &out));
  EXPECT_EQ(out.moved_casegroups(), 2);
  cms::v1::SplitSegmentResponse replay;
  ASSERT_RPC_OK(t->bom().SplitSegment(t->Context(kSvc).get(), split, &replay));
  EXPECT_EQ(replay.moved_casegroups(), 2);  // X13.4: the first result

  auto owner = [&](const std::string& postcode) {
    cms::v1::GetCasegroupRequest get;
    get.set_id(apps[postcode].casegroup().id());
    cms::v1::Casegroup g;
    EXPECT_RPC_OK(t->casegroups().GetCasegroup(t->Context(kSvc).get(), get, &g));
    return g.owning_segment_id();
  };
  EXPECT_EQ(owner("NE1 4ST"), north.id());
  EXPECT_EQ(owner("M1 1AE"), north.id());
  EXPECT_EQ(owner("SW1A 1AA"), demo.id());
  EXPECT_EQ(owner("ME1 1AA"), demo.id());

  // A routing fact changes for the moved casegroup: it stays in North.
  cms::v1::GetPersonRequest get;
  get.set_id(apps["NE1 4ST"].casegroup().paying_parent_id());
  cms::v1::Person pp;
  ASSERT_RPC_OK(t->casegroups().GetPerson(t->Context(kSvc).get(), get, &pp));
  cms::v1::UpdatePersonRequest update;
  update.set_request_id(RandomRequestId());
  *update.mutable_person() = pp;
  update.mutable_person()->mutable_residential_address()->set_postcode("NE2 4AA");
  // Writes need the owning segment's staff: add one to North.
  cms::v1::CreateTeamRequest team;
  team.set_request_id(RandomRequestId());
  team.set_segment_id(north.id());
  team.set_name("Team N");
  cms::v1::Team created;
  ASSERT_RPC_OK(t->bom().CreateTeam(t->Context(kSvc).get(), team, &created));
  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id("cw.north.1");
  add.set_name("North Caseworker");
  add.set_role(cms::v1::ROLE_CASEWORKER);
  add.set_team_id(created.id());
  cms::v1::StaffMember member;
  ASSERT_RPC_OK(t->bom().AddStaffMember(t->Context(kSvc).get(), add, &member));
  ASSERT_RPC_OK(t->casegroups().UpdatePerson(t->Context("cw.north.1").get(), update, &pp));
  EXPECT_EQ(owner("NE1 4ST"), north.id());
  cms::v1::ExplainRoutingRequest explain;
  explain.set_casegroup_id(apps["NE1 4ST"].casegroup().id());
  cms::v1::RoutingExplanation why;
  ASSERT_RPC_OK(t->casegroups().ExplainRouting(t->Context(kSvc).get(), explain, &why));
  EXPECT_EQ(why.target_segment_id(), north.id());
  EXPECT_EQ(why.current_segment_id(), north.id());

  cms::v1::SplitSegmentRequest bad;
  bad.set_id(demo.id());
  bad.set_target_segment_id(north.id());
  bad.add_postcode_areas("N3");
  EXPECT_TRUE(Refused(t->bom().SplitSegment(t->Context(kSvc).get(), bad, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.6", "INVALID_FIELDS",
                      {"postcode_areas"}));
}

}  // namespace
}  // namespace cms::testing

namespace cms::testing {
namespace {

// The queue of `segment_id` in `stats`, or null.
const cms::v1::SegmentQueueStats* QueueOf(const cms::v1::QueueStats& stats, int64_t segment_id) {
  for (const auto& s : stats.segments()) {
    if (s.segment_id() == segment_id) return &s;
  }
  return nullptr;
}

TEST(WorkServiceTest, W4_3_QueueStatsCountEachSegmentsQueueByAgeForWhoeverManagesIt) {
  auto t = TestServer::Start();
  Work w(*t);
  auto a = w.Apply(), b = w.Apply(), c = w.Apply(), d = w.Apply();
  ServiceRequest old1 = w.Raise(a);
  w.Raise(b, "CHANGE_INCOME", /*priority=*/true);
  w.Raise(c);
  AdvanceDays(*t, 10);
  w.Raise(d);
  AdvanceDays(*t, 25);   // three raised 35 days ago, one 25 days ago
  ServiceRequest taken;  // the priority SR leaves the queue: it is allocated
  ASSERT_RPC_OK(w.Next(kCw1, &taken));
  const int64_t segment = old1.owning_segment_id();

  cms::v1::QueueStats own;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSm).get(), {}, &own));
  ASSERT_EQ(own.segments_size(), 1);  // a segment manager reads their own segment's
  const cms::v1::SegmentQueueStats& q = own.segments(0);
  EXPECT_EQ(q.segment_id(), segment);
  EXPECT_FALSE(q.system_name().empty());
  EXPECT_EQ(q.country(), cms::v1::COUNTRY_GB);
  EXPECT_EQ(q.queued(), 3);
  EXPECT_EQ(q.queued_priority(), 0);
  EXPECT_EQ(q.aged_under_7_days(), 0);
  EXPECT_EQ(q.aged_7_to_29_days(), 1);
  EXPECT_EQ(q.aged_30_to_89_days(), 2);
  EXPECT_EQ(q.aged_90_days_or_more(), 0);
  EXPECT_EQ(q.oldest_create_time().seconds(), old1.create_time().seconds());

  // Service management reads every live segment's; the others' are empty.
  cms::v1::QueueStats all;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSvc).get(), {}, &all));
  EXPECT_GT(all.segments_size(), 10);
  const auto* same = QueueOf(all, segment);
  ASSERT_NE(same, nullptr);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*same, q));
  int64_t elsewhere = 0;
  for (const auto& s : all.segments()) elsewhere += s.segment_id() == segment ? 0 : s.queued();
  EXPECT_EQ(elsewhere, 0);
  for (int i = 1; i < all.segments_size(); ++i) {
    EXPECT_LT(all.segments(i - 1).segment_id(), all.segments(i).segment_id());
  }

  // A priority SR counts as such while queued; a team leader reads their
  // segment's too.
  w.Raise(a, "CHANGE_INCOME", /*priority=*/true);
  cms::v1::QueueStats tl;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kTl).get(), {}, &tl));
  ASSERT_EQ(tl.segments_size(), 1);
  EXPECT_EQ(tl.segments(0).queued(), 4);
  EXPECT_EQ(tl.segments(0).queued_priority(), 1);
  EXPECT_EQ(tl.segments(0).aged_under_7_days(), 1);

  // One segment's, counted by SR type too, the most first.
  w.Raise(c, "CHANGE_OF_ADDRESS");
  cms::v1::GetQueueStatsRequest one;
  one.set_segment_id(segment);
  one.set_by_type(true);
  cms::v1::QueueStats typed;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSvc).get(), one, &typed));
  ASSERT_EQ(typed.segments_size(), 1);
  EXPECT_EQ(typed.segments(0).queued(), 5);
  ASSERT_EQ(typed.segments(0).queued_by_type_size(), 2);
  EXPECT_EQ(typed.segments(0).queued_by_type(0).type_code(), "CHANGE_INCOME");
  EXPECT_EQ(typed.segments(0).queued_by_type(0).queued(), 4);
  EXPECT_EQ(typed.segments(0).queued_by_type(1).type_code(), "CHANGE_OF_ADDRESS");
  EXPECT_EQ(typed.segments(0).queued_by_type(1).queued(), 1);
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSm).get(), one, &typed));  // their own

  // A segment manager names no other segment; bad ids are named.
  cms::v1::QueueStats none;
  cms::v1::GetQueueStatsRequest other;
  for (const auto& s : all.segments()) {
    if (s.segment_id() != segment) other.set_segment_id(s.segment_id());
  }
  EXPECT_TRUE(Refused(t->work().GetQueueStats(t->Context(kSm).get(), other, &none),
                      grpc::StatusCode::PERMISSION_DENIED, "W4.3", "PERMISSION_DENIED"));
  cms::v1::GetQueueStatsRequest bad;
  bad.set_segment_id(-1);
  EXPECT_TRUE(Refused(t->work().GetQueueStats(t->Context(kSvc).get(), bad, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.3", "INVALID_FIELDS",
                      {"segment_id"}));
  bad.set_segment_id(999999);
  EXPECT_TRUE(Refused(t->work().GetQueueStats(t->Context(kSvc).get(), bad, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "", "INVALID_FIELDS", {"segment_id"}));

  // Caseworkers do not read them (the role matrix).
  EXPECT_EQ(t->work().GetQueueStats(t->Context(kCw1).get(), {}, &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(WorkServiceTest, W4_3_QueueCountsOfAScopeAreKeptForTheirMaxAge) {
  // The server's default keeps a scope's counts for a few seconds; an hour
  // here, so that nothing in the test outlives it.
  TestServerOptions options;
  options.queue_stats_max_age = absl::Hours(1);
  auto t = TestServer::Start(options);
  Work w(*t);
  auto a = w.Apply();
  w.Raise(a);
  cms::v1::QueueStats first;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSm).get(), {}, &first));
  ASSERT_EQ(first.segments_size(), 1);
  EXPECT_EQ(first.segments(0).queued(), 1);

  // Another SR queues; whoever reads the same scope (the segment's team
  // leader too) is given the kept counts, as_of when they were made.
  w.Raise(a);
  cms::v1::QueueStats kept;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kTl).get(), {}, &kept));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(kept, first));

  // Another scope is counted for itself: by type, or every segment.
  cms::v1::GetQueueStatsRequest typed;
  typed.set_by_type(true);
  cms::v1::QueueStats by_type;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSm).get(), typed, &by_type));
  EXPECT_EQ(by_type.segments(0).queued(), 2);
  cms::v1::QueueStats every;
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSvc).get(), {}, &every));
  const auto* same = QueueOf(every, first.segments(0).segment_id());
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->queued(), 2);

  // Who may read a scope is checked before anything kept is given.
  cms::v1::GetQueueStatsRequest other;
  for (const auto& s : every.segments()) {
    if (s.segment_id() != first.segments(0).segment_id()) other.set_segment_id(s.segment_id());
  }
  ASSERT_RPC_OK(t->work().GetQueueStats(t->Context(kSvc).get(), other, &kept));
  EXPECT_TRUE(Refused(t->work().GetQueueStats(t->Context(kSm).get(), other, &kept),
                      grpc::StatusCode::PERMISSION_DENIED, "W4.3", "PERMISSION_DENIED"));
}

TEST(WorkServiceTest, W4_4_TeamLoadCountsEachMembersOpenWorkForWhoeverManagesTheTeam) {
  auto t = TestServer::Start();
  Work w(*t);
  auto a = w.Apply(), b = w.Apply(), c = w.Apply(), d = w.Apply();
  ServiceRequest oldest = w.Raise(a);
  w.Raise(b, "CHANGE_INCOME", /*priority=*/true);
  w.Raise(c);
  w.Raise(d);
  ServiceRequest taken[3];  // priority first, then oldest: b, a, c
  for (ServiceRequest& sr : taken) ASSERT_RPC_OK(w.Next(kCw1, &sr));
  ASSERT_EQ(taken[1].id(), oldest.id());
  ServiceRequest led;  // a team leader may take work too: d
  ASSERT_RPC_OK(w.Next(kTl, &led));
  // A closed SR is no load: c is cancelled.
  cms::v1::ChangeServiceRequestStatusRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_id(taken[2].id());
  cancel.set_etag(taken[2].etag());
  cancel.set_status(cms::v1::SR_STATUS_CANCELLED);
  ServiceRequest cancelled;
  ASSERT_RPC_OK(
      t->service_requests().ChangeServiceRequestStatus(t->Context(kCw1).get(), cancel, &cancelled));

  // The team leader reads their own team's (team_id 0): every active
  // caseworker, the one holding nothing too, and the leader who holds work.
  cms::v1::TeamLoad load;
  ASSERT_RPC_OK(t->work().GetTeamLoad(t->Context(kTl).get(), {}, &load));
  EXPECT_GT(load.team_id(), 0);
  EXPECT_EQ(load.load_limit(), 50);
  EXPECT_GT(load.as_of().seconds(), 0);
  ASSERT_EQ(load.members_size(), 3);
  const cms::v1::MemberLoad& cw1 = load.members(0);
  EXPECT_EQ(cw1.staff_id(), kCw1);
  EXPECT_EQ(cw1.role(), cms::v1::ROLE_CASEWORKER);
  EXPECT_EQ(cw1.open(), 2);
  EXPECT_EQ(cw1.open_priority(), 1);
  EXPECT_EQ(cw1.oldest_create_time().seconds(), oldest.create_time().seconds());
  EXPECT_EQ(load.members(1).staff_id(), kCw2);
  EXPECT_EQ(load.members(1).open(), 0);
  EXPECT_FALSE(load.members(1).has_oldest_create_time());
  EXPECT_EQ(load.members(2).staff_id(), kTl);
  EXPECT_EQ(load.members(2).role(), cms::v1::ROLE_TEAM_LEADER);
  EXPECT_EQ(load.members(2).open(), 1);

  // The segment's manager and service management read it by team id, the
  // same counts.
  cms::v1::GetTeamLoadRequest named;
  named.set_team_id(load.team_id());
  for (const char* reader : {kSm, kSvc}) {
    cms::v1::TeamLoad same;
    ASSERT_RPC_OK(t->work().GetTeamLoad(t->Context(reader).get(), named, &same));
    same.clear_as_of();
    cms::v1::TeamLoad expected = load;
    expected.clear_as_of();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(same, expected)) << reader;
  }

  // Refused: another team's leader, another segment's manager, caseworkers
  // (the role matrix); a manager who names no team; bad ids, named.
  cms::v1::TeamLoad none;
  EXPECT_TRUE(Refused(t->work().GetTeamLoad(t->Context("tl.gb.new_case.b").get(), named, &none),
                      grpc::StatusCode::PERMISSION_DENIED, "W4.4", "PERMISSION_DENIED"));
  EXPECT_TRUE(Refused(t->work().GetTeamLoad(t->Context("sm.gb.maintenance").get(), named, &none),
                      grpc::StatusCode::PERMISSION_DENIED, "W4.4", "PERMISSION_DENIED"));
  EXPECT_EQ(t->work().GetTeamLoad(t->Context(kCw1).get(), named, &none).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Refused(t->work().GetTeamLoad(t->Context(kSm).get(), {}, &none),
                      grpc::StatusCode::FAILED_PRECONDITION, "W4.4", "RULE_VIOLATION"));
  cms::v1::GetTeamLoadRequest bad;
  bad.set_team_id(-1);
  EXPECT_TRUE(Refused(t->work().GetTeamLoad(t->Context(kSvc).get(), bad, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.4", "INVALID_FIELDS", {"team_id"}));
  bad.set_team_id(999999);
  EXPECT_TRUE(Refused(t->work().GetTeamLoad(t->Context(kSvc).get(), bad, &none),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.4", "INVALID_FIELDS", {"team_id"}));
}

}  // namespace
}  // namespace cms::testing
