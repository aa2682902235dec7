// The load generator's event loop: every connection of the run on one thread, non-blocking
// sockets under one edge-triggered epoll set (each socket registered once, no epoll_ctl per request).
#pragma once

#include <string>

#include "latency_log.hpp"
#include "options.hpp"
#include "run_result.hpp"

namespace loadgen {

// Runs the workload `options` describes, recording each verified reply's latency in `log`.
// A setup failure (no epoll instance) returns false with `setup_error` set and nothing run.
bool run_load(const Options& options, LatencyLog& log, RunResult& result, std::string& setup_error);

}  // namespace loadgen
