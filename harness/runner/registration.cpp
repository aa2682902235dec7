#include "runner/registration.hpp"

#include <benchmark/benchmark.h>

#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <exception>

#include "runner/interrupt.hpp"
#include "runner/name_filter.hpp"
#include "runner/outcome.hpp"

namespace runner {
namespace {

std::string benchmark_name(std::string_view workload, std::string_view backend, const workloads::Variant& v) {
  std::string name = std::string(workload) + "/" + std::string(backend);
  for (const auto& p : v.params) name += "/" + p.key + ":" + p.value;
  return name;
}

struct RepetitionResult {
  std::optional<workloads::Measurement> measurement;
  std::string error;  // "skipped: ..." or "failed: ..." when there is no measurement
};

RepetitionResult run_one(PlannedBenchmark& b) {
  RepetitionResult o;
  if (interrupted()) {
    o.error = "skipped: interrupted";
    return o;
  }
  if (b.known_skip) {
    o.error = *b.known_skip;
    return o;
  }
  try {
    o.measurement = b.variant.run(*b.backend);
  } catch (const RunError& e) {
    o.error = e.what();
    if (e.skipped()) b.known_skip = o.error;
  } catch (const std::exception& e) {
    o.error = failed(b.backend->name, e.what()).what();
  }
  // Whatever a killed child made of it, the cause was the interruption.
  if (interrupted()) {
    o.measurement.reset();
    o.error = "skipped: interrupted";
  }
  return o;
}

bool is_syscall_counter(const std::string& name) { return name == "syscalls" || name == "syscalls_per_op"; }

// What a repetition reports. The syscall-counting repetition of --syscalls first gives only its
// syscall figures, marked "syscall_count_run" (the scripts keep its time out of every statistic),
// because the tracepoint slowed it; the other repetitions' -1 syscall figures mean "not counted".
std::vector<std::pair<std::string, double>> reported_counters(const PlannedBenchmark& b, int rep,
                                                              const workloads::Measurement& m) {
  std::vector<std::pair<std::string, double>> out;
  const bool counting = b.counts_syscalls(rep);
  const bool only_syscalls = b.is_syscall_count_run(rep);
  for (const auto& [name, value] : m.counters) {
    if (is_syscall_counter(name) ? counting : !only_syscalls) out.emplace_back(name, value);
  }
  if (only_syscalls) out.emplace_back("syscall_count_run", 1);
  return out;
}

void run_repetition(benchmark::State& state, PlannedBenchmark& b, std::size_t total, Tally& tally) {
  const int rep = ++b.repetitions_done;
  std::fprintf(stderr, "[%zu/%zu] %s rep %d/%d%s ... ", b.index, total, b.name.c_str(), rep, b.total_repetitions(),
               b.is_syscall_count_run(rep) ? " (counting syscalls)" : "");
  std::fflush(stderr);
  // The backends (and servers started over ssh) read this when they start.
  ::setenv("RINGCORE_COUNT_SYSCALLS", b.counts_syscalls(rep) ? "1" : "0", 1);
  RepetitionResult o;
  for (auto _ : state) {
    o = run_one(b);
    if (!o.measurement) {
      state.SkipWithError(o.error.c_str());
      break;  // SkipWithError does not leave the loop by itself
    }
    state.SetIterationTime(double(o.measurement->elapsed_ns) / 1e9);
  }
  if (o.measurement) {
    for (const auto& [name, value] : reported_counters(b, rep, *o.measurement))
      state.counters[name] = benchmark::Counter(value);
    std::fprintf(stderr, "ok %.1f ms\n", double(o.measurement->elapsed_ns) / 1e6);
    ++tally.ok;
  } else {
    std::fprintf(stderr, "%s\n", o.error.c_str());
    if (o.error.starts_with("skipped: ")) {
      ++tally.skipped;
    } else {
      ++tally.failed;
      std::string entry = b.name + ": " + o.error;
      auto same = [&](const std::string& f) { return f.starts_with(b.name + ": "); };
      if (std::none_of(tally.failures.begin(), tally.failures.end(), same)) tally.failures.push_back(entry);
    }
  }
}

}  // namespace

void Tally::print_summary() const {
  std::fprintf(stderr, "repetitions: %d ok, %d skipped, %d failed\n", ok, skipped, failed);
  for (const auto& f : failures) std::fprintf(stderr, "  %s\n", f.c_str());
}

Plan plan_benchmarks(const Config& config) {
  NameFilter filter(config.filter);
  Plan plan;
  for (const auto* workload : workloads::registry()) {
    if (!config.workloads.empty() &&
        std::find(config.workloads.begin(), config.workloads.end(), workload->name()) == config.workloads.end())
      continue;
    for (const auto& variant : workload->variants(config)) {
      for (const auto& backend : config.backends) {
        std::string name = benchmark_name(workload->name(), backend.name, variant);
        if (!filter.selects(name)) continue;
        auto b = std::make_unique<PlannedBenchmark>();
        b->name = std::move(name);
        b->backend = &backend;
        b->variant = variant;
        b->index = plan.size() + 1;
        b->syscalls = config.syscalls;
        plan.push_back(std::move(b));
      }
    }
  }
  return plan;
}

void register_benchmarks(Plan& plan, Tally& tally) {
  const std::size_t total = plan.size();
  for (auto& planned : plan) {
    PlannedBenchmark* b = planned.get();
    benchmark::RegisterBenchmark(b->name.c_str(),
                                 [b, total, &tally](benchmark::State& state) { run_repetition(state, *b, total, tally); })
        ->Iterations(1)
        ->Repetitions(b->total_repetitions())
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->ReportAggregatesOnly(false);
  }
}

}  // namespace runner
