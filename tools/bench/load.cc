#include "tools/bench/load.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
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

std::vector<LoadResult> RunInterleaved(int callers, absl::Duration warmup, absl::Duration measure,
                                       const std::vector<Load>& loads,
                                       const std::function<void(int caller)>& between) {
  const size_t n = loads.size();
  std::vector<LoadResult> results(n);
  std::vector<std::vector<double>> latencies_ms(n);
  std::mutex mu;
  const absl::Time start = absl::Now();
  const absl::Time measure_from = start + warmup;
  const absl::Time stop = measure_from + measure;
  CpuTicks ticks_from, ticks_to;
  std::thread ticks([&] {
    absl::SleepFor(measure_from - absl::Now());
    ticks_from = ReadCpuTicks();
    absl::SleepFor(stop - absl::Now());
    ticks_to = ReadCpuTicks();
  });
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      std::vector<std::vector<double>> mine(n);
      std::vector<int64_t> errors(n, 0);
      std::vector<std::string> first_error(n);
      for (size_t turn = 0;; turn = (turn + 1) % n) {
        const absl::Time t0 = absl::Now();
        if (t0 >= stop) break;
        std::string err = loads[turn].call(c);
        const absl::Time t1 = absl::Now();
        if (between) between(c);
        if (t0 < measure_from) continue;
        if (err.empty()) {
          mine[turn].push_back(absl::ToDoubleMilliseconds(t1 - t0));
        } else {
          ++errors[turn];
          if (first_error[turn].empty()) first_error[turn] = err;
        }
      }
      std::lock_guard<std::mutex> lock(mu);
      for (size_t i = 0; i < n; ++i) {
        latencies_ms[i].insert(latencies_ms[i].end(), mine[i].begin(), mine[i].end());
        results[i].errors += errors[i];
        if (results[i].first_error.empty()) results[i].first_error = first_error[i];
      }
    });
  }
  for (auto& t : threads) t.join();
  ticks.join();
  double steal = 0;
  if (ticks_to.total > ticks_from.total) {
    steal = 100.0 * (ticks_to.steal - ticks_from.steal) /
            static_cast<double>(ticks_to.total - ticks_from.total);
  }
  for (size_t i = 0; i < n; ++i) {
    LoadResult& r = results[i];
    std::vector<double>& l = latencies_ms[i];
    std::sort(l.begin(), l.end());
    auto pct = [&](double p) {
      return l.empty() ? 0.0 : l[std::min(l.size() - 1, static_cast<size_t>(p * l.size()))];
    };
    r.name = loads[i].name;
    r.callers = callers;
    r.ok = static_cast<int64_t>(l.size());
    r.seconds = absl::ToDoubleSeconds(measure);
    r.per_second = r.ok / r.seconds;
    r.p50_ms = pct(0.50);
    r.p95_ms = pct(0.95);
    r.p99_ms = pct(0.99);
    r.max_ms = l.empty() ? 0 : l.back();
    r.steal_percent = steal;
    r.interleaved = n > 1;
  }
  return results;
}

LoadResult RunClosedLoop(const std::string& name, int callers, absl::Duration warmup,
                         absl::Duration measure, const std::function<std::string(int caller)>& call,
                         const std::function<void(int caller)>& between) {
  return RunInterleaved(callers, warmup, measure, {Load{name, call}}, between).front();
}

std::string FormatResult(const LoadResult& r) {
  return absl::StrFormat(
      "%-34s callers=%-3d ok=%-7d errors=%-5d rate=%8.1f/s p50=%7.2fms "
      "p95=%7.2fms p99=%7.2fms max=%7.2fms steal=%4.1f%%%s%s",
      r.name, r.callers, r.ok, r.errors, r.per_second, r.p50_ms, r.p95_ms, r.p99_ms, r.max_ms,
      r.steal_percent, r.interleaved ? " interleaved" : "",
      r.first_error.empty() ? "" : " first error: " + r.first_error);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty()           ? 0
         : v.size() % 2 == 1 ? v[v.size() / 2]
                             : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

LoadResult MedianOf(const std::vector<LoadResult>& runs) {
  LoadResult m = runs.front();
  auto median = [&](double LoadResult::*field) {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(r.*field);
    return Median(v);
  };
  m.per_second = median(&LoadResult::per_second);
  m.p50_ms = median(&LoadResult::p50_ms);
  m.p95_ms = median(&LoadResult::p95_ms);
  m.p99_ms = median(&LoadResult::p99_ms);
  m.steal_percent = median(&LoadResult::steal_percent);
  return m;
}

double CpuSeconds(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string field;
  double ticks = 0;
  // Fields 14 and 15 (utime, stime); the command name (field 2) has no
  // spaces in the processes read here.
  for (int i = 1; i <= 15 && in >> field; ++i) {
    if (i >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::pair<double, double> MachineSeconds() {
  std::ifstream in("/proc/stat");
  std::string cpu;
  in >> cpu;
  double busy = 0, all = 0;
  for (int i = 0; i < 8; ++i) {
    double v = 0;
    if (!(in >> v)) break;
    all += v;
    if (i != 3 && i != 4 && i != 7) busy += v;  // not idle, iowait, steal
  }
  const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {busy / tick, all / tick};
}

}  // namespace cms::bench
