// One network repetition, shared by the net_* workloads: a fresh server (`serve --port 0`, pinned to
// the server CPU), the load generator against it (pinned to the client CPU), the server stopped
// always, then validation and the counters of harness/README.md.
#pragma once

#include <cstdint>
#include <string>

#include "runner/config.hpp"
#include "workload.hpp"

namespace workloads {

struct NetRun {
  std::string proto;               // echo | http
  std::string mode = "keepalive";  // keepalive | reconnect (see the load generator's --mode)
  std::uint64_t connections = 1;
  std::uint64_t requests = 1;      // per connection or per slot; ignored when duration_ms > 0
  std::uint64_t duration_ms = 0;   // a timed run instead of a request count
};

// Throws runner::RunError: the server's own skip or failure, or "failed: <backend>: <first_error>"
// when any reply was wrong or missing.
Measurement run_network(const runner::Config& config, const runner::Backend& backend, const NetRun& run);

}  // namespace workloads
