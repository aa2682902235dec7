// The load generator's event loop: every connection of the run on one thread, non-blocking
// sockets under one edge-triggered epoll set (each socket registered once, no epoll_ctl per request).
#pragma once

#include <string>

#include "latency_histogram.hpp"
#include "options.hpp"
#include "run_result.hpp"

namespace loadgen {

// Each verified reply's latency, measured from two starting points.
struct Latencies {
  LatencyHistogram from_send;      // from the request's first write (reconnect: its connect())
  LatencyHistogram from_schedule;  // open loop only: from the moment the schedule said to send it
  LatencyHistogram client_lag;     // open loop only: per request sent, the generator's own lag (< 1 us as 1 us)
};

// Runs the workload `options` describes, recording each verified reply's latency in `latencies`.
// A setup failure (no epoll instance) returns false with `setup_error` set and nothing run.
bool run_load(const Options& options, Latencies& latencies, RunResult& result, std::string& setup_error);

}  // namespace loadgen
