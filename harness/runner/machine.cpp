#include "runner/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <fstream>
#include <string>

#include "runner/build_info.hpp"
#include "runner/process.hpp"

#if __has_include(<boost/version.hpp>)
#include <boost/version.hpp>
#endif


namespace runner {
namespace {

std::string kernel() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::string compiler() {
#if defined(__clang__)
  return __VERSION__;  // "Debian Clang 14.0.6"
#elif defined(__GNUC__)
  return std::string("GCC ") + __VERSION__;
#else
  return "unknown";
#endif
}

std::string boost_version() {
#ifdef BOOST_LIB_VERSION
  std::string v = BOOST_LIB_VERSION;  // "1_81"
  for (char& ch : v)
    if (ch == '_') ch = '.';
  return v;
#else
  return "not found";
#endif
}

// Asked at run time, not configure time, so a rebuild is not needed for the commit to be right.
std::string git(std::vector<std::string> args) {
  for (const char* exe : {"/usr/bin/git", "/usr/local/bin/git", "/bin/git"}) {
    if (::access(exe, X_OK) != 0) continue;
    std::vector<std::string> argv{exe, "-C", RINGCORE_SOURCE_DIR};
    argv.insert(argv.end(), args.begin(), args.end());
    try {
      Process p = Process::spawn({argv, -1});
      if (!p.wait(deadline_in(std::chrono::seconds(10))) || p.exit_code() != 0) return {};
      std::string out = p.out();
      while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
      return out.empty() ? std::string(" ") : out;
    } catch (const std::exception&) {
      return {};
    }
  }
  return {};
}

std::string pinning(const Config& c) {
  if (c.server_host) {  // the servers' own pinning is the server host's: context key server_pinning
    std::string loadgen = c.client_cpu >= 0 ? "loadgen cpu " + std::to_string(c.client_cpu) : "loadgen unpinned";
    return "servers on " + c.server_host->destination + " (see server_pinning); " + loadgen +
           "; file commands unpinned";
  }
  if (c.server_cpu < 0) return "none (fewer than 2 CPUs); file commands unpinned";
  return "server cpu " + std::to_string(c.server_cpu) + ", loadgen cpu " + std::to_string(c.client_cpu) +
         "; file commands unpinned";
}

// The context's "syscall_counting": which repetitions counted syscalls, so a reader of the JSON
// knows whether the time figures carry the tracepoint's cost.
std::string syscall_counting(SyscallCounting mode) {
  switch (mode) {
    case SyscallCounting::first:
      return "first: one extra repetition per benchmark counted syscalls (entries marked syscall_count_run, "
             "left out of time figures); the others ran without the counter";
    case SyscallCounting::every:
      return "every: every repetition counted syscalls; time, CPU and latency include the tracepoint's cost";
    case SyscallCounting::off:
      return "off: no repetition counted syscalls";
  }
  return "unknown";
}

}  // namespace

void add_machine_context(const Config& config) {
  benchmark::AddCustomContext("kernel", kernel());
  benchmark::AddCustomContext("cpu_model", cpu_model());
  benchmark::AddCustomContext("cpus", std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)));
  benchmark::AddCustomContext("compiler", compiler());
  benchmark::AddCustomContext("cxx_flags", RINGCORE_CXX_FLAGS);
  benchmark::AddCustomContext("liburing", RINGCORE_LIBURING_VERSION);
  benchmark::AddCustomContext("libuv", RINGCORE_LIBUV_VERSION);
  benchmark::AddCustomContext("boost", boost_version());
  std::string commit = git({"rev-parse", "HEAD"});
  benchmark::AddCustomContext("git_commit", commit.empty() ? "unknown" : commit);
  if (!commit.empty()) {
    // Tracked files changed since that commit: the numbers are not that commit's alone.
    std::string changes = git({"status", "--porcelain", "--untracked-files=no"});
    benchmark::AddCustomContext("git_dirty", changes.empty() || changes == " " ? "false" : "true");
  }
  benchmark::AddCustomContext("profile", std::string(profile_name(config.profile)));
  benchmark::AddCustomContext("pinning", pinning(config));
  benchmark::AddCustomContext("syscall_counting", syscall_counting(config.syscalls));
  benchmark::AddCustomContext("repetition_order", config.order == RepetitionOrder::interleaved
                                                      ? "interleaved: all repetitions in one random order"
                                                      : "grouped: each benchmark's repetitions back to back");
  benchmark::AddCustomContext("data_dir", config.data_dir.string());
}

}  // namespace runner
