// What one invocation of ringcore-bench runs: the parsed command line, read by the runner and by
// every workload (each picks its parameters from the profile and the overrides).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runner {

// `--profile quick|default|full`: how many variants and repetitions, and how big the data.
enum class Profile { quick, standard, full };

std::string_view profile_name(Profile p);

// One backend executable, `<backend dir>/backend-<name>`. A configured backend, `<name>.<config>`
// (the ablation's `ringcore.defer`), is the same executable run with `--ring-config <config>`.
struct Backend {
  std::string name;
  std::filesystem::path exe;
  std::vector<std::string> args;  // before the command: `--ring-config <config>` for `<name>.<config>`
};

// Where the servers run when not on this machine: --server-host, or the namespace of --server-netns
// (README.md, "Two hosts"). The load generator and file commands stay here.
struct ServerHost {
  std::string destination;            // ssh's [USER@]HOST
  std::string address;                // the server binds it (--bind), the load generator connects to it
  std::vector<std::string> ssh_args;  // extra ssh arguments, in order: -F FILE, -o OPTION, -i KEY ...
  int cpu = -1;                       // the server runs under `taskset -c cpu` there; -1: not pinned
};

// Which repetitions count syscalls (bench::SyscallCounter, a tracepoint that slows every syscall
// on the machine while it is open).
enum class SyscallCounting {
  first,  // one extra first repetition per benchmark counts them and gives only syscall figures;
          // the others run with RINGCORE_COUNT_SYSCALLS=0 and give every other figure (default)
  every,  // every repetition counts, and its time, CPU and latency carry the tracepoint's cost
  off,    // no repetition counts
};

// In what order the repetitions run. A busy host slows everything for seconds at a time; run one
// benchmark's repetitions back to back and such a phase lands on one backend's samples only.
enum class RepetitionOrder {
  grouped,      // each benchmark's repetitions back to back (Google Benchmark's default)
  interleaved,  // every repetition of every benchmark in one random order
                // (--benchmark_enable_random_interleaving), so a slow phase is spread across backends
};

struct Config {
  Profile profile = Profile::standard;
  std::vector<Backend> backends;        // in command-line order, or sorted when defaulted
  std::vector<std::string> workloads;   // empty: every registered workload
  std::string filter;                   // regex over benchmark names; a leading '-' excludes
  std::optional<int> repetitions;       // overrides the profile's count
  std::filesystem::path data_dir = "/var/tmp/ringcore-bench";
  std::filesystem::path loadgen;
  std::optional<std::uint64_t> file_size;    // file_read and linked_chain
  std::optional<std::uint64_t> connections;  // net_concurrent: replaces the sweep
  std::optional<std::uint64_t> requests;     // net_*: requests per connection
  std::optional<std::uint64_t> size;         // net_*: echo message / HTTP body bytes
  // Servers run on server_cpu, the load generator on client_cpu; -1 when the machine has one CPU.
  int server_cpu = -1;
  int client_cpu = -1;
  bool list = false;
  std::optional<ServerHost> server_host;  // set by --server-host, or once --server-netns made its namespace
  bool server_netns = false;              // --server-netns: the server host is a namespace this run creates
  bool allow_remote = false;              // --allow-remote: targets other than loopback are allowed
  SyscallCounting syscalls = SyscallCounting::first;  // --syscalls
  RepetitionOrder order = RepetitionOrder::grouped;   // --order

  // The profile's repetition count unless --repetitions said otherwise.
  int repetitions_or(int profile_default) const { return repetitions.value_or(profile_default); }
};

}  // namespace runner
