// net_sequential: 100 requests one after another on one client, either each on a fresh connection
// (connect, request, close: the cost of accept) or all on one keep-alive connection (the cost of a
// round trip). Names: net_sequential/<backend>/proto:echo|http/mode:reconnect|keepalive.
#include <string>
#include <vector>

#include "net_run.hpp"
#include "workload.hpp"

namespace workloads {
namespace {

struct Plan {
  std::uint64_t requests;
  int repetitions;
};

Plan plan_for(const runner::Config& config) {
  Plan p{100, 5};
  if (config.profile == runner::Profile::full) p.repetitions = 10;
  if (config.requests) p.requests = *config.requests;
  p.repetitions = config.repetitions_or(p.repetitions);
  return p;
}

class NetSequential final : public Workload {
 public:
  std::string_view name() const override { return "net_sequential"; }
  std::string_view summary() const override {
    return "100 requests one after another: a fresh connection each, or one keep-alive connection";
  }
  std::vector<Variant> variants(const runner::Config& config) const override {
    Plan plan = plan_for(config);
    std::vector<Variant> out;
    for (const char* proto : {"echo", "http"}) {
      for (const char* mode : {"reconnect", "keepalive"}) {
        Variant v;
        v.params = {{"proto", proto}, {"mode", mode}};
        v.repetitions = plan.repetitions;
        NetRun run{proto, mode, 1, plan.requests, 0};
        v.run = [&config, run](const runner::Backend& backend) { return run_network(config, backend, run); };
        out.push_back(std::move(v));
      }
    }
    return out;
  }
};

const Registrar<NetSequential> registrar;

}  // namespace
}  // namespace workloads
