#include "net_run.hpp"

#include <vector>

#include "runner/loadgen.hpp"
#include "runner/outcome.hpp"
#include "runner/server.hpp"

namespace workloads {
namespace {

// The load generator is the bottleneck, not the server, once it burns this share of its CPU.
constexpr double kClientBoundUtil = 0.9;

std::string describe_errors(const runner::LoadgenResult& r) {
  std::string why = r.first_error.empty() ? "load generator reported errors" : r.first_error;
  why += " (" + std::to_string(r.errors) + " errors, " + std::to_string(r.mismatches) + " mismatches, " +
         std::to_string(r.timeouts) + " timeouts, " + std::to_string(r.connect_errors) + " connect errors; " +
         std::to_string(r.requests) + " requests verified)";
  return why;
}

}  // namespace

NetOutcome run_network_checked(const runner::Config& config, const runner::Backend& backend, const NetRun& run) {
  std::vector<std::string> serve_args{"--proto", run.proto, "--port", "0"};
  if (config.size) serve_args.insert(serve_args.end(), {"--size", std::to_string(*config.size)});
  auto server = runner::Server::start(backend, serve_args, config);  // here or on --server-host

  runner::LoadgenArgs args;
  args.host = server.host();
  args.port = server.port();
  args.proto = run.proto;
  args.mode = run.mode;
  args.connections = run.connections;
  args.requests = run.duration_ms > 0 ? 0 : run.requests;
  args.duration_ms = run.duration_ms;
  args.size = config.size.value_or(0);
  args.rate = run.rate;
  auto result = runner::run_loadgen(config.loadgen, args, config.client_cpu, backend.name, server.process());

  // A server that died mid-run explains the client's errors better than the errors do.
  server.check_alive();
  auto counters = server.stop();

  if (result.errors > 0 || result.mismatches > 0 || result.exit_code != 0) {
    throw runner::failed(backend.name, describe_errors(result));
  }
  std::int64_t expected = run.duration_ms > 0 ? 1 : std::int64_t(run.connections * run.requests);
  if (result.requests < expected || result.elapsed_ns <= 0) {
    throw runner::failed(backend.name, "load generator verified " + std::to_string(result.requests) +
                                           " requests, expected " + std::to_string(expected));
  }
  return {std::move(result), counters};
}

Measurement run_network(const runner::Config& config, const runner::Backend& backend, const NetRun& run) {
  auto [result, counters] = run_network_checked(config, backend, run);

  // Every per-request figure divides by the load generator's count: it verified each reply, and a
  // reference server (nginx) may not count requests itself.
  const double requests = double(result.requests);
  const double seconds = double(result.elapsed_ns) / 1e9;
  const double client_util = result.client_cpu_ns >= 0 ? double(result.client_cpu_ns) / double(result.elapsed_ns) : -1;
  Measurement m;
  m.elapsed_ns = result.elapsed_ns;
  m.counter("requests", requests)
      .counter("requests_per_second", requests / seconds)
      .counter("lat_p50_us", double(result.lat.p50_ns) / 1e3)
      .counter("lat_p90_us", double(result.lat.p90_ns) / 1e3)
      .counter("lat_p99_us", double(result.lat.p99_ns) / 1e3)
      .counter("lat_p999_us", double(result.lat.p999_ns) / 1e3)
      .counter("lat_max_us", double(result.lat.max_ns) / 1e3)
      .counter("server_cpu_us_per_req", counters.cpu_ns >= 0 ? double(counters.cpu_ns) / 1e3 / requests : -1)
      .counter("syscalls", double(counters.syscalls))
      .counter("syscalls_per_op", counters.syscalls >= 0 ? double(counters.syscalls) / requests : -1)
      .counter("client_cpu_util", client_util)
      .counter("client_bound", client_util >= kClientBoundUtil ? 1 : 0)
      .counter("errors", double(result.errors));
  // A server that counts its own io_uring_enter calls (ringcore) says so in its counters line.
  if (counters.enters >= 0) m.counter("enters_per_op", double(counters.enters) / requests);
  return m;
}

}  // namespace workloads
