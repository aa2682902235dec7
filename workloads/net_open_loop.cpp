// net_open_loop: latency against offered load, without coordinated omission. Per backend, a
// closed-loop calibration (100 keep-alive HTTP connections as fast as they go) finds the rate it
// reaches; then the load generator offers 10% … 110% of that rate on a fixed schedule (--rate) and
// reports latency from each request's scheduled send (corrected, clat_*) and from its actual send
// (uncorrected, ulat_*). Above the server's maximum the corrected tail explodes; the uncorrected one
// hides it. A point where the load generator itself fell behind its schedule is not the server's
// number: it is skipped with that reason (harness/README.md).
// Names: net_open_loop/<backend>/proto:http/conns:<n>/load_pct:<p>.
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "net_run.hpp"
#include "runner/outcome.hpp"
#include "workload.hpp"

namespace workloads {
namespace {

// Behind schedule: more than this share of requests sent over 1 ms late through the generator's fault.
constexpr double kMaxBehindShare = 0.01;

// One latency distribution as the counters <prefix>_p50_us ... <prefix>_max_us.
void add_percentiles(Measurement& m, const std::string& prefix, const runner::Percentiles& p) {
  m.counter(prefix + "_p50_us", double(p.p50_ns) / 1e3)
      .counter(prefix + "_p90_us", double(p.p90_ns) / 1e3)
      .counter(prefix + "_p99_us", double(p.p99_ns) / 1e3)
      .counter(prefix + "_p999_us", double(p.p999_ns) / 1e3)
      .counter(prefix + "_p9999_us", double(p.p9999_ns) / 1e3)
      .counter(prefix + "_max_us", double(p.max_ns) / 1e3);
}

struct Plan {
  std::uint64_t connections;
  std::uint64_t calibration_ms;
  std::uint64_t point_ms;
  std::vector<int> load_pcts;
  // Per point. A single run's p99 moves by up to 10x on this VM (millisecond stalls of an idle vCPU
  // land in any 1% tail), and the knee compares p99s: the median of three is what it compares.
  int repetitions;
};

Plan plan_for(const runner::Config& config) {
  Plan p;
  switch (config.profile) {
    case runner::Profile::quick: p = {100, 300, 300, {10, 80, 110}, 1}; break;  // the knee table's three points
    case runner::Profile::standard: p = {100, 1000, 500, {10, 30, 50, 70, 80, 90, 100, 110}, 3}; break;
    case runner::Profile::full: p = {100, 2000, 1000, {10, 20, 30, 50, 70, 80, 90, 95, 100, 110}, 5}; break;
  }
  if (config.connections) p.connections = *config.connections;
  return p;
}

// The closed-loop rate each backend reached, measured once per process (the first point asks).
struct Calibration {
  double rps = 0;
  std::string error;  // the run's RunError text when it could not be measured
};

const Calibration& calibrate(const runner::Config& config, const runner::Backend& backend, const Plan& plan) {
  static std::map<std::string, Calibration> cache;
  auto it = cache.find(backend.name);
  if (it != cache.end()) return it->second;
  Calibration c;
  try {
    NetOutcome o = run_network_checked(config, backend, NetRun{"http", "keepalive", plan.connections, 0, plan.calibration_ms});
    c.rps = double(o.client.requests) / (double(o.client.elapsed_ns) / 1e9);
    std::fprintf(stderr, "(net_open_loop: %s reached %.0f req/s closed-loop) ", backend.name.c_str(), c.rps);
  } catch (const runner::RunError& e) {
    c.error = e.what();
  }
  return cache.emplace(backend.name, std::move(c)).first->second;
}

Measurement run_point(const runner::Config& config, const runner::Backend& backend, const Plan& plan, int load_pct) {
  const Calibration& cal = calibrate(config, backend, plan);
  if (!cal.error.empty()) throw runner::RunError(cal.error);
  auto rate = std::uint64_t(std::llround(cal.rps * load_pct / 100.0));
  if (rate == 0) rate = 1;
  NetRun run{"http", "keepalive", plan.connections, 0, plan.point_ms, rate};
  auto [r, server] = run_network_checked(config, backend, run);

  // The generator sends every request scheduled in the window, however late: fewer is a bug.
  const std::uint64_t scheduled = (plan.point_ms * rate + 999) / 1000;
  if (std::uint64_t(r.requests) != scheduled)
    throw runner::failed(backend.name, "open loop verified " + std::to_string(r.requests) + " requests, scheduled " +
                                           std::to_string(scheduled));
  if (r.behind_share > kMaxBehindShare) {
    char why[256];
    std::snprintf(why, sizeof why,
                  "load generator behind schedule: %.1f%% of requests sent > 1 ms late by the client itself "
                  "(max lag %.1f ms, client CPU %.0f%%); not the server's number",
                  r.behind_share * 100, double(r.client_lag_max_ns) / 1e6,
                  100.0 * double(r.client_cpu_ns) / double(r.elapsed_ns));
    throw runner::skipped(why);
  }

  const double requests = double(r.requests);
  auto us = [](std::int64_t ns) { return double(ns) / 1e3; };
  Measurement m;
  m.elapsed_ns = r.elapsed_ns;
  m.counter("requests", requests)
      .counter("load_pct", load_pct)
      .counter("closed_loop_rps", cal.rps)
      .counter("offered_rps", r.offered_rps)
      .counter("achieved_rps", r.achieved_rps);
  add_percentiles(m, "clat", r.clat);  // corrected: from the scheduled send
  add_percentiles(m, "ulat", r.lat);   // uncorrected: from the actual send
  m.counter("behind_share", r.behind_share)
      .counter("behind_schedule", 0)  // a point that fell behind never gets here
      .counter("client_lag_p99_us", us(r.client_lag_p99_ns))
      .counter("client_lag_max_us", us(r.client_lag_max_ns))
      .counter("server_cpu_us_per_req", server.cpu_ns >= 0 ? double(server.cpu_ns) / 1e3 / requests : -1)
      .counter("syscalls", double(server.syscalls))
      .counter("syscalls_per_op", server.syscalls >= 0 ? double(server.syscalls) / requests : -1)
      .counter("client_cpu_util", r.client_cpu_ns >= 0 ? double(r.client_cpu_ns) / double(r.elapsed_ns) : -1)
      .counter("errors", double(r.errors));
  return m;
}

class NetOpenLoop final : public Workload {
 public:
  std::string_view name() const override { return "net_open_loop"; }
  std::string_view summary() const override {
    return "latency vs offered load: 10..110% of each backend's closed-loop rate on a fixed schedule (HTTP, 100 conns)";
  }
  std::vector<Variant> variants(const runner::Config& config) const override {
    Plan plan = plan_for(config);
    std::vector<Variant> out;
    for (int pct : plan.load_pcts) {
      Variant v;
      v.params = {{"proto", "http"}, {"conns", std::to_string(plan.connections)}, {"load_pct", std::to_string(pct)}};
      v.repetitions = config.repetitions_or(plan.repetitions);
      v.run = [&config, plan, pct](const runner::Backend& backend) { return run_point(config, backend, plan, pct); };
      out.push_back(std::move(v));
    }
    return out;
  }
};

const Registrar<NetOpenLoop> registrar;

}  // namespace
}  // namespace workloads
