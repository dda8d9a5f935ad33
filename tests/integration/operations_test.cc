// Long-running bulk moves (W4.6, S1.6; issue 13 defect 5): StartRetireSegment
// and StartSplitSegment validate at once and return a RUNNING Operation; the
// BULK_MOVE timer moves one batch per firing (audited, X13.2) until the
// retire or split completes; a restart resumes; CancelOperation stops it
// before its next batch; a retry with the request id returns the same
// operation (X13.4); a batch that keeps failing FAILS it once the sweeper
// gives up on its timer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "server/app/bom.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/store/timer_repo.h"
#include "soci/soci.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

constexpr char kCw1[] = "cw.gb.new_case.a1";
constexpr char kSvc[] = "svc.manager";
// Long enough that the server's own sweeper never fires during a test, so
// the test fires each batch itself and sees every step.
constexpr absl::Duration kNoSweeping = absl::Hours(1);

struct Fixture {
  cms::v1::Segment demo;   // GB NEW_CASE of the demo BOM (teams, staff)
  cms::v1::Segment north;  // GB NEW_CASE with no teams, owning the work
  std::vector<int64_t> groups;
};

cms::v1::Segment SegmentOf(TestServer& t, cms::v1::Country country,
                           cms::v1::ServiceSegment service) {
  cms::v1::ListSegmentsRequest req;
  req.set_country(country);
  req.set_service_segment(service);
  cms::v1::ListSegmentsResponse out;
  EXPECT_RPC_OK(t.bom().ListSegments(t.Context(kSvc).get(), req, &out));
  return out.segments(0);
}

