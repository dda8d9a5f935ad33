#include "server/api/admission.h"

#include <utility>

namespace cms::api {

Admission::Admission(AdmissionOptions options) : options_(options) {
  workers_.reserve(options_.workers);
  for (int i = 0; i < options_.workers; ++i) workers_.emplace_back([this] { Work(); });
}

Admission::~Admission() { Stop(); }

bool Admission::Submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || queue_.size() >= static_cast<size_t>(options_.queue_limit)) return false;
    queue_.push_back(std::move(job));
  }
  ready_.notify_one();
  return true;
}

void Admission::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : workers_) t.join();
  workers_.clear();
}

size_t Admission::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void Admission::Work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Stopping still runs what was queued: each job answers its call.
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace cms::api
