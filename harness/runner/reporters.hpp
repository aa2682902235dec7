// The runner's reporters: Google Benchmark's console and JSON reporters with two corrections.
// - Google Benchmark appends "/iterations:1/repeats:N/manual_time" to every name; those parts are
//   dropped, so the console and the JSON show `<workload>/<backend>/<param>:<value>/...` exactly
//   (harness/README.md) and a name means the same thing whatever the repetition count.
// - The cv aggregate of a counter whose samples are all zero (errors, client_bound) is 0/0, which
//   Google Benchmark writes as NaN, not JSON. It is written as 0: the samples do not vary.
#pragma once

#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

namespace runner {

template <class Reporter>
class RunnerReporter : public Reporter {
 public:
  using Reporter::Reporter;
  void ReportRuns(const std::vector<benchmark::BenchmarkReporter::Run>& runs) override {
    std::vector<benchmark::BenchmarkReporter::Run> plain(runs);
    for (auto& run : plain) {
      run.run_name.iterations.clear();
      run.run_name.repetitions.clear();
      run.run_name.time_type.clear();
      if (run.run_type != benchmark::BenchmarkReporter::Run::RT_Aggregate) continue;
      for (auto& [name, counter] : run.counters)
        if (std::isnan(counter.value)) counter.value = 0;
      if (std::isnan(run.real_accumulated_time)) run.real_accumulated_time = 0;
      if (std::isnan(run.cpu_accumulated_time)) run.cpu_accumulated_time = 0;
    }
    Reporter::ReportRuns(plain);
  }
};

}  // namespace runner
