// A backend's file command (file-read, copy-chain) run to completion, unpinned: thread-pool
// backends need both CPUs for their file work. Returns its JSON result line.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bench/json.hpp"
#include "runner/config.hpp"

namespace runner {

// Throws RunError: "skipped: <reason>" on exit 77, "failed: <backend>: ..." on any other failure,
// on overrunning `bound`, or when no JSON line came out.
bench::JsonObject run_backend_command(const Backend& backend, const std::vector<std::string>& args,
                                      std::chrono::milliseconds bound);

}  // namespace runner
