// Machine metadata for the results' `context` (benchmark::AddCustomContext): kernel, cpu_model,
// cpus, compiler, cxx_flags, liburing, libuv, boost, git_commit, profile, and how processes were
// pinned. Google Benchmark writes `date` itself.
#pragma once

#include "runner/config.hpp"

namespace runner {

void add_machine_context(const Config& config);

}  // namespace runner
