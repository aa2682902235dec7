// The one network client: build/harness/loadgen/loadgen, pinned to the client CPU, run to completion
// with a bound. It verifies every reply and prints one JSON line (its own clock, its own CPU time).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "runner/process.hpp"

namespace runner {

struct LoadgenArgs {
  std::string host;                  // the server's address; empty: the load generator's default (127.0.0.1)
  std::uint16_t port = 0;
  std::string proto;                 // echo | http
  std::string mode = "keepalive";    // keepalive | reconnect
  std::uint64_t connections = 1;
  std::uint64_t requests = 0;        // per connection (keepalive) or per slot (reconnect); 0 with duration_ms
  std::uint64_t duration_ms = 0;     // run for this long instead of a request count
  std::uint64_t size = 0;            // 0: the protocol's default
  std::uint64_t timeout_ms = 0;      // the load generator's bound on its whole run; 0: its default
  std::uint64_t rate = 0;            // open loop: requests/s over all connections; 0: closed loop

  std::vector<std::string> argv() const;
};

// One latency distribution of the load generator's line: its <prefix>_p50_ns ... <prefix>_max_ns keys.
struct Percentiles {
  std::int64_t p50_ns = 0, p90_ns = 0, p99_ns = 0, p999_ns = 0, p9999_ns = 0, max_ns = 0;
};

// The load generator's JSON line (see the keys in harness/runner/README.md).
struct LoadgenResult {
  std::int64_t requests = 0;
  std::int64_t errors = 0;
  std::int64_t connect_errors = 0;
  std::int64_t timeouts = 0;
  std::int64_t mismatches = 0;
  std::int64_t elapsed_ns = 0;
  Percentiles lat;  // from each request's actual send (lat_*)
  std::int64_t client_cpu_ns = -1;
  // Open loop (--rate): latency from the scheduled send (clat_*), and how far the generator itself
  // fell behind.
  Percentiles clat;
  double offered_rps = 0, achieved_rps = 0;
  std::int64_t behind_requests = 0;
  double behind_share = 0;
  std::int64_t client_lag_p99_ns = 0, client_lag_max_ns = 0;
  std::int64_t server_wait_max_ns = 0;
  std::string first_error;
  int exit_code = 0;
};

// Runs the load generator; the server's output keeps being drained meanwhile. Throws
// "failed: <backend>: ..." when it cannot run, overruns its bound or prints no result line.
LoadgenResult run_loadgen(const std::filesystem::path& exe, const LoadgenArgs& args, int cpu,
                          const std::string& backend, Process& server);

}  // namespace runner
