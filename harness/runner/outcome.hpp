// How a repetition ends when it cannot produce a score. The text is what Google Benchmark records
// as error_message, so it always starts with "failed: " or "skipped: " (harness/README.md).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace runner {

class RunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  bool skipped() const { return std::string_view(what()).starts_with("skipped: "); }
};

// "failed: <backend>: <why>": anything that fails names the backend.
inline RunError failed(std::string_view backend, std::string_view why) {
  return RunError("failed: " + std::string(backend) + ": " + std::string(why));
}

// "skipped: <reason>": the backend exited 77 with that reason, or the run was interrupted.
inline RunError skipped(std::string_view reason) { return RunError("skipped: " + std::string(reason)); }

}  // namespace runner
