// loadgen: the one network client every benchmark server faces (see `loadgen --help`).
// Single-threaded and non-blocking, so that one CPU drives any server the suite measures, and
// every reply is verified byte for byte: a wrong reply is an error, never a score.
#include <signal.h>

#include <cstdio>
#include <memory>
#include <string>

#include "bench/counters.hpp"
#include "bench/json.hpp"
#include "engine.hpp"
#include "fd_limit.hpp"
#include "options.hpp"
#include "run_result.hpp"

namespace {

constexpr int kExitOk = 0, kExitFailure = 1, kExitUsage = 2;
constexpr std::uint64_t kSpareDescriptors = 16;  // stdio, epoll, and room to spare

// One latency distribution as the keys <prefix>_p50_ns ... <prefix>_max_ns.
void add_percentiles(bench::JsonLine& line, const std::string& prefix, const loadgen::LatencySummary& s) {
  line.add(prefix + "_p50_ns", s.p50_ns)
      .add(prefix + "_p90_ns", s.p90_ns)
      .add(prefix + "_p99_ns", s.p99_ns)
      .add(prefix + "_p999_ns", s.p999_ns)
      .add(prefix + "_p9999_ns", s.p9999_ns)
      .add(prefix + "_max_ns", s.max_ns);
}

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
  // Histograms of ~220 KB each, made before the run: recording never allocates.
  auto latencies = std::make_unique<Latencies>();

  RunResult result;
  bench::CpuTime cpu_start = bench::CpuTime::process();
  if (!run_load(options, *latencies, result, error)) {
    std::fprintf(stderr, "loadgen: %s\n", error.c_str());
    return kExitFailure;
  }
  bench::CpuTime cpu = bench::CpuTime::process() - cpu_start;

  const bool open_loop = options.rate > 0;
  // Open loop: the schedule's time, so achieved_rps compares with offered_rps.
  std::int64_t from = open_loop && result.schedule_start_ns > 0 ? result.schedule_start_ns : result.first_connect_ns;
  std::int64_t elapsed = result.last_reply_ns - from;
  bench::JsonLine line;
  line.add("requests", result.requests)
      .add("errors", result.errors)
      .add("connect_errors", result.connect_errors)
      .add("timeouts", result.timeouts)
      .add("mismatches", result.mismatches)
      .add("elapsed_ns", elapsed);
  add_percentiles(line, "lat", latencies->from_send.summarize());
  line.add("bytes_sent", result.bytes_sent)
      .add("bytes_received", result.bytes_received)
      .add("client_cpu_ns", cpu.total_ns());
  if (open_loop) {
    double seconds = double(elapsed) / 1e9;
    line.add("offered_rps", std::int64_t(options.rate))
        .add("achieved_rps", seconds > 0 ? double(result.requests) / seconds : 0.0);
    add_percentiles(line, "clat", latencies->from_schedule.summarize());
    line.add("behind_requests", result.behind_requests)
        .add("behind_share", result.requests > 0 ? double(result.behind_requests) / double(result.requests) : 0.0)
        .add("client_lag_p99_ns", latencies->client_lag.value_at_percentile(99))
        .add("client_lag_max_ns", result.client_lag_max_ns)
        .add("server_wait_max_ns", result.server_wait_max_ns);
  }
  line.add("first_error", result.first_error).print();
  return result.errors == 0 ? kExitOk : kExitFailure;
}
