#include "runner/cli.hpp"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <set>
#include <string_view>

#include "bench/backend.hpp"
#include "runner/build_info.hpp"
#include "runner/name_filter.hpp"
#include "runner/server_target.hpp"
#include "workload.hpp"


namespace runner {
namespace {

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    out.emplace_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

[[noreturn]] void usage_error(const std::string& message) {
  std::fprintf(stderr, "ringcore-bench: %s (see --help)\n", message.c_str());
  std::exit(kExitUsage);
}

// The backends built with this runner (CMake's RINGCORE_BACKEND_NAMES), or, with --backend-dir,
// whatever backend-<name> executables that directory holds.
std::vector<std::string> available_backends(const std::filesystem::path& dir, bool dir_given) {
  std::vector<std::string> names;
  if (!dir_given) {
    for (auto& n : split_list(RINGCORE_BACKEND_NAMES))
      if (!n.empty()) names.push_back(n);
  } else {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      std::string file = entry.path().filename().string();
      if (file.starts_with("backend-") && ::access(entry.path().c_str(), X_OK) == 0) names.push_back(file.substr(8));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> workload_names() {
  std::vector<std::string> names;
  for (const auto* w : workloads::registry()) names.emplace_back(w->name());
  return names;
}

void print_help(const char* argv0) {
  std::printf(
      "usage: %s [options] [--benchmark_* flags]\n"
      "Runs every selected workload against every selected backend (harness/README.md) and writes\n"
      "Google Benchmark JSON with --out FILE (or --benchmark_out=FILE).\n\n"
      "  --backends a,b        backends to run (default: all of: %s);\n"
      "                        NAME.CONFIG runs backend NAME with --ring-config CONFIG (the ablation:\n"
      "                        ringcore.plain, ringcore.coop, ... see harness/README.md)\n"
      "  --backend-dir DIR     where backend-<name> executables live (default: %s);\n"
      "                        with this flag, the valid names are the backend-* files in DIR\n"
      "  --loadgen PATH        the load generator (default: %s)\n"
      "  --workloads x,y       workloads to run (default: all of: %s)\n"
      "  --filter REGEX        only benchmarks whose name matches (POSIX extended regex, searched\n"
      "                        anywhere in the name; a leading '-' runs those that do not match)\n"
      "  --repetitions N       repetitions per benchmark (default: the profile's)\n"
      "  --profile P           quick | default | full (default: default)\n"
      "  --data-dir DIR        data files (default /var/tmp/ringcore-bench; a disk, not tmpfs: O_DIRECT)\n"
      "  --file-size SIZE      data file size for file_read and linked_chain (K, M, G suffixes)\n"
      "  --connections N       net_concurrent: this many connections instead of the sweep\n"
      "  --requests N          net_*: requests per connection\n"
      "  --size B              net_*: echo message bytes / HTTP body bytes\n"
      "  --out FILE            write the JSON results to FILE\n"
      "  --syscalls MODE       first | every | off (default first): which repetitions count syscalls.\n"
      "                        The counter (a tracepoint) slows every syscall while it is open, so by\n"
      "                        default one extra first repetition counts them and reports only that,\n"
      "                        and the timed repetitions run without it\n"
      "  --order MODE          grouped | interleaved (default grouped): each benchmark's repetitions\n"
      "                        back to back, or all repetitions of all benchmarks in one random order,\n"
      "                        so that a slow phase of the machine is shared by every backend (make bench)\n"
      "  --server-host U@HOST  start each server on HOST over ssh (BatchMode, your keys), same backend\n"
      "                        path there; the load generator stays here (README: \"Two hosts\")\n"
      "  --server-address A    the address servers bind there and load goes to (default: HOST resolved)\n"
      "  --ssh-option OPT      passed to ssh as -o OPT (repeatable), e.g. IdentityFile=~/.ssh/k, Port=2222\n"
      "  --ssh-config FILE     passed to ssh as -F FILE\n"
      "  --allow-remote        allow a server target that is not loopback (printed before the run)\n"
      "  --server-netns        servers in a network namespace this run creates, behind a veth pair,\n"
      "                        reached through a real sshd started there (root; exit 77 if not possible)\n"
      "  --list                print the benchmark names that would run, and exit\n"
      "  --help                this text\n\n"
      "workloads:\n",
      argv0, join(available_backends(RINGCORE_BACKEND_DIR, false)).c_str(), RINGCORE_BACKEND_DIR, RINGCORE_LOADGEN,
      join(workload_names()).c_str());
  for (const auto* w : workloads::registry())
    std::printf("  %-15s %.*s\n", std::string(w->name()).c_str(), int(w->summary().size()), w->summary().data());
  std::printf(
      "\nServers run pinned to the first CPU, the load generator to the second (when there are two);\n"
      "file commands are not pinned. Exit codes: 0 ok, 1 a benchmark failed, 2 usage, 130 interrupted.\n");
}

std::uint64_t number_flag(std::string_view flag, std::string_view value, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t n = 0;
  if (!bench::parse_size(value, n) || n < lo || n > hi) {
    usage_error(std::string(flag) + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                ", got '" + std::string(value) + "'");
  }
  return n;
}

// The first two CPUs this process may use: the server's and the load generator's.
void choose_cpus(Config& config) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return;
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  if (cpus.size() < 2) return;  // one CPU: pinning both to it would only serialise them
  config.server_cpu = cpus[0];
  config.client_cpu = cpus[1];
}

// The safety rule: servers start, and load goes, only to loopback addresses (and to the namespace a
// --server-netns run creates itself) unless --allow-remote says otherwise.
void check_server_host(Config& c, ServerHost remote) {
  bool ssh_flags = !remote.ssh_args.empty() || !remote.address.empty();
  if (remote.destination.empty()) {
    if (ssh_flags && !c.server_netns) usage_error("--server-address, --ssh-option and --ssh-config need --server-host");
    if (ssh_flags) usage_error("--server-netns makes its own ssh setup; --server-address, --ssh-option and --ssh-config do not apply");
    return;
  }
  if (c.server_netns) usage_error("--server-host and --server-netns exclude each other");
  std::string host = host_of(remote.destination);
  auto resolved = resolve_address(host);
  if (remote.address.empty()) {
    if (!resolved) usage_error("cannot resolve '" + host + "' to an address; give it with --server-address ADDR");
    remote.address = *resolved;
  }
  bool local = resolved && is_loopback(*resolved) && is_loopback(remote.address);
  if (!local && !c.allow_remote) {
    usage_error("--server-host " + remote.destination + " (address " + remote.address +
                ") is not a loopback address; pass --allow-remote to start servers there and send load to it");
  }
  c.server_host = std::move(remote);
}

}  // namespace

CommandLine parse_command_line(int argc, char** argv) {
  CommandLine cl;
  Config& c = cl.config;
  cl.benchmark_args.push_back(argv[0]);
  std::filesystem::path backend_dir = RINGCORE_BACKEND_DIR;
  bool backend_dir_given = false;
  std::vector<std::string> backend_names;
  ServerHost remote;
  c.loadgen = RINGCORE_LOADGEN;

  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    // Google Benchmark's own flags: the few the runner owns are taken over, the rest pass through.
    if (arg.starts_with("--benchmark_")) {
      std::size_t eq = arg.find('=');
      std::string_view key = arg.substr(0, eq), value = eq == std::string_view::npos ? "" : arg.substr(eq + 1);
      if (key == "--benchmark_out") {
        cl.out = std::string(value);
      } else if (key == "--benchmark_out_format") {
        if (value != "json") usage_error("--benchmark_out_format must be json: the results are Google Benchmark JSON");
      } else if (key == "--benchmark_format") {
        if (value != "console") usage_error("--benchmark_format must be console; the JSON goes to --out FILE");
      } else if (key == "--benchmark_filter") {
        c.filter = std::string(value);
      } else if (key == "--benchmark_repetitions") {
        c.repetitions = int(number_flag(key, value, 1, 1000));
      } else if (key == "--benchmark_list_tests") {
        c.list = value.empty() || value == "true" || value == "1";
      } else if (key == "--benchmark_enable_random_interleaving") {  // what --order interleaved does
        c.order = value.empty() || value == "true" || value == "1" ? RepetitionOrder::interleaved
                                                                    : RepetitionOrder::grouped;
      } else {
        cl.benchmark_args.emplace_back(arg);
      }
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      print_help(argv[0]);
      std::exit(0);
    }
    if (arg == "--list") {
      c.list = true;
      continue;
    }
    if (arg == "--allow-remote") {
      c.allow_remote = true;
      continue;
    }
    if (arg == "--server-netns") {
      c.server_netns = true;
      continue;
    }
    // Every other flag takes a value: "--flag value" or "--flag=value".
    std::string flag(arg), value;
    if (std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      flag = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
    } else {
      static const std::set<std::string, std::less<>> kValued{
          "--backends", "--backend-dir", "--loadgen", "--workloads", "--filter", "--repetitions", "--profile",
          "--data-dir", "--file-size", "--connections", "--requests", "--size", "--out", "--syscalls", "--order",
          "--server-host", "--server-address", "--ssh-option", "--ssh-config"};
      if (!kValued.count(flag)) usage_error("unknown flag '" + flag + "'");
      if (i + 1 >= argc) usage_error(flag + " needs a value");
      value = argv[++i];
    }
    if (flag == "--backends") {
      backend_names = split_list(value);
    } else if (flag == "--backend-dir") {
      backend_dir = value;
      backend_dir_given = true;
    } else if (flag == "--loadgen") {
      c.loadgen = value;
    } else if (flag == "--workloads") {
      c.workloads = split_list(value);
    } else if (flag == "--filter") {
      c.filter = value;
    } else if (flag == "--repetitions") {
      c.repetitions = int(number_flag(flag, value, 1, 1000));
    } else if (flag == "--profile") {
      if (value == "quick") c.profile = Profile::quick;
      else if (value == "default") c.profile = Profile::standard;
      else if (value == "full") c.profile = Profile::full;
      else usage_error("--profile must be quick, default or full, got '" + value + "'");
    } else if (flag == "--data-dir") {
      if (value.empty()) usage_error("--data-dir needs a directory");
      c.data_dir = value;
    } else if (flag == "--file-size") {
      c.file_size = number_flag(flag, value, 1, 1ULL << 40);
    } else if (flag == "--connections") {
      c.connections = number_flag(flag, value, 1, 100000);
    } else if (flag == "--requests") {
      c.requests = number_flag(flag, value, 1, 1ULL << 32);
    } else if (flag == "--size") {
      c.size = number_flag(flag, value, 1, 16ULL << 20);
    } else if (flag == "--syscalls") {
      if (value == "first") c.syscalls = SyscallCounting::first;
      else if (value == "every") c.syscalls = SyscallCounting::every;
      else if (value == "off") c.syscalls = SyscallCounting::off;
      else usage_error("--syscalls must be first, every or off, got '" + value + "'");
    } else if (flag == "--order") {
      if (value == "grouped") c.order = RepetitionOrder::grouped;
      else if (value == "interleaved") c.order = RepetitionOrder::interleaved;
      else usage_error("--order must be grouped or interleaved, got '" + value + "'");
    } else if (flag == "--out") {
      if (value.empty()) usage_error("--out needs a file");
      cl.out = value;
    } else if (flag == "--server-host") {
      if (value.empty() || value.starts_with("-")) usage_error("--server-host needs USER@HOST");
      remote.destination = value;
    } else if (flag == "--server-address") {
      if (!is_ip_literal(value)) usage_error("--server-address must be an IPv4 or IPv6 address, got '" + value + "'");
      remote.address = value;
    } else if (flag == "--ssh-option") {
      remote.ssh_args.insert(remote.ssh_args.end(), {"-o", value});
    } else if (flag == "--ssh-config") {
      remote.ssh_args.insert(remote.ssh_args.end(), {"-F", value});
    } else {
      usage_error("unknown flag '" + flag + "'");
    }
  }
  check_server_host(c, std::move(remote));

