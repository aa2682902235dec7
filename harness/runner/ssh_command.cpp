#include "runner/ssh_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace runner {
namespace {

// Stdin is the stop signal: a watchdog reads it to its end, then TERMs the backend (KILL 5 s later).
// The backend's own stdin is /dev/null; the shell waits for it and exits with its status, after
// killing the watchdog (so a backend that ended by itself is never signalled again).
constexpr const char* kServeScript =
    "exec 3<&0 </dev/null\n"
    "\"$@\" 3<&- &\n"
    "pid=$!\n"
    "(cat <&3; kill -TERM $pid; sleep 5; kill -KILL $pid) >/dev/null 2>&1 &\n"
    "watchdog=$!\n"
    "exec 3<&-\n"
    "wait $pid\n"
    "status=$?\n"
    "kill $watchdog 2>/dev/null\n"
    "exit $status\n";

constexpr const char* kProbeScript =
    "echo \"kernel=$(uname -srm)\"\n"
    "echo \"cpu_model=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -n 1)\"\n"
    "echo \"cpus=$(getconf _NPROCESSORS_ONLN)\"\n"
    "echo \"hostname=$(uname -n)\"\n"
    "if command -v taskset >/dev/null 2>&1; then\n"
    "  echo taskset=1\n"
    "  echo \"affinity=$(taskset -cp $$ | sed 's/.*: *//')\"\n"
    "fi\n"
    "for exe in \"$@\"; do [ -x \"$exe\" ] || echo \"missing=$exe\"; done\n";

// The runner execs without a PATH search; find ssh as a shell would.
std::string ssh_executable() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/ssh";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "/usr/bin/ssh";  // missing: the spawn fails with "cannot run /usr/bin/ssh: No such file..."
}

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

std::vector<std::string> ssh_argv(const ServerHost& host, const std::string& script, const std::vector<std::string>& args) {
  // The first value ssh sees for an option wins: BatchMode (never a prompt) first, then the user's
  // arguments, then defaults the user may override.
  std::vector<std::string> argv{ssh_executable(), "-o", "BatchMode=yes"};
  argv.insert(argv.end(), host.ssh_args.begin(), host.ssh_args.end());
  argv.insert(argv.end(), {"-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5", "-T", "--", host.destination});
  // The remote login shell parses one command line: run our script under /bin/sh whatever it is.
  std::string command = "exec /bin/sh -c " + shell_quote(script) + " ringcore-remote";
  for (const auto& a : args) command += " " + shell_quote(a);
  argv.push_back(std::move(command));
  return argv;
}

std::vector<std::string> ssh_serve_argv(const ServerHost& host, std::vector<std::string> command) {
  if (host.cpu >= 0) command.insert(command.begin(), {"taskset", "-c", std::to_string(host.cpu)});
  // Whether this repetition counts syscalls (the runner sets it per repetition) reaches the remote
  // backend too: ssh does not pass the environment on.
  if (const char* counting = std::getenv("RINGCORE_COUNT_SYSCALLS"))
    command.insert(command.begin(), {"env", std::string("RINGCORE_COUNT_SYSCALLS=") + counting});
  return ssh_argv(host, kServeScript, command);
}

std::vector<std::string> ssh_probe_argv(const ServerHost& host, const std::vector<std::string>& executables) {
  return ssh_argv(host, kProbeScript, executables);
}

RemoteMachine parse_probe(const std::string& output) {
  RemoteMachine m;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "kernel") m.kernel = value;
    else if (key == "cpu_model") m.cpu_model = value;
    else if (key == "cpus") m.cpus = value;
    else if (key == "hostname") m.hostname = value;
    else if (key == "affinity") m.affinity = value;
    else if (key == "taskset") m.has_taskset = value == "1";
    else if (key == "missing") m.missing.push_back(value);
  }
  return m;
}

}  // namespace runner