// `n` casegroups with an open SR each, owned by a new segment "North".
Fixture NorthOwningWork(TestServer& t, int n) {
  Fixture f;
  f.demo = SegmentOf(t, cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  cms::v1::CreateSegmentRequest create;
  create.set_request_id(RandomRequestId());
  create.set_country(cms::v1::COUNTRY_GB);
  create.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  create.set_description("New Case North");
  create.set_code("N1");
  EXPECT_RPC_OK(t.bom().CreateSegment(t.Context(kSvc).get(), create, &f.north));
  for (int i = 0; i < n; ++i) {
    cms::v1::Application app;
    EXPECT_RPC_OK(t.casegroups().CreateApplication(
        t.Context(kCw1).get(),
        ApplicationRequest(NewPerson("Oa", "SW1A 1AA"), NewPerson("Ob", "SW1A 2AA")), &app));
    cms::v1::CreateServiceRequestRequest sr;
    sr.set_request_id(RandomRequestId());
    sr.set_type_code("CHANGE_INCOME");
    sr.set_casegroup_id(app.casegroup().id());
    sr.set_case_id(app.case_().id());
    sr.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    cms::v1::CreateServiceRequestResponse created;
    EXPECT_RPC_OK(t.service_requests().CreateServiceRequest(t.Context(kCw1).get(), sr, &created));
    f.groups.push_back(app.casegroup().id());
  }
  // Set-up only: hand the work to North behind the API's back.
  EXPECT_TRUE(t.db()
                  .RunOnConnection([&](store::Tx& tx) {
                    return store::Guard([&] {
                      long long north = f.north.id(), demo = f.demo.id();
                      tx.session() << "UPDATE casegroups SET segment_id = :n WHERE segment_id = :d",
                          soci::use(north), soci::use(demo);
                      tx.session() << "UPDATE service_requests SET owning_segment_id = :n WHERE "
                                      "owning_segment_id = :d",
                          soci::use(north), soci::use(demo);
                      return absl::OkStatus();
                    });
                  })
                  .ok());
  return f;
}

cms::v1::StartRetireSegmentRequest RetireNorth(const Fixture& f) {
  cms::v1::StartRetireSegmentRequest req;
  req.set_request_id(RandomRequestId());
  req.set_id(f.north.id());
  req.set_etag(f.north.etag());
  req.set_target_segment_id(f.demo.id());
  return req;
}

// One firing of one due BULK_MOVE timer, as a sweeper runs it (claim, act,
// mark fired, one transaction); false when none was due.
bool FireOneBatch(TestServer& t, int batch_size) {
  auto clock = app::BusinessClock::Create(/*test_mode=*/true);
  EXPECT_TRUE(clock.ok());
  app::Commands commands(t.db(), *clock);
  app::BomApp bom(commands, batch_size);
  bool fired = false;
  cms::v1::GetOperationRequest unused_in;
  cms::v1::Operation unused_out;
  absl::Status s =
      commands.Run(app::Actor::System(), "FireTimers", unused_in, "", &unused_out,
                   [&](app::Command& c) -> absl::Status {
                     auto due = store::ClaimDueTimers(c.tx(), {app::kBulkMoveTimer}, c.now_us(), 1);
                     if (!due.ok()) return due.status();
                     if (due->empty()) return absl::OkStatus();
                     fired = true;
                     if (absl::Status acted = bom.RunBulkMoveBatch(c, (*due)[0]); !acted.ok())
                       return acted;
                     return store::MarkTimersFired(c.tx(), {(*due)[0].id}, c.now_us());
                   });
  EXPECT_TRUE(s.ok()) << s;
  return fired;
}

cms::v1::Operation Get(TestServer& t, const std::string& name) {
  cms::v1::GetOperationRequest req;
  req.set_name(name);
  cms::v1::Operation out;
  EXPECT_RPC_OK(t.bom().GetOperation(t.Context(kSvc).get(), req, &out));
  return out;
}

// Polls until the operation is done (the server's own sweeper running it).
cms::v1::Operation WaitDone(TestServer& t, const std::string& name) {
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  cms::v1::Operation op;
  do {
    op = Get(t, name);
    if (op.done()) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < deadline);
  EXPECT_TRUE(op.done()) << op.DebugString();
  return op;
}

int64_t OwnerOf(TestServer& t, int64_t casegroup_id) {
  cms::v1::GetCasegroupRequest get;
  get.set_id(casegroup_id);
  cms::v1::Casegroup g;
  EXPECT_RPC_OK(t.casegroups().GetCasegroup(t.Context(kSvc).get(), get, &g));
  return g.owning_segment_id();
}

cms::v1::AuditEvent NewestAudit(TestServer& t, const std::string& type, const std::string& id) {
  cms::v1::ListAuditEventsRequest req;
  req.set_entity_type(type);
  req.set_entity_id(id);
  req.set_page_size(1);
  cms::v1::ListAuditEventsResponse out;
  EXPECT_RPC_OK(t.admin().ListAuditEvents(t.Context(kSvc).get(), req, &out));
  return out.events().empty() ? cms::v1::AuditEvent() : out.events(0);
}

std::string IdOf(const cms::v1::Operation& op) {
  return op.name().substr(std::string("operations/").size());
}

TEST(OperationsTest, RetireReturnsRunningAtOnceThenMovesABatchPerFiringAndSucceeds) {
  // W4.6, S1.6, X13.2: batches of 2 over 5 casegroups.
  auto t = TestServer::Start({.bulk_move_batch = 2, .sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*t, 5);
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &op));
  EXPECT_EQ(op.state(), cms::v1::OPERATION_STATE_RUNNING);
  EXPECT_FALSE(op.done());
  EXPECT_EQ(op.kind(), cms::v1::OPERATION_KIND_RETIRE_SEGMENT);
  EXPECT_EQ(op.moved_items(), 0);
  EXPECT_EQ(op.total_items(), 5);  // counted at the start
  EXPECT_EQ(op.created_by(), kSvc);
  EXPECT_EQ(op.retire_segment_request().target_segment_id(), f.demo.id());
  EXPECT_TRUE(op.name().rfind("operations/", 0) == 0) << op.name();
  EXPECT_EQ(NewestAudit(*t, "operation", IdOf(op)).rpc(), "StartRetireSegment");

  // Each firing moves one batch and records it in the progress.
  for (int64_t want : {2, 4, 5}) {
    ASSERT_TRUE(FireOneBatch(*t, 2));
    cms::v1::Operation now = Get(*t, op.name());
    EXPECT_EQ(now.state(), cms::v1::OPERATION_STATE_RUNNING);
    EXPECT_EQ(now.moved_items(), want);
    EXPECT_EQ(now.total_items(), 5);
  }
  // The next finds nothing left: the segment retires and the operation
  // succeeds with it.
  ASSERT_TRUE(FireOneBatch(*t, 2));
  cms::v1::Operation done = Get(*t, op.name());
  EXPECT_EQ(done.state(), cms::v1::OPERATION_STATE_SUCCEEDED);
  EXPECT_TRUE(done.done());
  EXPECT_EQ(done.moved_items(), 5);
  EXPECT_EQ(done.total_items(), 5);
  ASSERT_TRUE(done.has_retired_segment());
  EXPECT_EQ(done.retired_segment().status(), cms::v1::LIFECYCLE_STATUS_RETIRED);
  EXPECT_FALSE(FireOneBatch(*t, 2));  // no timer left

  for (int64_t id : f.groups) {
    EXPECT_EQ(OwnerOf(*t, id), f.demo.id());
    cms::v1::ListCasegroupMovesRequest moves_req;
    moves_req.set_casegroup_id(id);
    cms::v1::ListCasegroupMovesResponse moves;
    ASSERT_RPC_OK(t->casegroups().ListCasegroupMoves(t->Context(kSvc).get(), moves_req, &moves));
    EXPECT_EQ(moves.moves().rbegin()->rule_id(), "W4.6");
    // X13.2: each casegroup's move is audited, before and after.
    cms::v1::AuditEvent e = NewestAudit(*t, "casegroup", absl::StrCat(id));
    EXPECT_NE(e.before_json().find(absl::StrCat("\"owning_segment_id\":\"", f.north.id(), "\"")),
              std::string::npos)
        << e.before_json();
    EXPECT_NE(e.after_json().find(absl::StrCat("\"owning_segment_id\":\"", f.demo.id(), "\"")),
              std::string::npos)
        << e.after_json();
  }
  cms::v1::AuditEvent finished = NewestAudit(*t, "operation", IdOf(op));
  EXPECT_NE(finished.after_json().find("SUCCEEDED"), std::string::npos) << finished.after_json();
  cms::v1::Orphans orphans;
  ASSERT_RPC_OK(t->work().CheckOrphans(t->Context(kSvc).get(), {}, &orphans));
  EXPECT_EQ(orphans.count(), 0);
}

