// Reading what a backend or the load generator printed: its JSON result line, and the reason it
// gives when it skips (exit 77, {"skip": reason} on stdout) or fails (one line on stderr).
#pragma once

#include <optional>
#include <string>

#include "bench/json.hpp"
#include "runner/process.hpp"

namespace runner {

inline constexpr int kExitSkip = 77;  // harness/README.md: "not supported here"

// The last stdout line that parses as a JSON object.
std::optional<bench::JsonObject> last_json_line(const Process& p);

// Why a child that exited 77 skipped: its "skip" field, else its last output line.
std::string skip_reason(const Process& p);

// Why a child failed: "exit code 1: <last stderr line>" (or its exit description alone).
std::string failure_reason(const Process& p);

}  // namespace runner
