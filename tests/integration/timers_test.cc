// Durable timers in one in-process server (T8.1, T8.2): a test-clock
// advance wakes a WAIT SR (SR5.9) and raises an activity alarm (SR5.3);
// stale timers do nothing; GetTimerStats reports the backlog; failing
// actions back off; periodic jobs (T8.3) run once per period.
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "server/app/clock.h"
#include "server/app/commands.h"
#include "server/jobs/periodic.h"
#include "server/jobs/sweeper.h"
#include "server/store/timer_repo.h"
#include "soci/soci.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/rpc_assertions.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

using cms::v1::ServiceRequest;
using google::protobuf::util::TimeUtil;

constexpr char kCw[] = "cw.gb.new_case.a1";
constexpr char kTl[] = "tl.gb.new_case.a";
constexpr char kSvc[] = "svc.manager";

class TimersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = TestServer::Start().release(); }
  static void TearDownTestSuite() { delete server_; }

  ServiceRequest NewArrearsReview() {
    cms::v1::Application app;
    EXPECT_RPC_OK(server_->casegroups().CreateApplication(
        server_->Context(kCw).get(),
        ApplicationRequest(NewPerson("Tim", "NE1 4ST"), NewPerson("Tia", "NE1 4ST")), &app));
    cms::v1::CreateServiceRequestRequest req;
    req.set_request_id(RandomRequestId());
    req.set_type_code("ARREARS_REVIEW");
    req.set_casegroup_id(app.casegroup().id());
    req.set_case_id(app.case_().id());
    req.set_source(cms::v1::SR_SOURCE_CASEWORKER);
    (*req.mutable_fields())["Reason"] = "Arrears Routing Logic";
    cms::v1::CreateServiceRequestResponse out;
    EXPECT_RPC_OK(
        server_->service_requests().CreateServiceRequest(server_->Context(kCw).get(), req, &out));
    return out.service_request();
  }

  grpc::Status Move(ServiceRequest& sr, cms::v1::SrStatus to, int wait_days = 0) {
    cms::v1::ChangeServiceRequestStatusRequest req;
    req.set_request_id(RandomRequestId());
    req.set_id(sr.id());
    req.set_etag(sr.etag());
    req.set_status(to);
    req.set_wait_days(wait_days);
    return server_->service_requests().ChangeServiceRequestStatus(server_->Context(kCw).get(), req,
                                                                  &sr);
  }

  static void Advance(int days) {
    cms::v1::AdvanceClockRequest req;
    *req.mutable_by() = TimeUtil::SecondsToDuration(int64_t{days} * 24 * 3600);
    cms::v1::Clock clock;
    ASSERT_RPC_OK(server_->admin().AdvanceClock(server_->Context(kSvc).get(), req, &clock));
  }

  static ServiceRequest Get(int64_t id) {
    cms::v1::GetServiceRequestRequest req;
    req.set_id(id);
    ServiceRequest sr;
    EXPECT_RPC_OK(
        server_->service_requests().GetServiceRequest(server_->Context(kCw).get(), req, &sr));
    return sr;
  }

  // Polls until `done` (the sweeper runs on its own thread); 10 s at most.
  static bool Eventually(const std::function<bool()>& done) {
    for (absl::Time end = absl::Now() + absl::Seconds(10); absl::Now() < end;) {
      if (done()) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return done();
  }

  static cms::v1::TimerStats Stats() {
    cms::v1::TimerStats stats;
    EXPECT_RPC_OK(server_->admin().GetTimerStats(server_->Context(kSvc).get(), {}, &stats));
    return stats;
  }

  static TestServer* server_;
};

TestServer* TimersTest::server_ = nullptr;