TEST(OperationsTest, TheServersOwnSweeperFinishesIt) {
  // W4.6: nobody fires anything by hand; the replica's sweeper runs the
  // batches back to back.
  auto t = TestServer::Start({.bulk_move_batch = 2});
  Fixture f = NorthOwningWork(*t, 5);
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &op));
  cms::v1::Operation done = WaitDone(*t, op.name());
  EXPECT_EQ(done.state(), cms::v1::OPERATION_STATE_SUCCEEDED);
  EXPECT_EQ(done.moved_items(), 5);
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*t, id), f.demo.id());
}

TEST(OperationsTest, ARestartedServerResumesTheOperation) {
  // W4.6: the operation and its next batch are rows, so a server stopped
  // mid-way leaves it for the next one (any replica).
  auto first = TestServer::Start({.bulk_move_batch = 2, .sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*first, 5);
  cms::v1::Operation op;
  ASSERT_RPC_OK(first->bom().StartRetireSegment(first->Context(kSvc).get(), RetireNorth(f), &op));
  ASSERT_TRUE(FireOneBatch(*first, 2));
  EXPECT_EQ(Get(*first, op.name()).moved_items(), 2);
  first->StopServing();

  auto second = TestServer::Start({.bulk_move_batch = 2, .reuse_db_uri = first->db_uri()});
  cms::v1::Operation done = WaitDone(*second, op.name());
  EXPECT_EQ(done.state(), cms::v1::OPERATION_STATE_SUCCEEDED);
  EXPECT_EQ(done.moved_items(), 5);
  EXPECT_EQ(done.total_items(), 5);
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*second, id), f.demo.id());
  second.reset();  // before `first` drops the database
}

