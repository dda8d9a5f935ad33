#include "tools/bench/load.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"

namespace cms::bench {
namespace {

struct CpuTicks {
  uint64_t total = 0;
  uint64_t steal = 0;
};

// The machine's CPU ticks so far, from the "cpu" line of /proc/stat
// (user nice system idle iowait irq softirq steal ...); zero off Linux.
CpuTicks ReadCpuTicks() {
  CpuTicks t;
  std::ifstream stat("/proc/stat");
  std::string cpu;
  stat >> cpu;
  if (cpu != "cpu") return t;
  for (int i = 0; i < 8; ++i) {
    uint64_t v = 0;
    if (!(stat >> v)) break;
    t.total += v;
    if (i == 7) t.steal = v;
  }
  return t;
}

}  // namespace

LoadResult RunClosedLoop(const std::string& name, int callers, absl::Duration warmup,
                         absl::Duration measure,
                         const std::function<std::string(int caller)>& call,
                         const std::function<void(int caller)>& between) {
  LoadResult result;
  result.name = name;
  result.callers = callers;
  std::mutex mu;
  std::vector<double> latencies_ms;
  const absl::Time start = absl::Now();
  const absl::Time measure_from = start + warmup;
  const absl::Time stop = measure_from + measure;
  std::vector<std::thread> threads;
  CpuTicks ticks_from, ticks_to;
  std::thread ticks([&] {
    absl::SleepFor(measure_from - absl::Now());
    ticks_from = ReadCpuTicks();
    absl::SleepFor(stop - absl::Now());
    ticks_to = ReadCpuTicks();
  });
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> mine;
      int64_t errors = 0;
      std::string first_error;
      while (true) {
        const absl::Time t0 = absl::Now();
        if (t0 >= stop) break;
        std::string err = call(c);
        const absl::Time t1 = absl::Now();
        if (between) between(c);
        if (t0 < measure_from) continue;
        if (err.empty()) {
          mine.push_back(absl::ToDoubleMilliseconds(t1 - t0));
        } else {
          ++errors;
          if (first_error.empty()) first_error = err;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      result.errors += errors;
      if (result.first_error.empty()) result.first_error = first_error;
    });
  }
  for (auto& t : threads) t.join();
  ticks.join();
  if (ticks_to.total > ticks_from.total) {
    result.steal_percent = 100.0 * (ticks_to.steal - ticks_from.steal) /
                           static_cast<double>(ticks_to.total - ticks_from.total);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  result.ok = static_cast<int64_t>(latencies_ms.size());
  result.seconds = absl::ToDoubleSeconds(measure);
  result.per_second = result.ok / result.seconds;
  auto pct = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    size_t i = std::min(latencies_ms.size() - 1, static_cast<size_t>(p * latencies_ms.size()));
    return latencies_ms[i];
  };
  result.p50_ms = pct(0.50);
  result.p99_ms = pct(0.99);
  result.max_ms = latencies_ms.empty() ? 0 : latencies_ms.back();
  return result;
}

std::string FormatResult(const LoadResult& r) {
  return absl::StrFormat("%-34s callers=%-3d ok=%-7d errors=%-5d rate=%8.1f/s p50=%7.2fms "
                         "p99=%7.2fms max=%7.2fms steal=%4.1f%%%s",
                         r.name, r.callers, r.ok, r.errors, r.per_second, r.p50_ms, r.p99_ms,
                         r.max_ms, r.steal_percent, r.first_error.empty() ? "" : " first error: " + r.first_error);
}

}  // namespace cms::bench
