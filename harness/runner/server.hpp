// A backend's server for one repetition: `backend-<name> serve ...` pinned to the server CPU,
// started and awaited ("ready N") with a bound, and always stopped: SIGTERM, up to 5 s, then SIGKILL.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/json.hpp"
#include "runner/config.hpp"
#include "runner/process.hpp"

namespace runner {

// The server's counters line (bench::ServeMeter::report); -1 where a figure is missing.
struct ServerCounters {
  std::int64_t requests = -1;
  std::int64_t errors = -1;
  std::int64_t cpu_ns = -1;  // cpu_user_ns + cpu_sys_ns
  std::int64_t syscalls = -1;
  std::int64_t enters = -1;  // io_uring_enter calls, by the server's own ring count (ringcore)
};

class Server {
 public:
  static constexpr std::chrono::seconds kReadyTimeout{10};
  static constexpr std::chrono::seconds kStopTimeout{5};

  // Runs `<backend> serve <serve_args...>` and waits for "ready N". Throws RunError: "skipped: <reason>"
  // when the backend exits 77, "failed: <backend>: ..." when it exits or stays silent instead.
  static Server start(const Backend& backend, const std::vector<std::string>& serve_args, int cpu);

  // Where `config` places servers: here (as above, on config.server_cpu), or on config.server_host
  // over ssh, listening on its address (`--bind`). The same executable path must exist there.
  static constexpr std::chrono::seconds kRemoteReadyTimeout{20};  // ssh's own connect included
  static Server start(const Backend& backend, const std::vector<std::string>& serve_args, const Config& config);

  std::uint16_t port() const { return port_; }
  // The address the load generator connects to: empty for this machine's loopback.
  const std::string& host() const { return host_; }
  Process& process() { return process_; }

  // Throws "failed: <backend>: server died during the run (...)" when it is no longer running.
  void check_alive();

  // SIGTERM, up to kStopTimeout for it to exit, then SIGKILL and "failed: <backend>: server did not
  // exit within 5 s". Also fails on a non-zero exit or a missing counters line.
  ServerCounters stop();

 private:
  Server(const Backend& backend, Process process, std::uint16_t port)
      : backend_(backend.name), process_(std::move(process)), port_(port) {}
  static std::uint16_t await_ready(const Backend& backend, Process& process, std::chrono::seconds timeout);

  std::string backend_;
  Process process_;  // its destructor kills the group if stop() was never reached
  std::uint16_t port_ = 0;
  std::string host_;    // remote: the server host's address
  bool remote_ = false; // process_ is ssh: stopping is closing its stdin
};

}  // namespace runner