TEST_F(TimersTest, ClockAdvanceOfFourteenDaysWakesASevenDayWait) {
  // SR5.9, T8.1, T8.2
  ServiceRequest sr = NewArrearsReview();
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, 7));
  Advance(14);
  ASSERT_TRUE(Eventually([&] { return Get(sr.id()).status() == cms::v1::SR_STATUS_IN_PROGRESS; }));
  const ServiceRequest woken = Get(sr.id());
  EXPECT_FALSE(woken.has_wake_date());

  cms::v1::ListNotesRequest notes_req;
  notes_req.set_subject(cms::v1::NOTE_SUBJECT_SERVICE_REQUEST);
  notes_req.set_subject_id(sr.id());
  cms::v1::ListNotesResponse notes;
  ASSERT_RPC_OK(
      server_->service_requests().ListNotes(server_->Context(kCw).get(), notes_req, &notes));
  ASSERT_EQ(notes.notes_size(), 1);
  EXPECT_EQ(notes.notes(0).author(), "system");
  EXPECT_TRUE(absl::StrContains(notes.notes(0).text(), "Wait period ended"));

  // X13.2: the wake-up is audited as the system's change.
  cms::v1::ListAuditEventsRequest audit_req;
  audit_req.set_entity_type("service_request");
  audit_req.set_entity_id(absl::StrCat(sr.id()));
  cms::v1::ListAuditEventsResponse audit;
  ASSERT_RPC_OK(server_->admin().ListAuditEvents(server_->Context(kSvc).get(), audit_req, &audit));
  ASSERT_FALSE(audit.events().empty());
  EXPECT_EQ(audit.events(0).actor(), "system");
  EXPECT_EQ(audit.events(0).rpc(), "FireTimers");
}

TEST_F(TimersTest, LeavingWaitEarlyMakesTheTimerANoOp) {
  // SR5.9: the stale timer fires but changes nothing.
  ServiceRequest sr = NewArrearsReview();
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_WAIT, 7));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));
  const std::string etag = sr.etag();
  Advance(14);
  ASSERT_TRUE(Eventually([] { return Stats().overdue() == 0; }));
  EXPECT_EQ(Get(sr.id()).etag(), etag);
}

TEST_F(TimersTest, AlarmedPromptPutsAReminderOnMyWork) {
  // SR5.3 alarm: the reminder shows on the activity and in "my work".
  ServiceRequest sr = NewArrearsReview();
  cms::v1::AllocateWorkRequest alloc;
  alloc.set_request_id(RandomRequestId());
  alloc.set_service_request_id(sr.id());
  alloc.set_etag(sr.etag());
  alloc.set_staff_id(kCw);
  ASSERT_RPC_OK(server_->work().AllocateWork(server_->Context(kTl).get(), alloc, &sr));
  ASSERT_RPC_OK(Move(sr, cms::v1::SR_STATUS_IN_PROGRESS));

  cms::v1::Clock clock;
  ASSERT_RPC_OK(server_->admin().GetClock(server_->Context(kCw).get(), {}, &clock));
  const absl::CivilDay due =
      absl::ToCivilDay(absl::FromUnixSeconds(clock.now().seconds()), absl::UTCTimeZone()) + 3;
  cms::v1::AddActivityRequest add;
  add.set_request_id(RandomRequestId());
  add.set_service_request_id(sr.id());
  add.set_etag(sr.etag());
  add.set_name("Prompt: call the paying parent back");
  add.mutable_due_date()->set_year(static_cast<int32_t>(due.year()));
  add.mutable_due_date()->set_month(due.month());
  add.mutable_due_date()->set_day(due.day());
  add.set_alarm(true);
  ASSERT_RPC_OK(server_->service_requests().AddActivity(server_->Context(kCw).get(), add, &sr));
  EXPECT_FALSE(sr.reminder_due());

  auto mine = [&] {
    cms::v1::ListMyWorkResponse work;
    EXPECT_RPC_OK(server_->work().ListMyWork(server_->Context(kCw).get(), {}, &work));
    for (const auto& item : work.items()) {
      if (item.id() == sr.id()) return item;
    }
    ADD_FAILURE() << "SR " << sr.id() << " is not in my work";
    return ServiceRequest();
  };
  EXPECT_FALSE(mine().reminder_due());
  Advance(4);
  ASSERT_TRUE(Eventually([&] { return mine().reminder_due(); }));
  sr = Get(sr.id());
  EXPECT_TRUE(sr.reminder_due());
  EXPECT_TRUE(sr.activities().rbegin()->reminder_due());

  // Done: the reminder goes.
  cms::v1::UpdateActivityRequest done;
  done.set_request_id(RandomRequestId());
  done.set_service_request_id(sr.id());
  done.set_etag(sr.etag());
  done.set_activity_id(sr.activities().rbegin()->id());
  done.set_status(cms::v1::ACTIVITY_STATUS_DONE);
  ASSERT_RPC_OK(server_->service_requests().UpdateActivity(server_->Context(kCw).get(), done, &sr));
  EXPECT_FALSE(sr.reminder_due());
  EXPECT_FALSE(mine().reminder_due());
}

