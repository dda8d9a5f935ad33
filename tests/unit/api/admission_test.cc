// api/admission.h: the bounded queue and fixed worker pool every call goes
// through (issue 17, defect 4). Over real gRPC: admission_test in
// tests/integration.
#include "server/api/admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace cms::api {
namespace {

// A gate the jobs wait at until the test opens it.
class Gate {
 public:
  void Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    open_cv_.wait(lock, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_ = true;
    }
    open_cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable open_cv_;
  bool open_ = false;
};

TEST(AdmissionTest, R17_4_ABurstBeyondTheWorkersWaitsAndEveryJobRuns) {
  Admission admission({.workers = 2, .queue_limit = 100});
  Gate gate;
  std::atomic<int> running{0}, most{0}, done{0};
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(admission.Submit([&] {
      const int now = ++running;
      for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
      }
      gate.Wait();
      --running;
      ++done;
    })) << i;
  }
  gate.Open();
  admission.Stop();
  EXPECT_EQ(done.load(), 50);
  EXPECT_LE(most.load(), 2) << "never more at once than the workers";
}

TEST(AdmissionTest, R17_4_OnlyAJobFindingTheQueueFullIsRefused) {
  Admission admission({.workers = 1, .queue_limit = 3});
  Gate gate;
  std::atomic<bool> started{false};
  ASSERT_TRUE(admission.Submit([&] {
    started = true;
    gate.Wait();
  }));
  while (!started) std::this_thread::yield();  // the worker holds the first
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(admission.Submit([] {})) << i;
  EXPECT_EQ(admission.queued(), 3u);
  EXPECT_FALSE(admission.Submit([] {})) << "the fourth waiting job";
  gate.Open();
  admission.Stop();
  EXPECT_EQ(admission.queued(), 0u);
}

TEST(AdmissionTest, StoppingRunsWhatIsQueuedAndRefusesMore) {
  std::atomic<int> done{0};
  Admission admission({.workers = 1, .queue_limit = 10});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(admission.Submit([&] { ++done; }));
  admission.Stop();
  EXPECT_EQ(done.load(), 10);
  EXPECT_FALSE(admission.Submit([&] { ++done; }));
  EXPECT_EQ(done.load(), 10);
}

}  // namespace
}  // namespace cms::api
