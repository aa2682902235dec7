// Commands run on the server host over OpenSSH: `ssh -o BatchMode=yes ...` with the user's own keys
// and configuration (no agent of ours), each remote command a POSIX sh script with its arguments
// quoted for the remote login shell.
#pragma once

#include <string>
#include <vector>

#include "runner/config.hpp"

namespace runner {

// `'text'` for a POSIX shell, single quotes inside escaped as '\''.
std::string shell_quote(const std::string& text);

// ssh's argv for running `script` with /bin/sh on `host`, `args` as its $1, $2, ...
std::vector<std::string> ssh_argv(const ServerHost& host, const std::string& script, const std::vector<std::string>& args);

// A backend's `serve` on `host`, to be spawned with stdin_pipe: the remote shell starts `command`
// (taskset-pinned when host.cpu >= 0) and stops it with SIGTERM (SIGKILL 5 s later) as soon as its
// stdin ends. Closing the pipe is the normal stop; a runner that dies or kills ssh ends the session,
// which ends that stdin too, so no server outlives its run. The exit status is the backend's.
std::vector<std::string> ssh_serve_argv(const ServerHost& host, std::vector<std::string> command);

// What the server host says about itself (ssh_probe_argv's output, one key=value a line).
struct RemoteMachine {
  std::string kernel, cpu_model, cpus, hostname, affinity;
  bool has_taskset = false;
  std::vector<std::string> missing;  // backend executables not found at the same path there
};

std::vector<std::string> ssh_probe_argv(const ServerHost& host, const std::vector<std::string>& executables);
RemoteMachine parse_probe(const std::string& output);

}  // namespace runner
