#include "runner/backend_command.hpp"

#include <stdexcept>

#include "runner/child_output.hpp"
#include "runner/outcome.hpp"
#include "runner/process.hpp"

namespace runner {

bench::JsonObject run_backend_command(const Backend& backend, const std::vector<std::string>& args,
                                      std::chrono::milliseconds bound) {
  SpawnOptions options;
  options.argv.push_back(backend.exe.string());
  options.argv.insert(options.argv.end(), backend.args.begin(), backend.args.end());
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  Process process;
  try {
    process = Process::spawn(options);
  } catch (const std::runtime_error& e) {
    throw failed(backend.name, e.what());
  }
  std::string command = args.empty() ? std::string() : args.front();
  if (!process.wait(deadline_in(bound))) {
    process.kill();
    throw failed(backend.name, command + " did not finish within " +
                                   std::to_string(std::chrono::duration_cast<std::chrono::seconds>(bound).count()) + " s");
  }
  if (process.exit_code() == kExitSkip) throw skipped(skip_reason(process));
  if (process.exit_code() != 0) throw failed(backend.name, command + " failed (" + failure_reason(process) + ")");
  auto line = last_json_line(process);
  if (!line) throw failed(backend.name, command + " printed no JSON result line");
  return *line;
}

}  // namespace runner
