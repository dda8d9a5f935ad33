// Admission of calls (DESIGN: threading). The services use gRPC's callback
// API, whose handlers run on gRPC's own few threads and must not block; each
// call is therefore put in one bounded queue and run by a fixed pool of
// worker threads. A burst waits in the queue for a worker instead of being
// refused; only a call that finds the queue full is refused, at once
// (RESOURCE_EXHAUSTED with a retry hint, api/rpc.cc). Before this the sync
// server refused every call beyond its thread limit: 48% of them at 200
// concurrent callers. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cms::api {

struct AdmissionOptions {
  // Calls run at once. One database connection each is what a call needs,
  // so this is the RPC part of --pool_size: more workers would only wait
  // for a connection, fewer would leave connections idle.
  int workers = 16;
  // Calls that may wait for a worker; one more is refused.
  int queue_limit = 1000;
};

class Admission {
 public:
  explicit Admission(AdmissionOptions options);
  // Runs what is queued, then joins the workers (Stop).
  ~Admission();
  Admission(const Admission&) = delete;
  Admission& operator=(const Admission&) = delete;

  // Queues `job` for a worker; false, and `job` dropped, when the queue is
  // full or the pool is stopping.
  bool Submit(std::function<void()> job);
  // Refuses new jobs, runs the queued ones and joins the workers. Call after
  // the gRPC server has shut down (no call can then be submitted).
  void Stop();

  // Jobs waiting for a worker now.
  size_t queued() const;
  const AdmissionOptions& options() const { return options_; }

 private:
  void Work();

  const AdmissionOptions options_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace cms::api
