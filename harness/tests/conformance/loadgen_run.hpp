// Runs the suite's load generator against a server and returns its JSON result line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backend_under_test.hpp"
#include "bench/json.hpp"

namespace conformance {

struct LoadgenRun {
  CommandResult command;
  std::optional<bench::JsonObject> result;  // its one JSON line, when it printed one
  std::string parse_error;
};

inline LoadgenRun run_loadgen(const std::vector<std::string>& args) {
  LoadgenRun run;
  std::vector<std::string> argv{backend().loadgen};
  argv.insert(argv.end(), args.begin(), args.end());
  run.command = run_program(argv);
  run.result = bench::JsonObject::parse(last_line(run.command.out), &run.parse_error);
  return run;
}

}  // namespace conformance
