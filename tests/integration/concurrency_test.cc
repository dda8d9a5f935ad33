// C2.3: "one casegroup per PP" holds under concurrent applications
// (enforced by the database), X13.4 under concurrent retries, and changes to
// different casegroups of one segment do not serialise on it.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "server/store/casegroup_repo.h"
#include "soci/soci.h"
#include "tests/integration/casegroup_fixture.h"
#include "tests/integration/test_server.h"

namespace cms::testing {
namespace {

TEST(ConcurrencyTest, SixteenConcurrentApplicationsForOneNewPayingParent) {
  auto server = TestServer::Start();
  const cms::v1::Person pp = NewPerson("Conc", "SW1A 1AA");
  constexpr int kCallers = 16;
  std::vector<cms::v1::Application> results(kCallers);
  std::vector<grpc::Status> statuses(kCallers);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      cms::v1::CreateApplicationRequest req = ApplicationRequest(pp, NewPerson("Rp", "SW1A 2AA"));
      ready.fetch_add(1);
      while (ready.load() < kCallers) std::this_thread::yield();
      statuses[i] = server->casegroups().CreateApplication(
          server->Context("cw.gb.new_case.a1").get(), req, &results[i]);
    });
  }
  for (auto& t : threads) t.join();

  std::set<int64_t> casegroups, cases, pps;
  int created = 0;
  for (int i = 0; i < kCallers; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    casegroups.insert(results[i].casegroup().id());
    cases.insert(results[i].case_().id());
    pps.insert(results[i].casegroup().paying_parent_id());
    created += results[i].casegroup_created() ? 1 : 0;
  }
  EXPECT_EQ(pps.size(), 1u);
  EXPECT_EQ(casegroups.size(), 1u);
  EXPECT_EQ(cases.size(), static_cast<size_t>(kCallers));
  EXPECT_EQ(created, 1);

  cms::v1::GetCasegroupRequest get;
  get.set_id(*casegroups.begin());
  cms::v1::Casegroup g;
  ASSERT_TRUE(
      server->casegroups().GetCasegroup(server->Context("cw.gb.new_case.a1").get(), get, &g).ok());
  EXPECT_EQ(g.case_ids_size(), kCallers);
}

TEST(ConcurrencyTest, ConcurrentRetriesOfOneRequestIdWriteOnce) {
  // X13.4: eight retries racing with one request id create one case.
  auto server = TestServer::Start();
  const cms::v1::CreateApplicationRequest req =
      ApplicationRequest(NewPerson("Once", "M1 1AE"), NewPerson("Only", "M1 1AE"));
  constexpr int kCallers = 8;
  std::vector<cms::v1::Application> results(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      grpc::Status s = server->casegroups().CreateApplication(
          server->Context("cw.gb.new_case.a1").get(), req, &results[i]);
      EXPECT_TRUE(s.ok()) << s.error_message();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    EXPECT_EQ(r.case_().id(), results[0].case_().id());
    EXPECT_EQ(r.casegroup().case_ids_size(), 1);
  }
}

TEST(ConcurrencyTest, LockingACasegroupLeavesItsSegmentFree) {
  // A command locks the casegroup it changes (GetCasegroup FOR UPDATE); the
  // segment row must stay free, or every SR created on any casegroup of the
  // segment would wait for the one before it.
  auto server = TestServer::Start();
  cms::v1::Application app;
  ASSERT_TRUE(server->casegroups()
                  .CreateApplication(server->Context("cw.gb.new_case.a1").get(),
                                     ApplicationRequest(NewPerson("Lock", "SW1A 1AA"),
                                                        NewPerson("Free", "SW1A 2AA")),
                                     &app)
                  .ok());
  long long segment = app.casegroup().owning_segment_id(), locked = 0;
  absl::Status s = server->db().RunInTransaction([&](store::Tx& tx) -> absl::Status {
    auto g = store::GetCasegroup(tx, app.casegroup().id(), /*for_update=*/true);
    if (!g.ok()) return g.status();
    EXPECT_FALSE(g->owning_segment_system_name().empty());
    return server->db().RunInTransaction([&](store::Tx& other) {
      return store::Guard([&] {
        other.session() << "SELECT id FROM segments WHERE id = :s FOR UPDATE NOWAIT",
            soci::use(segment), soci::into(locked);
        return absl::OkStatus();
      });
    });
  });
  EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(locked, segment);
}

}  // namespace
}  // namespace cms::testing
