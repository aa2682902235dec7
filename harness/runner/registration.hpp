// The benchmark matrix: workload registry × variants × selected backends, filtered by name, then
// registered with Google Benchmark (one iteration per repetition, manual time, every repetition kept).
// Each repetition prints progress on stderr and ends as a score, "skipped: ..." or "failed: ...".
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runner/config.hpp"
#include "workload.hpp"

namespace runner {

struct PlannedBenchmark {
  // Repetitions Google Benchmark runs: the variant's, plus the syscall-counting one (--syscalls first).
  int total_repetitions() const { return variant.repetitions + (syscalls == SyscallCounting::first ? 1 : 0); }
  // Whether repetition `rep` (1-based) is --syscalls first's extra one, which reports only syscalls.
  bool is_syscall_count_run(int rep) const { return syscalls == SyscallCounting::first && rep == 1; }
  // Whether repetition `rep` (1-based) runs with the syscall counter open.
  bool counts_syscalls(int rep) const { return syscalls == SyscallCounting::every || is_syscall_count_run(rep); }

  std::string name;  // <workload>/<backend>/<param>:<value>/...
  const Backend* backend = nullptr;
  workloads::Variant variant;
  std::size_t index = 0;  // 1-based, for "[n/N]"
  int repetitions_done = 0;
  SyscallCounting syscalls = SyscallCounting::first;
  // A backend that said "not supported here" (77) says it again: later repetitions reuse the reason.
  std::optional<std::string> known_skip;
};

// How the repetitions ended, for the closing summary and the exit code.
struct Tally {
  int ok = 0;
  int skipped = 0;
  int failed = 0;
  std::vector<std::string> failures;  // "<name>: <message>", first repetition's message per benchmark
  void print_summary() const;
};

using Plan = std::vector<std::unique_ptr<PlannedBenchmark>>;

// Every benchmark this configuration selects, in run order (workloads by name, then each variant
// across the backends, so one variant's backends run side by side).
Plan plan_benchmarks(const Config& config);

// Registers each planned benchmark; `plan` and `tally` must outlive benchmark::RunSpecifiedBenchmarks.
void register_benchmarks(Plan& plan, Tally& tally);

}  // namespace runner