TEST(OperationsTest, CancelStopsBeforeTheNextBatchAndKeepsWhatMoved) {
  // W4.6, X13.2
  auto t = TestServer::Start({.bulk_move_batch = 2, .sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*t, 5);
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &op));
  ASSERT_TRUE(FireOneBatch(*t, 2));

  cms::v1::CancelOperationRequest cancel;
  cancel.set_request_id(RandomRequestId());
  cancel.set_name(op.name());
  // X13.1: only service management.
  cms::v1::Operation out;
  EXPECT_EQ(t->bom().CancelOperation(t->Context(kCw1).get(), cancel, &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_RPC_OK(t->bom().CancelOperation(t->Context(kSvc).get(), cancel, &out));
  EXPECT_EQ(out.state(), cms::v1::OPERATION_STATE_CANCELLED);
  EXPECT_TRUE(out.done());
  EXPECT_EQ(out.cancelled_by(), kSvc);
  EXPECT_EQ(out.moved_items(), 2);
  EXPECT_EQ(NewestAudit(*t, "operation", IdOf(op)).rpc(), "CancelOperation");

  // The pending firing finds it cancelled and does nothing.
  EXPECT_TRUE(FireOneBatch(*t, 2));
  EXPECT_FALSE(FireOneBatch(*t, 2));
  EXPECT_EQ(Get(*t, op.name()).moved_items(), 2);
  int moved = 0;
  for (int64_t id : f.groups) moved += OwnerOf(*t, id) == f.demo.id() ? 1 : 0;
  EXPECT_EQ(moved, 2);  // what moved stays moved
  cms::v1::GetSegmentRequest get;
  get.set_id(f.north.id());
  cms::v1::Segment north;
  ASSERT_RPC_OK(t->bom().GetSegment(t->Context(kSvc).get(), get, &north));
  EXPECT_EQ(north.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);

  // An ended operation cannot be cancelled; the replay still answers.
  cms::v1::Operation replay;
  ASSERT_RPC_OK(t->bom().CancelOperation(t->Context(kSvc).get(), cancel, &replay));
  EXPECT_EQ(replay.state(), cms::v1::OPERATION_STATE_CANCELLED);
  cancel.set_request_id(RandomRequestId());
  EXPECT_TRUE(Refused(t->bom().CancelOperation(t->Context(kSvc).get(), cancel, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "W4.6", "RULE_VIOLATION"));
}

TEST(OperationsTest, RefusalsAreAnsweredAtOnceAndStartNothing) {
  // S1.6, W4.6: the same refusals as the synchronous calls, before anything
  // moves and without an operation.
  auto t = TestServer::Start({.sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*t, 2);
  cms::v1::Operation out;
  cms::v1::StartRetireSegmentRequest req = RetireNorth(f);
  req.set_target_segment_id(
      SegmentOf(*t, cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_MAINTENANCE).id());
  EXPECT_TRUE(Refused(t->bom().StartRetireSegment(t->Context(kSvc).get(), req, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.6", "INVALID_FIELDS",
                      {"target_segment_id"}));
  req = RetireNorth(f);
  req.set_target_segment_id(0);
  EXPECT_TRUE(Refused(t->bom().StartRetireSegment(t->Context(kSvc).get(), req, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  // The demo segment still has teams and staff (S1.6).
  cms::v1::StartRetireSegmentRequest demo;
  demo.set_request_id(RandomRequestId());
  demo.set_id(f.demo.id());
  demo.set_etag(f.demo.etag());
  demo.set_target_segment_id(f.north.id());
  EXPECT_TRUE(Refused(t->bom().StartRetireSegment(t->Context(kSvc).get(), demo, &out),
                      grpc::StatusCode::FAILED_PRECONDITION, "S1.6", "RULE_VIOLATION"));
  cms::v1::StartSplitSegmentRequest split;
  split.set_request_id(RandomRequestId());
  split.set_id(f.north.id());
  split.set_target_segment_id(f.demo.id());
  split.add_postcode_areas("N3");
  EXPECT_TRUE(Refused(t->bom().StartSplitSegment(t->Context(kSvc).get(), split, &out),
                      grpc::StatusCode::INVALID_ARGUMENT, "W4.6", "INVALID_FIELDS",
                      {"postcode_areas"}));
  // X13.3: a stale etag (the segment renamed since it was read).
  cms::v1::RenameSegmentRequest rename;
  rename.set_request_id(RandomRequestId());
  rename.set_id(f.north.id());
  rename.set_etag(f.north.etag());
  rename.set_description("New Case North East");
  rename.set_code("NE1");
  cms::v1::Segment renamed;
  ASSERT_RPC_OK(t->bom().RenameSegment(t->Context(kSvc).get(), rename, &renamed));
  EXPECT_EQ(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &out).error_code(),
            grpc::StatusCode::ABORTED);
  cms::v1::ListOperationsResponse ops;
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), {}, &ops));
  EXPECT_EQ(ops.operations_size(), 0);
  EXPECT_FALSE(FireOneBatch(*t, 2));
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*t, id), f.north.id());
}

TEST(OperationsTest, ARetryWithTheRequestIdReturnsTheSameOperation) {
  // X13.4: as it is now, not as it was first answered.
  auto t = TestServer::Start({.bulk_move_batch = 2, .sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*t, 3);
  const cms::v1::StartRetireSegmentRequest req = RetireNorth(f);
  cms::v1::Operation first, again;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), req, &first));
  ASSERT_TRUE(FireOneBatch(*t, 2));
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), req, &again));
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.moved_items(), 2);
  cms::v1::ListOperationsResponse ops;
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), {}, &ops));
  ASSERT_EQ(ops.operations_size(), 1);
  EXPECT_EQ(ops.operations(0).name(), first.name());
}

