#include "runner/server.hpp"

#include <signal.h>

#include <charconv>
#include <stdexcept>

#include "runner/child_output.hpp"
#include "runner/outcome.hpp"
#include "runner/ssh_command.hpp"

namespace runner {
namespace {

std::int64_t figure(const bench::JsonObject& line, const char* key) {
  return line.integer(key).value_or(-1);
}

}  // namespace

Server Server::start(const Backend& backend, const std::vector<std::string>& serve_args, int cpu) {
  SpawnOptions options;
  options.argv.push_back(backend.exe.string());
  options.argv.insert(options.argv.end(), backend.args.begin(), backend.args.end());
  options.argv.push_back("serve");
  options.argv.insert(options.argv.end(), serve_args.begin(), serve_args.end());
  options.cpu = cpu;
  Process process;
  try {
    process = Process::spawn(options);
  } catch (const std::runtime_error& e) {
    throw failed(backend.name, e.what());
  }
  std::uint16_t port = await_ready(backend, process, kReadyTimeout);
  return Server(backend, std::move(process), port);
}

Server Server::start(const Backend& backend, const std::vector<std::string>& serve_args, const Config& config) {
  if (!config.server_host) return start(backend, serve_args, config.server_cpu);
  const ServerHost& host = *config.server_host;
  std::vector<std::string> command{backend.exe.string(), "serve"};
  command.insert(command.end(), serve_args.begin(), serve_args.end());
  command.insert(command.end(), {"--bind", host.address});
  SpawnOptions options;
  options.argv = ssh_serve_argv(host, std::move(command));
  options.stdin_pipe = true;
  Process process;
  try {
    process = Process::spawn(options);
  } catch (const std::runtime_error& e) {
    throw failed(backend.name, std::string("ssh: ") + e.what());
  }
  std::uint16_t port = await_ready(backend, process, kRemoteReadyTimeout);
  Server server(backend, std::move(process), port);
  server.host_ = host.address;
  server.remote_ = true;
  return server;
}

std::uint16_t Server::await_ready(const Backend& backend, Process& process, std::chrono::seconds timeout) {
  auto ready = process.wait_for_line("ready ", deadline_in(timeout));
  if (!ready) {
    if (process.running()) {
      process.kill();
      throw failed(backend.name, "server printed no \"ready N\" within " + std::to_string(timeout.count()) + " s");
    }
    if (process.exit_code() == kExitSkip) throw skipped(skip_reason(process));
    throw failed(backend.name, "server exited before \"ready\" (" + failure_reason(process) + ")");
  }
  std::string_view digits = std::string_view(*ready).substr(6);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535) {
    process.kill();
    throw failed(backend.name, "server said \"" + *ready + "\", expected \"ready <port>\"");
  }
  return std::uint16_t(port);
}

void Server::check_alive() {
  if (process_.check_exited()) {
    throw failed(backend_, "server died during the run (" + failure_reason(process_) + ")");
  }
}

ServerCounters Server::stop() {
  check_alive();
  // Remote: the end of ssh's stdin makes the remote shell send SIGTERM (and SIGKILL 5 s later).
  if (remote_) process_.close_stdin();
  else process_.signal_group(SIGTERM);
  auto bound = remote_ ? kStopTimeout + std::chrono::seconds(5) : kStopTimeout;
  if (!process_.wait(deadline_in(bound))) {
    process_.kill();
    throw failed(backend_, "server did not exit within " + std::to_string(bound.count()) + " s");
  }
  if (process_.exit_code() != 0) {
    // SIGKILL is no server's answer to SIGTERM: something killed it (itself, the OOM killer), most
    // likely before the SIGTERM, while its death was not yet visible to check_alive().
    if (process_.term_signal() == SIGKILL)
      throw failed(backend_, "server died during the run (" + failure_reason(process_) + ")");
    throw failed(backend_, "server ended badly after SIGTERM (" + failure_reason(process_) + ")");
  }
  auto line = last_json_line(process_);
  if (!line) throw failed(backend_, "server printed no counters line at exit");
  ServerCounters c;
  c.requests = figure(*line, "requests");
  c.errors = figure(*line, "errors");
  std::int64_t user = figure(*line, "cpu_user_ns"), sys = figure(*line, "cpu_sys_ns");
  c.cpu_ns = user >= 0 && sys >= 0 ? user + sys : -1;
  c.syscalls = figure(*line, "syscalls");
  c.enters = figure(*line, "enters");
  return c;
}

}  // namespace runner
