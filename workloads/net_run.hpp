// One network repetition, shared by the net_* workloads: a fresh server (`serve --port 0`, pinned to
// the server CPU), the load generator against it (pinned to the client CPU), the server stopped
// always, then validation and the counters of harness/README.md.
#pragma once

#include <cstdint>
#include <string>

#include "runner/config.hpp"
#include "runner/loadgen.hpp"
#include "runner/server.hpp"
#include "workload.hpp"

namespace workloads {

struct NetRun {
  std::string proto;               // echo | http
  std::string mode = "keepalive";  // keepalive | reconnect (see the load generator's --mode)
  std::uint64_t connections = 1;
  std::uint64_t requests = 1;      // per connection or per slot; ignored when duration_ms > 0
  std::uint64_t duration_ms = 0;   // a timed run instead of a request count
  std::uint64_t rate = 0;          // open loop: requests/s over all connections (0: closed loop)
};

// What the client and the server said about one run whose every reply was verified.
struct NetOutcome {
  runner::LoadgenResult client;
  runner::ServerCounters server;
};

// The run itself, validated (throws as run_network does); for workloads with counters of their own.
NetOutcome run_network_checked(const runner::Config& config, const runner::Backend& backend, const NetRun& run);

// Throws runner::RunError: the server's own skip or failure, or "failed: <backend>: <first_error>"
// when any reply was wrong or missing.
Measurement run_network(const runner::Config& config, const runner::Backend& backend, const NetRun& run);

}  // namespace workloads