TEST(OperationsTest, AnOperationWhoseRetireIsRefusedAtTheEndFailsNamingTheRule) {
  // S1.6: a team added to the segment while its work moved stops the retire;
  // the work stays moved and the operation FAILS with the refusal.
  auto t = TestServer::Start({.bulk_move_batch = 2, .sweep_interval = kNoSweeping});
  Fixture f = NorthOwningWork(*t, 2);
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &op));
  ASSERT_TRUE(FireOneBatch(*t, 2));
  cms::v1::CreateTeamRequest team;
  team.set_request_id(RandomRequestId());
  team.set_segment_id(f.north.id());
  team.set_name("Late Team");
  cms::v1::Team created;
  ASSERT_RPC_OK(t->bom().CreateTeam(t->Context(kSvc).get(), team, &created));
  cms::v1::AddStaffMemberRequest add;
  add.set_request_id(RandomRequestId());
  add.set_staff_id("cw.north.late");
  add.set_name("Late Caseworker");
  add.set_role(cms::v1::ROLE_CASEWORKER);
  add.set_team_id(created.id());
  cms::v1::StaffMember member;
  ASSERT_RPC_OK(t->bom().AddStaffMember(t->Context(kSvc).get(), add, &member));
  ASSERT_TRUE(FireOneBatch(*t, 2));
  cms::v1::Operation failed = Get(*t, op.name());
  EXPECT_EQ(failed.state(), cms::v1::OPERATION_STATE_FAILED);
  EXPECT_EQ(failed.error().code(), static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(failed.error().rule_id(), "S1.6");
  EXPECT_EQ(failed.moved_items(), 2);
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*t, id), f.demo.id());
}

// Runs `sql` on the test's database behind the API's back.
void Execute(TestServer& t, const std::string& sql) {
  absl::Status s = t.db().RunOnConnection([&](store::Tx& tx) {
    return store::Guard([&] {
      tx.session() << sql;
      return absl::OkStatus();
    });
  });
  ASSERT_TRUE(s.ok()) << sql << ": " << s;
}

TEST(OperationsTest, ABatchThatKeepsFailingFailsTheOperationWhenTheSweeperGivesUp) {
  // W4.6, T8.2 (issue 13): a firing that fails every time (here the table
  // each move is recorded in is gone, so the sweep transaction fails) is
  // retried with backoff, and when the sweeper gives up on its timer the
  // operation FAILS with the last error instead of staying RUNNING for ever.
  auto t = TestServer::Start(
      {.bulk_move_batch = 2, .sweep_interval = absl::Milliseconds(50), .timer_max_attempts = 2});
  Fixture f = NorthOwningWork(*t, 3);
  Execute(*t, "RENAME TABLE casegroup_moves TO casegroup_moves_away");
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), RetireNorth(f), &op));
  cms::v1::Operation failed = WaitDone(*t, op.name());
  Execute(*t, "RENAME TABLE casegroup_moves_away TO casegroup_moves");

  EXPECT_EQ(failed.state(), cms::v1::OPERATION_STATE_FAILED);
  EXPECT_EQ(failed.error().rule_id(), "W4.6");
  EXPECT_NE(failed.error().code(), 0);
  EXPECT_NE(failed.error().message().find("failed 2 times"), std::string::npos)
      << failed.error().message();
  EXPECT_NE(failed.error().message().find("casegroup_moves"), std::string::npos)
      << failed.error().message();
  // Each failed firing rolled back whole: nothing moved, nothing retired.
  EXPECT_EQ(failed.moved_items(), 0);
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*t, id), f.north.id());
  cms::v1::GetSegmentRequest get;
  get.set_id(f.north.id());
  cms::v1::Segment north;
  ASSERT_RPC_OK(t->bom().GetSegment(t->Context(kSvc).get(), get, &north));
  EXPECT_EQ(north.status(), cms::v1::LIFECYCLE_STATUS_ACTIVE);
  // X13.2: the failure is audited; the timer is counted FAILED (T8.2).
  cms::v1::AuditEvent audited = NewestAudit(*t, "operation", IdOf(op));
  EXPECT_EQ(audited.rpc(), "FireTimers");
  EXPECT_NE(audited.after_json().find("FAILED"), std::string::npos) << audited.after_json();
  cms::v1::TimerStats stats;
  ASSERT_RPC_OK(t->admin().GetTimerStats(t->Context(kSvc).get(), {}, &stats));
  EXPECT_EQ(stats.failed(), 1);
  cms::v1::ListOperationsRequest list;
  list.set_state(cms::v1::OPERATION_STATE_FAILED);
  cms::v1::ListOperationsResponse listed;
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), list, &listed));
  ASSERT_EQ(listed.operations_size(), 1);
  EXPECT_EQ(listed.operations(0).name(), op.name());

  // Started again once the fault is gone, it runs to the end.
  cms::v1::StartRetireSegmentRequest again = RetireNorth(f);
  cms::v1::Operation second;
  ASSERT_RPC_OK(t->bom().StartRetireSegment(t->Context(kSvc).get(), again, &second));
  EXPECT_EQ(WaitDone(*t, second.name()).state(), cms::v1::OPERATION_STATE_SUCCEEDED);
  for (int64_t id : f.groups) EXPECT_EQ(OwnerOf(*t, id), f.demo.id());
}

