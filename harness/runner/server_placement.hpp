// Before any benchmark runs: where the servers go. Nothing to do without --server-host or
// --server-netns. Otherwise: create the namespace (--server-netns), ask the server host over ssh what
// it is (kernel, CPUs, whether each backend exists at the same path there), choose its CPU for
// pinning, say on stderr which host runs what, and record both in the JSON context (server_host,
// server_address, server_kernel, server_cpu_model, server_cpus, server_pinning, hosts).
#pragma once

#include <memory>

#include "runner/config.hpp"
#include "runner/netns_host.hpp"

namespace runner {

// 0 when the run can go on; else the runner's exit code: 77 (--server-netns: namespaces not
// available here, with the reason on stderr), 1 (the host cannot be reached or probed), 2 (a
// backend does not exist at the same path there).
int place_servers(Config& config, std::unique_ptr<NetnsHost>& netns);

}  // namespace runner