// The sweeper and periodic jobs on their own server's database, with kinds
// only these tests register (the server's own sweeper leaves them alone).
class SweeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestServer::Start();
    auto clock = app::BusinessClock::Create(/*test_mode=*/true);
    ASSERT_TRUE(clock.ok()) << clock.status();
    clock_ = std::make_unique<app::BusinessClock>(*std::move(clock));
    commands_ = std::make_unique<app::Commands>(server_->db(), *clock_);
  }

  absl::Time Now() {
    absl::Time now;
    EXPECT_TRUE(commands_
                    ->Read([&](store::Tx&, absl::Time t) {
                      now = t;
                      return absl::OkStatus();
                    })
                    .ok());
    return now;
  }

  void Schedule(const std::string& kind, int64_t subject, absl::Time due) {
    ASSERT_TRUE(server_->db()
                    .RunInTransaction([&](store::Tx& tx) {
                      store::TimerSpec spec{kind, subject, due, "", RandomRequestId()};
                      return store::ScheduleTimer(tx, spec, absl::ToUnixMicros(due)).status();
                    })
                    .ok());
  }

  void AdvanceClock(absl::Duration by) {
    ASSERT_TRUE(
        server_->db()
            .RunInTransaction([&](store::Tx& tx) { return clock_->Advance(tx, by).status(); })
            .ok());
  }

  // (state, attempts, last_error) of the timers of `kind`.
  std::vector<std::tuple<std::string, int, std::string>> TimersOf(const std::string& kind) {
    std::vector<std::tuple<std::string, int, std::string>> out;
    EXPECT_TRUE(server_->db()
                    .RunReadOnly([&](store::Tx& tx) {
                      soci::rowset<soci::row> rows =
                          (tx.session().prepare << "SELECT state, attempts, last_error FROM "
                                                   "timers WHERE kind = :k ORDER BY id",
                           soci::use(kind));
                      for (const soci::row& r : rows) {
                        out.emplace_back(
                            r.get<std::string>(0), r.get<int>(1),
                            r.get_indicator(2) == soci::i_null ? "" : r.get<std::string>(2));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  cms::v1::TimerStats Stats() {
    cms::v1::TimerStats stats;
    EXPECT_RPC_OK(server_->admin().GetTimerStats(server_->Context(kSvc).get(), {}, &stats));
    return stats;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<app::BusinessClock> clock_;
  std::unique_ptr<app::Commands> commands_;
};

TEST_F(SweeperTest, StatsReportTheOverdueBacklogAndItsLag) {
  // T8.2: a kind no replica runs (e.g. one a newer release added) stays
  // pending and shows as overdue with its lag.
  Schedule("NOT_REGISTERED", 1, Now() - absl::Hours(1));
  const cms::v1::TimerStats stats = Stats();
  EXPECT_EQ(stats.pending(), 1);
  EXPECT_EQ(stats.overdue(), 1);
  EXPECT_GE(TimeUtil::DurationToSeconds(stats.oldest_overdue_lag()), 3600);
}

TEST_F(SweeperTest, SchedulingIsIdempotentOnTheDedupeKey) {
  // T8.2: re-scheduling the same key is a no-op.
  const std::string key = RandomRequestId();
  for (bool expect_new : {true, false}) {
    bool added = false;
    ASSERT_TRUE(
        server_->db()
            .RunInTransaction([&](store::Tx& tx) -> absl::Status {
              store::TimerSpec spec{"NOT_REGISTERED", 2, absl::Now() + absl::Hours(1), "", key};
              auto r = store::ScheduleTimer(tx, spec, absl::ToUnixMicros(absl::Now()));
              if (r.ok()) added = *r;
              return r.status();
            })
            .ok());
    EXPECT_EQ(added, expect_new);
  }
}

// The fixture's own server sweeps the same table, and its claim can lock a
// due row of a kind it does not run for the instant it scans past it, which
// SKIP LOCKED passes over. So a test sweeps until what it waits for has
// happened, as the next interval would; each extra sweep must change nothing
// else, which the exact counts after it check.
template <typename Done>
void SweepUntil(jobs::Sweeper& sweeper, Done done) {
  for (int i = 0; i < 100 && !done(); ++i) {
    auto once = sweeper.SweepOnce();
    ASSERT_TRUE(once.ok()) << once.status();
    if (!done()) absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_TRUE(done()) << "not done after 100 sweeps";
}

TEST_F(SweeperTest, AFailingActionIsRetriedLaterAndGivesUpWithoutBlockingOthers) {
  // T8.2: the failing timer is charged and postponed; its batch-mates fire.
  jobs::TimerRegistry registry;
  int good = 0;
  registry.Register("TEST_FAILING", [](app::Command&, const store::DueTimer&) {
    return absl::FailedPreconditionError("refused by rule");
  });
  registry.Register("TEST_GOOD", [&good](app::Command&, const store::DueTimer&) {
    ++good;
    return absl::OkStatus();
  });
  jobs::Sweeper sweeper(*commands_, registry, {absl::Milliseconds(50), 10, 2});
  const absl::Time now = Now();
  Schedule("TEST_FAILING", 1, now - absl::Minutes(2));
  Schedule("TEST_GOOD", 2, now - absl::Minutes(1));
  SweepUntil(sweeper, [&] { return good > 0 && std::get<1>(TimersOf("TEST_FAILING")[0]) >= 1; });
  EXPECT_EQ(good, 1);
  auto failing = TimersOf("TEST_FAILING");
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_EQ(std::get<0>(failing[0]), "PENDING");
  EXPECT_EQ(std::get<1>(failing[0]), 1);
  EXPECT_TRUE(absl::StrContains(std::get<2>(failing[0]), "refused by rule"));

  AdvanceClock(absl::Hours(1));  // past the backoff: the second attempt is the last
  SweepUntil(sweeper, [&] { return std::get<0>(TimersOf("TEST_FAILING")[0]) == "FAILED"; });
  failing = TimersOf("TEST_FAILING");
  EXPECT_EQ(std::get<0>(failing[0]), "FAILED");
  EXPECT_EQ(std::get<1>(failing[0]), 2);
  EXPECT_EQ(Stats().failed(), 1);
  EXPECT_EQ(Stats().overdue(), 0);
}

TEST_F(SweeperTest, PeriodicJobRunsOncePerPeriodAndCatchesUp) {
  // T8.3: a test-only job; periods missed while "down" fire once each.
  jobs::TimerRegistry registry;
  std::vector<int64_t> periods;
  jobs::RegisterPeriodicJob(registry, "TEST_PERIODIC", absl::Hours(24 * 14),
                            [&](app::Command&, const store::DueTimer&,
                                int64_t period) -> absl::StatusOr<jobs::PeriodicNext> {
                              periods.push_back(period);
                              return jobs::PeriodicNext::kRearm;
                            });
  jobs::Sweeper sweeper(*commands_, registry, {});
  const absl::Time first = Now() - absl::Hours(24 * 14 * 3 + 1);  // periods 0..3 are due
  for (int i = 0; i < 2; ++i) {                                   // starting twice arms one job
    ASSERT_TRUE(server_->db()
                    .RunInTransaction([&](store::Tx& tx) {
                      return jobs::StartPeriodicJob(tx, "TEST_PERIODIC", 7, first,
                                                    absl::ToUnixMicros(first));
                    })
                    .ok());
  }
  SweepUntil(sweeper, [&] { return periods.size() >= 4; });
  EXPECT_EQ(periods, (std::vector<int64_t>{0, 1, 2, 3}));
  auto timers = TimersOf("TEST_PERIODIC");
  ASSERT_EQ(timers.size(), 5u);  // four fired, the next one armed
  EXPECT_EQ(std::get<0>(timers.back()), "PENDING");

  AdvanceClock(absl::Hours(24 * 14));
  SweepUntil(sweeper, [&] { return periods.size() >= 5; });
  EXPECT_EQ(periods.back(), 4);
  EXPECT_EQ(periods.size(), 5u);
}

TEST_F(SweeperTest, SeveralWorkersOfOneReplicaFireEachTimerExactlyOnce) {
  // T8.2: a replica's sweeper workers each claim with SKIP LOCKED in their
  // own transaction, so no two take the same row: each of N timers has its
  // effect (a timer_probe counter, an audit row) once, and the timers are
  // spread over more than one worker.
  ASSERT_TRUE(store::EnsureTimerProbeTable(server_->db()).ok());
  jobs::TimerRegistry probe;
  jobs::RegisterProbeTimer(probe);
  absl::Mutex mu;
  std::set<std::thread::id> workers;
  jobs::TimerRegistry registry;
  registry.Register(jobs::kProbeTimer, [&](app::Command& c, const store::DueTimer& t) {
    {
      absl::MutexLock lock(&mu);
      workers.insert(std::this_thread::get_id());
    }
    return (*probe.Find(jobs::kProbeTimer))(c, t);
  });

  constexpr int kTimers = 3000;
  const absl::Time due = Now() - absl::Minutes(1);
  for (int from = 1; from <= kTimers; from += 500) {
    ASSERT_TRUE(
        server_->db()
            .RunInTransaction([&](store::Tx& tx) -> absl::Status {
              for (int s = from; s < from + 500 && s <= kTimers; ++s) {
                store::TimerSpec spec{jobs::kProbeTimer, s, due, "", absl::StrCat("PROBE/", s)};
                auto r = store::ScheduleTimer(tx, spec, absl::ToUnixMicros(due));
                if (!r.ok()) return r.status();
              }
              return absl::OkStatus();
            })
            .ok());
  }
  auto count = [&](const std::string& sql) {
    long long v = -1;
    soci::indicator ind = soci::i_ok;
    EXPECT_TRUE(server_->db()
                    .RunReadOnly([&](store::Tx& tx) {
                      tx.session() << sql, soci::into(v, ind);
                      return absl::OkStatus();
                    })
                    .ok());
    return ind == soci::i_null ? 0 : v;
  };

  jobs::SweeperOptions options;
  options.interval = absl::Milliseconds(50);
  options.batch_size = 20;  // many small batches, so the workers overlap
  options.threads = 6;
  {
    jobs::Sweeper sweeper(*commands_, registry, options);
    sweeper.Start();
    const absl::Time end = absl::Now() + absl::Seconds(120);
    while (count("SELECT COUNT(*) FROM timers WHERE kind = 'PROBE' AND state = 'PENDING'") > 0 &&
           absl::Now() < end) {
      absl::SleepFor(absl::Milliseconds(20));
    }
  }  // joins the workers
  EXPECT_EQ(count("SELECT COUNT(*) FROM timers WHERE kind = 'PROBE' AND state = 'FIRED'"), kTimers);
  EXPECT_EQ(count("SELECT COUNT(*) FROM timer_probe"), kTimers);
  EXPECT_EQ(count("SELECT SUM(fired) FROM timer_probe"), kTimers);
  EXPECT_EQ(count("SELECT MAX(fired) FROM timer_probe"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'timer_probe'"), kTimers);
  EXPECT_EQ(count("SELECT COUNT(DISTINCT entity_id) FROM audit_events WHERE entity_type = "
                  "'timer_probe'"),
            kTimers);
  EXPECT_GT(workers.size(), 1u) << "one worker fired everything; nothing overlapped";
}

}  // namespace
}  // namespace cms::testing
