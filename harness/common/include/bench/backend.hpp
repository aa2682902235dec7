// The one command line every backend implements (see harness/README.md, "The backend contract"):
//
//   <backend> serve --proto echo|http [--port N] [--size B] [--bind ADDR]
//   <backend> file-read --path P [--block B] [--depth Q] [--direct]
//   <backend> copy-chain --src P --dst Q [--chunk B]
//
// A backend is a main() that calls backend_main() with its three commands. Parsing, validation,
// --help and the exit codes live here so that every backend answers the same way.
#pragma once

#include <signal.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "bench/counters.hpp"
#include "bench/json.hpp"

namespace bench {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the run failed; a one-line reason went to stderr
inline constexpr int kExitUsage = 2;    // bad command line
inline constexpr int kExitSkip = 77;    // cannot run here (kernel, privileges); {"skip": reason} on stdout

// Every server listens with this backlog: 1,000 simultaneous connects must not wait for a SYN
// retry (the kernel caps it at net.core.somaxconn).
inline constexpr int kListenBacklog = 4096;

enum class Proto { echo, http };

struct ServeOptions {
  Proto proto = Proto::echo;
  std::string bind = "127.0.0.1";  // loopback unless told otherwise; "::1" for IPv6
  std::uint16_t port = 0;          // 0: the kernel picks; "ready N" says which
  std::size_t size = 0;            // echo: message size the client uses (informational); http: body bytes
};

struct FileReadOptions {
  std::string path;
  std::size_t block = 64 * 1024;
  unsigned depth = 1;    // reads a backend may keep in flight; synchronous backends use 1
  bool direct = false;   // O_DIRECT: bypass the page cache (buffers aligned to 4096)
};

struct CopyChainOptions {
  std::string src;
  std::string dst;
  std::size_t chunk = 64 * 1024;
};

struct Backend {
  std::string_view name;
  int (*serve)(const ServeOptions&);
  int (*file_read)(const FileReadOptions&);
  int (*copy_chain)(const CopyChainOptions&);
};

// Parses argv, runs the command, returns the process exit code.
int backend_main(int argc, char** argv, const Backend& backend);

// Prints {"skip": reason} and returns kExitSkip, for `return skip("...")`.
int skip(std::string_view reason);
// Prints "<backend>: <reason>" to stderr and returns kExitFailure.
int fail(std::string_view reason);
// The backend's name as given to backend_main (for messages).
std::string_view backend_name();

// The signals that end `serve`: SIGTERM and SIGINT.
sigset_t stop_signals();
// Blocks them in the calling thread and every thread it starts afterwards, so that they stay pending
// for whoever waits for them (sigwait, signalfd) instead of killing the process. 0 or an errno value.
int block_stop_signals();

// Times and counts a file command: construct just before the measured work, call finish() after.
// The process-wide syscall counter, opened by backend_main before the command runs, so that every
// thread the backend ever starts (thread pools included) is counted.
const SyscallCounter& process_syscalls();

class FileMeter {
 public:
  FileMeter() : syscalls_start_(process_syscalls().read()), start_ns_(now_ns()) {}
  // The result line, with command, bytes, elapsed_ns and syscalls filled in; add more and print().
  JsonLine finish(std::string_view command, std::uint64_t bytes);

 private:
  std::int64_t syscalls_start_;
  std::int64_t start_ns_;
};

// A server's counters: ready() prints "ready <port>" once accepting and starts counting;
// report() is the JSON line printed at SIGTERM. The line covers serving: from ready() to stop(),
// called once the server has handled what came before its stop signal, so what it does to stop
// (closing its connections and handles, a child server's graceful stop and exit) is not charged
// to serving. Without stop(), up to the line itself (a server that prints it as it sees the signal).
class ServeMeter {
 public:
  void ready(std::uint16_t port);
  // Serving has ended: syscalls, CPU time and wall time are read here for the counters line. The
  // first call counts; later ones change nothing.
  void stop();
  struct Totals {
    std::uint64_t requests = 0;     // http: responses sent; echo: reads echoed back
    std::uint64_t connections = 0;  // accepted
    std::uint64_t errors = 0;       // connections that ended in an error (reset, EPIPE, bad request)
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
  };
  void report(const Totals& totals);
  // The same line with the CPU time the caller measured (a server that runs in a child process).
  void report(const Totals& totals, const CpuTime& serving_cpu);
  // The line report() prints, for a backend that adds its own keys before printing it.
  JsonLine line(const Totals& totals);
  JsonLine line(const Totals& totals, const CpuTime& serving_cpu);

 private:
  CpuTime serving_cpu() const;  // from ready() to stop(), or to now
  std::int64_t syscalls_start_ = 0;
  CpuTime cpu_start_;
  std::int64_t start_ns_ = 0;
  // Read at stop(); `stopped_` false until then.
  bool stopped_ = false;
  std::int64_t syscalls_at_stop_ = 0;
  CpuTime cpu_at_stop_;
  std::int64_t ns_at_stop_ = 0;
};

// "64K" -> 65536; plain numbers, K, M, G (powers of two). False on garbage or overflow.
bool parse_size(std::string_view text, std::uint64_t& out);

}  // namespace bench
