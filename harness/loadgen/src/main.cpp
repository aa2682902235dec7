// loadgen: the one network client every benchmark server faces (see `loadgen --help`).
// Single-threaded and non-blocking, so that one CPU drives any server the suite measures, and
// every reply is verified byte for byte: a wrong reply is an error, never a score.
#include <signal.h>

#include <cstdio>
#include <string>

#include "bench/counters.hpp"
#include "bench/json.hpp"
#include "engine.hpp"
#include "fd_limit.hpp"
#include "latency_log.hpp"
#include "options.hpp"
#include "run_result.hpp"

namespace {

constexpr int kExitOk = 0, kExitFailure = 1, kExitUsage = 2;
constexpr std::uint64_t kSpareDescriptors = 16;  // stdio, epoll, and room to spare
// Latency storage prepared for duration mode: enough for 400k replies a second.
constexpr std::uint64_t kExpectedRepliesPerMs = 400;

}  // namespace

int main(int argc, char** argv) {
  using namespace loadgen;
  Options options;
  ParseOutcome parsed = parse_options(argc, argv, options);
  if (parsed.kind == ParseOutcome::Kind::help) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (parsed.kind == ParseOutcome::Kind::usage_error) {
    std::fprintf(stderr, "loadgen: %s (see --help)\n", parsed.message.c_str());
    return kExitUsage;
  }
  // A server that resets mid-write must give EPIPE as a value, not end the run.
  ::signal(SIGPIPE, SIG_IGN);

  std::string error;
  if (!ensure_fd_limit(options.connections + kSpareDescriptors, error)) {
    std::fprintf(stderr, "loadgen: %s\n", error.c_str());
    return kExitFailure;
  }
  std::uint64_t expected = options.duration_ms > 0 ? std::uint64_t(options.duration_ms) * kExpectedRepliesPerMs
                                                   : std::uint64_t(options.connections) * options.requests;
  LatencyLog log(expected);

  RunResult result;
  bench::CpuTime cpu_start = bench::CpuTime::process();
  if (!run_load(options, log, result, error)) {
    std::fprintf(stderr, "loadgen: %s\n", error.c_str());
    return kExitFailure;
  }
  bench::CpuTime cpu = bench::CpuTime::process() - cpu_start;

  LatencySummary lat = log.summarize();
  bench::JsonLine()
      .add("requests", result.requests)
      .add("errors", result.errors)
      .add("connect_errors", result.connect_errors)
      .add("timeouts", result.timeouts)
      .add("mismatches", result.mismatches)
      .add("elapsed_ns", result.last_reply_ns - result.first_connect_ns)
      .add("lat_p50_ns", lat.p50_ns)
      .add("lat_p90_ns", lat.p90_ns)
      .add("lat_p99_ns", lat.p99_ns)
      .add("lat_p999_ns", lat.p999_ns)
      .add("lat_max_ns", lat.max_ns)
      .add("bytes_sent", result.bytes_sent)
      .add("bytes_received", result.bytes_received)
      .add("client_cpu_ns", cpu.total_ns())
      .add("first_error", result.first_error)
      .print();
  return result.errors == 0 ? kExitOk : kExitFailure;
}
