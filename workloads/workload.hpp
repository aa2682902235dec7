// A workload is one file in workloads/: its parameters per profile, its data, the client side
// (which backend command or load-generator arguments), validation and counters. It registers itself
// with a static Registrar; the runner crosses the registry with the selected backends, so adding a
// workload is adding one file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/config.hpp"

namespace workloads {

// What one repetition measured: the measured process's own elapsed time (Google Benchmark's manual
// time) and the counters of harness/README.md's table.
struct Measurement {
  std::int64_t elapsed_ns = 0;
  std::vector<std::pair<std::string, double>> counters;

  Measurement& counter(std::string name, double value) {
    counters.emplace_back(std::move(name), value);
    return *this;
  }
};

// One `<param>:<value>` part of a benchmark name.
struct Param {
  std::string key;
  std::string value;
};

// One row of the matrix before the backend is chosen:
// `<workload>/<backend>/<param>:<value>/...` once the runner adds a backend.
struct Variant {
  std::vector<Param> params;
  int repetitions = 5;
  // One repetition against `backend`. Throws runner::RunError when there is no score to give.
  std::function<Measurement(const runner::Backend& backend)> run;
};

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view summary() const = 0;
  // The variants this profile and these overrides ask for. `config` outlives the benchmarks.
  virtual std::vector<Variant> variants(const runner::Config& config) const = 0;
};

// Every registered workload, sorted by name.
std::vector<const Workload*> registry();
void add_to_registry(const Workload& workload);

// `const workloads::Registrar<FileRead> registrar;` at namespace scope in the workload's file.
template <class W>
struct Registrar {
  Registrar() {
    static const W workload;
    add_to_registry(workload);
  }
};

}  // namespace workloads
