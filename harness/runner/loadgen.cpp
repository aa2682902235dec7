#include "runner/loadgen.hpp"

#include <chrono>
#include <stdexcept>

#include "runner/child_output.hpp"
#include "runner/outcome.hpp"

namespace runner {

std::vector<std::string> LoadgenArgs::argv() const {
  std::vector<std::string> a{"--port", std::to_string(port), "--proto", proto, "--mode", mode,
                             "--connections", std::to_string(connections)};
  if (duration_ms > 0) {
    a.insert(a.end(), {"--duration-ms", std::to_string(duration_ms)});
  } else {
    a.insert(a.end(), {"--requests", std::to_string(requests)});
  }
  if (!host.empty()) a.insert(a.end(), {"--host", host});
  if (size > 0) a.insert(a.end(), {"--size", std::to_string(size)});
  if (timeout_ms > 0) a.insert(a.end(), {"--timeout-ms", std::to_string(timeout_ms)});
  if (rate > 0) a.insert(a.end(), {"--rate", std::to_string(rate)});
  return a;
}

namespace {

// The load generator bounds its own run (by default 30 s, or the duration + 30 s) and then reports
// what is unfinished as timeouts; the runner's bound only catches a client that is itself stuck.
std::chrono::milliseconds bound_for(const LoadgenArgs& a) {
  std::chrono::milliseconds own{a.timeout_ms > 0 ? a.timeout_ms : a.duration_ms + 30'000};
  return own + std::chrono::seconds(30);
}

std::int64_t figure(const bench::JsonObject& line, const std::string& key, std::int64_t missing = 0) {
  return line.integer(key).value_or(missing);
}

Percentiles percentiles(const bench::JsonObject& line, const std::string& prefix) {
  Percentiles p;
  p.p50_ns = figure(line, prefix + "_p50_ns");
  p.p90_ns = figure(line, prefix + "_p90_ns");
  p.p99_ns = figure(line, prefix + "_p99_ns");
  p.p999_ns = figure(line, prefix + "_p999_ns");
  p.p9999_ns = figure(line, prefix + "_p9999_ns");
  p.max_ns = figure(line, prefix + "_max_ns");
  return p;
}

}  // namespace

LoadgenResult run_loadgen(const std::filesystem::path& exe, const LoadgenArgs& args, int cpu,
                          const std::string& backend, Process& server) {
  SpawnOptions options;
  options.argv.push_back(exe.string());
  for (auto& a : args.argv()) options.argv.push_back(std::move(a));
  options.cpu = cpu;
  Process client;
  try {
    client = Process::spawn(options);
  } catch (const std::runtime_error& e) {
    throw failed(backend, std::string("load generator: ") + e.what());
  }
  auto bound = bound_for(args);
  if (!client.wait(Clock::now() + bound, &server)) {
    client.kill();
    throw failed(backend, "load generator did not finish within " +
                              std::to_string(std::chrono::duration_cast<std::chrono::seconds>(bound).count()) + " s");
  }
  auto line = last_json_line(client);
  if (!line) throw failed(backend, "load generator printed no result (" + failure_reason(client) + ")");
  LoadgenResult r;
  r.requests = figure(*line, "requests");
  r.errors = figure(*line, "errors");
  r.connect_errors = figure(*line, "connect_errors");
  r.timeouts = figure(*line, "timeouts");
  r.mismatches = figure(*line, "mismatches");
  r.elapsed_ns = figure(*line, "elapsed_ns");
  r.lat = percentiles(*line, "lat");
  r.client_cpu_ns = figure(*line, "client_cpu_ns", -1);
  if (args.rate > 0) {
    r.clat = percentiles(*line, "clat");
    r.offered_rps = line->number("offered_rps").value_or(0);
    r.achieved_rps = line->number("achieved_rps").value_or(0);
    r.behind_requests = figure(*line, "behind_requests");
    r.behind_share = line->number("behind_share").value_or(0);
    r.client_lag_p99_ns = figure(*line, "client_lag_p99_ns");
    r.client_lag_max_ns = figure(*line, "client_lag_max_ns");
    r.server_wait_max_ns = figure(*line, "server_wait_max_ns");
  }
  r.first_error = line->string("first_error").value_or("");
  r.exit_code = client.exit_code();
  return r;
}

}  // namespace runner
