// ringcore-bench's command line: the runner's own flags become a Config, Google Benchmark's
// --benchmark_* flags pass through. A bad flag or value prints one clear message (with the valid
// names where there is a list) and exits 2; --help prints the usage and exits 0.
#pragma once

#include <string>
#include <vector>

#include "runner/config.hpp"

namespace runner {

inline constexpr int kExitUsage = 2;

struct CommandLine {
  Config config;
  std::string out;                          // --out / --benchmark_out: the JSON results file
  std::vector<std::string> benchmark_args;  // argv for benchmark::Initialize (argv[0] first)
};

// Exits the process on --help (0) and on any usage error (2).
CommandLine parse_command_line(int argc, char** argv);

}  // namespace runner
