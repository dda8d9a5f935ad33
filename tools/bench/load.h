// A closed-loop load driver: N callers each run calls back to back for a
// fixed time and record every latency. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"

namespace cms::bench {

struct LoadResult {
  std::string name;
  int callers = 0;
  int64_t ok = 0;
  int64_t errors = 0;
  std::string first_error;
  double seconds = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  // The share of CPU time the hypervisor gave to other guests while the
  // run was measured (/proc/stat "steal"): on a shared VM, latency tails
  // follow it, so every result states it.
  double steal_percent = 0;
  // Measured interleaved with other loads (RunInterleaved): the rate is
  // this load's share of the loop, not what it sustains alone.
  bool interleaved = false;
};

// One load of RunInterleaved: `call(caller_index)` returns an empty string
// on success, else the error.
struct Load {
  std::string name;
  std::function<std::string(int caller)> call;
};

// Each of N callers runs the loads in turn, back to back, and the latencies
// of each are kept apart: every load is measured over the same seconds, so
// a server and its raw SQL ceiling see the same CPU steal and the same
// neighbours. One result per load, in order. `between(caller_index)`, when
// given, runs after each call on the same thread and is not timed: harness
// upkeep (putting claimed work back) that must not overlap the calls it
// would otherwise slow down.
std::vector<LoadResult> RunInterleaved(int callers, absl::Duration warmup, absl::Duration measure,
                                       const std::vector<Load>& loads,
                                       const std::function<void(int caller)>& between = nullptr);

// One load alone, for throughput: `call` and `between` as above.
LoadResult RunClosedLoop(const std::string& name, int callers, absl::Duration warmup,
                         absl::Duration measure, const std::function<std::string(int caller)>& call,
                         const std::function<void(int caller)>& between = nullptr);

std::string FormatResult(const LoadResult& r);

// The median of `v` (0 when empty).
double Median(std::vector<double> v);
// The median of each figure (rate, p50, p95, p99, steal) over one load's
// runs; the rest from the first run.
LoadResult MedianOf(const std::vector<LoadResult>& runs);

// CPU seconds (user + system) process `pid` has used; 0 when unreadable.
double CpuSeconds(int pid);
// CPU seconds the whole machine has been busy (/proc/stat "cpu": user,
// nice, system, irq, softirq), and the seconds it could have been (all
// CPUs, steal and idle included).
std::pair<double, double> MachineSeconds();

// The six NINO digits for the n-th application: n scattered over 0..999999
// (a bijection), so concurrent callers insert all over the NINO index as
// real applications do, instead of into one hot corner of it.
inline int ScatteredDigits(int64_t n) { return static_cast<int>((n % 1000000) * 7919 % 1000000); }

}  // namespace cms::bench
