// Checks shared by the file commands: skip on 77, then exit 0 and a JSON result line.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "backend_under_test.hpp"
#include "bench/json.hpp"

namespace conformance {

// Skips the test when the backend said 77; otherwise expects exit 0 and sets `line` to its JSON line.
// Call as: expect_result_line(r, line); if (IsSkipped() || !line) return;
inline void expect_result_line(const CommandResult& r, std::optional<bench::JsonObject>& line) {
  if (!r.start_error.empty()) {
    ADD_FAILURE() << r.start_error;
    return;
  }
  if (r.exit.exited && r.exit.code == kExitSkip) {
    GTEST_SKIP() << backend().name << ": " << skip_reason(r.out);
  }
  if (!r.exit.exited || r.exit.code != 0) {
    ADD_FAILURE() << "exit code " << r.exit.code << ", signal " << r.exit.signal
                  << (r.exit.timed_out ? " (killed: no exit within the hang guard)" : "") << "; stderr: " << r.err;
    return;
  }
  std::string error;
  line = bench::JsonObject::parse(last_line(r.out), &error);
  if (!line) ADD_FAILURE() << "no JSON result line (" << error << "): " << r.out;
}

}  // namespace conformance
