// net_concurrent: many clients at once. The burst opens every connection at the same moment and
// sends one request on each (accept storms, wake-ups); the sustained run keeps 100 HTTP keep-alive
// connections busy for a fixed time, where server CPU per request separates the fast servers.
// Names: net_concurrent/<backend>/proto:echo|http/conns:<n> (burst),
//        net_concurrent/<backend>/proto:http/conns:<n>/duration_ms:<ms> (sustained).
#include <algorithm>
#include <string>
#include <vector>

#include "net_run.hpp"
#include "workload.hpp"

namespace workloads {
namespace {

struct Plan {
  std::vector<std::uint64_t> burst_connections;
  std::uint64_t burst_requests;  // per connection
  std::uint64_t sustained_connections;
  std::uint64_t sustained_ms;
  int repetitions;
};

Plan plan_for(const runner::Config& config) {
  Plan p;
  switch (config.profile) {
    case runner::Profile::quick: p = {{1000}, 1, 100, 500, 5}; break;
    case runner::Profile::standard: p = {{10, 100, 1000, 5000}, 1, 100, 2000, 5}; break;
    case runner::Profile::full: p = {{10, 100, 1000, 5000}, 1, 100, 2000, 10}; break;
  }
  if (config.connections) {
    p.burst_connections = {*config.connections};
    p.sustained_connections = *config.connections;
  }
  if (config.requests) p.burst_requests = *config.requests;
  p.repetitions = config.repetitions_or(p.repetitions);
  return p;
}

class NetConcurrent final : public Workload {
 public:
  std::string_view name() const override { return "net_concurrent"; }
  std::string_view summary() const override {
    return "connections at once with one request each (10..5000), and 100 keep-alive HTTP clients for a fixed time";
  }
  std::vector<Variant> variants(const runner::Config& config) const override {
    Plan plan = plan_for(config);
    std::vector<Variant> out;
    auto add = [&](std::vector<Param> params, NetRun run) {
      Variant v;
      v.params = std::move(params);
      // 5,000 connections cost the thread-per-connection server seconds per run: fewer repetitions
      // there keep the default profile within its time budget (explicit --repetitions still wins).
      v.repetitions = run.connections >= 5000 && !config.repetitions ? std::min(plan.repetitions, 3) : plan.repetitions;
      v.run = [&config, run](const runner::Backend& backend) { return run_network(config, backend, run); };
      out.push_back(std::move(v));
    };
    for (const char* proto : {"echo", "http"}) {
      for (std::uint64_t conns : plan.burst_connections) {
        add({{"proto", proto}, {"conns", std::to_string(conns)}}, NetRun{proto, "keepalive", conns, plan.burst_requests, 0});
      }
    }
    add({{"proto", "http"},
         {"conns", std::to_string(plan.sustained_connections)},
         {"duration_ms", std::to_string(plan.sustained_ms)}},
        NetRun{"http", "keepalive", plan.sustained_connections, 0, plan.sustained_ms});
    return out;
  }
};

const Registrar<NetConcurrent> registrar;

}  // namespace
}  // namespace workloads