TEST(OperationsTest, SplitRunsAsAnOperationAndListsNewestFirst) {
  // W4.6 (split): the result is the SplitSegmentResponse.
  auto t = TestServer::Start({.bulk_move_batch = 1});
  const cms::v1::Segment demo =
      SegmentOf(*t, cms::v1::COUNTRY_GB, cms::v1::SERVICE_SEGMENT_NEW_CASE);
  cms::v1::CreateSegmentRequest create;
  create.set_request_id(RandomRequestId());
  create.set_country(cms::v1::COUNTRY_GB);
  create.set_service_segment(cms::v1::SERVICE_SEGMENT_NEW_CASE);
  create.set_description("New Case North");
  create.set_code("North");
  cms::v1::Segment north;
  ASSERT_RPC_OK(t->bom().CreateSegment(t->Context(kSvc).get(), create, &north));
  for (const char* postcode : {"NE1 4ST", "M1 1AE", "ME1 1AA"}) {
    cms::v1::Application app;
    ASSERT_RPC_OK(t->casegroups().CreateApplication(
        t->Context(kCw1).get(),
        ApplicationRequest(NewPerson("Sp", postcode), NewPerson("Lt", "SW1A 2AA")), &app));
  }
  cms::v1::StartSplitSegmentRequest split;
  split.set_request_id(RandomRequestId());
  split.set_id(demo.id());
  split.set_target_segment_id(north.id());
  split.add_postcode_areas("NE");
  split.add_postcode_areas("M");
  cms::v1::Operation op;
  ASSERT_RPC_OK(t->bom().StartSplitSegment(t->Context(kSvc).get(), split, &op));
  EXPECT_EQ(op.kind(), cms::v1::OPERATION_KIND_SPLIT_SEGMENT);
  EXPECT_EQ(op.total_items(), 2);
  cms::v1::Operation done = WaitDone(*t, op.name());
  EXPECT_EQ(done.state(), cms::v1::OPERATION_STATE_SUCCEEDED);
  EXPECT_EQ(done.split_segment_response().moved_casegroups(), 2);

  split.set_request_id(RandomRequestId());
  split.clear_postcode_areas();
  split.add_postcode_areas("ME");
  cms::v1::Operation second;
  ASSERT_RPC_OK(t->bom().StartSplitSegment(t->Context(kSvc).get(), split, &second));
  WaitDone(*t, second.name());
  cms::v1::ListOperationsRequest list;
  list.set_page_size(1);
  cms::v1::ListOperationsResponse page;
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), list, &page));
  ASSERT_EQ(page.operations_size(), 1);
  EXPECT_EQ(page.operations(0).name(), second.name());
  list.set_page_token(page.next_page_token());
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), list, &page));
  ASSERT_EQ(page.operations_size(), 1);
  EXPECT_EQ(page.operations(0).name(), op.name());
  list.clear_page_token();
  list.set_state(cms::v1::OPERATION_STATE_RUNNING);
  ASSERT_RPC_OK(t->bom().ListOperations(t->Context(kSvc).get(), list, &page));
  EXPECT_EQ(page.operations_size(), 0);
}

}  // namespace
}  // namespace cms::testing