  // Names are checked against what exists, so a typo fails now, not after an hour of benchmarks.
  auto valid_backends = available_backends(backend_dir, backend_dir_given);
  if (backend_names.empty()) backend_names = valid_backends;
  if (backend_names.empty()) usage_error("no backends found in " + backend_dir.string());
  std::set<std::string> seen;
  for (const auto& name : backend_names) {
    // `<backend>.<config>`: the backend under a named ring configuration (the ablation).
    const std::size_t dot = name.find('.');
    const std::string base = name.substr(0, dot);
    if (std::find(valid_backends.begin(), valid_backends.end(), base) == valid_backends.end())
      usage_error("unknown backend '" + name + "'; valid backends: " + join(valid_backends));
    if (dot != std::string::npos && (dot + 1 == name.size() || name.find_first_of("./", dot + 1) != std::string::npos))
      usage_error("backend '" + name + "': a configured backend is <backend>.<config>");
    std::vector<std::string> args;
    if (dot != std::string::npos) args = {"--ring-config", name.substr(dot + 1)};
    if (seen.insert(name).second) c.backends.push_back({name, backend_dir / ("backend-" + base), args});
  }
  auto valid_workloads = workload_names();
  for (const auto& name : c.workloads) {
    if (std::find(valid_workloads.begin(), valid_workloads.end(), name) == valid_workloads.end())
      usage_error("unknown workload '" + name + "'; valid workloads: " + join(valid_workloads));
  }
  try {
    NameFilter check(c.filter);
  } catch (const std::invalid_argument& e) {
    usage_error("--filter '" + c.filter + "' is not a valid regex: " + e.what());
  }
  choose_cpus(c);
  if (c.order == RepetitionOrder::interleaved)
    cl.benchmark_args.push_back("--benchmark_enable_random_interleaving=true");
  if (!cl.out.empty()) {
    cl.benchmark_args.push_back("--benchmark_out=" + cl.out);
    cl.benchmark_args.push_back("--benchmark_out_format=json");
  }
  return cl;
}

}  // namespace runner
