#include "runner/server_placement.hpp"

#include <unistd.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "runner/build_info.hpp"
#include "runner/child_output.hpp"
#include "runner/interrupt.hpp"
#include "runner/process.hpp"
#include "runner/ssh_command.hpp"

namespace runner {
namespace {

constexpr auto kProbeTimeout = std::chrono::seconds(30);

std::string local_hostname() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "this machine";
  return name;
}

// The first CPU of a taskset list ("0-3,6" → 0) when the list holds at least two; else -1.
int first_of_two_or_more(const std::string& list) {
  if (list.empty() || (list.find(',') == std::string::npos && list.find('-') == std::string::npos)) return -1;
  try {
    return std::stoi(list);
  } catch (const std::exception&) {
    return -1;
  }
}

}  // namespace

int place_servers(Config& config, std::unique_ptr<NetnsHost>& netns) {
  if (!config.server_netns && !config.server_host) return 0;
  std::string where;
  if (config.server_netns) {
    try {
      netns = NetnsHost::create(std::string(RINGCORE_SOURCE_DIR) + "/harness/runner/netns_server_host.sh");
    } catch (const NetnsUnavailable& e) {
      std::fprintf(stderr, "ringcore-bench: skipped: --server-netns: %s\n", e.what());
      return kExitSkip;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ringcore-bench: --server-netns: %s\n", e.what());
      return interrupted() ? kExitInterrupted : 1;
    }
    // The only non-loopback target allowed without --allow-remote: the address this run just made.
    config.server_host = netns->server_host();
    where = "network namespace " + netns->name() + ", created by this run on this machine; veth " +
            netns->host_address() + " <-> " + config.server_host->address;
    benchmark::AddCustomContext("server_netns", netns->name());
  } else {
    where = config.allow_remote ? "another machine, --allow-remote" : "loopback";
  }
  ServerHost& host = *config.server_host;
  std::fprintf(stderr, "ringcore-bench: servers run on %s over ssh (%s); the load generator sends to %s\n",
               host.destination.c_str(), where.c_str(), host.address.c_str());

  std::vector<std::string> executables;
  for (const auto& b : config.backends) executables.push_back(b.exe.string());
  SpawnOptions options;
  options.argv = ssh_probe_argv(host, executables);
  RemoteMachine machine;
  try {
    Process probe = Process::spawn(options);
    if (!probe.wait(deadline_in(kProbeTimeout))) {
      if (interrupted()) return kExitInterrupted;
      std::fprintf(stderr, "ringcore-bench: ssh %s did not answer within %d s\n", host.destination.c_str(),
                   int(kProbeTimeout.count()));
      return 1;
    }
    if (probe.exit_code() != 0) {
      std::fprintf(stderr, "ringcore-bench: cannot run commands on %s over ssh (%s)\n", host.destination.c_str(),
                   failure_reason(probe).c_str());
      return 1;
    }
    machine = parse_probe(probe.out());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ringcore-bench: ssh: %s\n", e.what());
    return 1;
  }
  if (!machine.missing.empty()) {
    std::fprintf(stderr, "ringcore-bench: %s has no executable %s: the build must exist at the same path there\n",
                 host.destination.c_str(), machine.missing.front().c_str());
    return 2;
  }

  // Pinned there as here: the server on the first CPU it may use, when it may use two or more.
  host.cpu = machine.has_taskset ? first_of_two_or_more(machine.affinity) : -1;
  std::string pinning = host.cpu >= 0 ? "server cpu " + std::to_string(host.cpu) + " (taskset)"
                        : machine.has_taskset ? "none (fewer than 2 CPUs there)"
                                              : "none (no taskset there)";
  benchmark::AddCustomContext("server_host", host.destination);
  benchmark::AddCustomContext("server_address", host.address);
  benchmark::AddCustomContext("server_hostname", machine.hostname);
  benchmark::AddCustomContext("server_kernel", machine.kernel);
  benchmark::AddCustomContext("server_cpu_model", machine.cpu_model);
  benchmark::AddCustomContext("server_cpus", machine.cpus);
  benchmark::AddCustomContext("server_pinning", pinning);
  benchmark::AddCustomContext(
      "hosts", "servers (backend serve): " + host.destination + " (" + where + "), host name " + machine.hostname +
                   "; load generator and file workloads: " + local_hostname() + " (this machine)");
  return 0;
}

}  // namespace runner
