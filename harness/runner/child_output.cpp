#include "runner/child_output.hpp"

namespace runner {

std::optional<bench::JsonObject> last_json_line(const Process& p) {
  auto lines = p.out_lines();
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (!it->starts_with("{")) continue;
    if (auto obj = bench::JsonObject::parse(*it)) return obj;
  }
  return std::nullopt;
}

std::string skip_reason(const Process& p) {
  if (auto line = last_json_line(p)) {
    if (auto reason = line->string("skip")) return *reason;
  }
  auto lines = p.out_lines();
  if (!lines.empty()) return lines.back();
  if (auto err = p.last_err_line(); !err.empty()) return err;
  return "the backend exited 77 without a reason";
}

std::string failure_reason(const Process& p) {
  std::string why = p.describe_exit();
  if (auto err = p.last_err_line(); !err.empty()) why += ": " + err;
  return why;
}

}  // namespace runner
