#include "bench/backend.hpp"

#include <signal.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace bench {
namespace {

std::string g_name = "backend";

constexpr const char* kUsage =
    "usage:\n"
    "  %s serve --proto echo|http [--port N] [--size B] [--bind ADDR]\n"
    "      serve on ADDR (default 127.0.0.1) until SIGTERM/SIGINT; prints \"ready N\" once accepting,\n"
    "      and a JSON line of counters at exit. --size: HTTP body bytes (default 13, \"Hello, World!\").\n"
    "  %s file-read --path P [--block B] [--depth Q] [--direct]\n"
    "      read P end to end in blocks of B (default 64K), up to Q in flight (default 1);\n"
    "      prints a JSON line: bytes, checksum, elapsed_ns, syscalls.\n"
    "  %s copy-chain --src P --dst Q [--chunk B]\n"
    "      copy P to Q chunk by chunk, each chunk a read then a write (default 64K);\n"
    "      prints a JSON line: bytes, chunks, elapsed_ns, syscalls.\n"
    "sizes take K, M, G suffixes. exit codes: 0 ok, 1 failed, 2 usage, 77 not supported here.\n";

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "%s: %s (see --help)\n", g_name.c_str(), msg.c_str());
  return kExitUsage;
}

struct Args {
  std::vector<std::string_view> items;
  std::size_t i = 0;
};

}  // namespace

bool parse_size(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  std::uint64_t mult = 1;
  char last = text.back();
  if (last == 'K' || last == 'k') mult = 1ULL << 10;
  if (last == 'M' || last == 'm') mult = 1ULL << 20;
  if (last == 'G' || last == 'g') mult = 1ULL << 30;
  if (mult != 1) text.remove_suffix(1);
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || p != text.data() + text.size()) return false;
  if (v > UINT64_MAX / mult) return false;
  out = v * mult;
  return true;
}

std::string_view backend_name() { return g_name; }

const SyscallCounter& process_syscalls() {
  static SyscallCounter counter;
  return counter;
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

int block_stop_signals() {
  sigset_t set = stop_signals();
  return ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int skip(std::string_view reason) {
  JsonLine().add("backend", g_name).add("skip", reason).print();
  return kExitSkip;
}

int fail(std::string_view reason) {
  std::fprintf(stderr, "%s: %.*s\n", g_name.c_str(), int(reason.size()), reason.data());
  return kExitFailure;
}

JsonLine FileMeter::finish(std::string_view command, std::uint64_t bytes) {
  std::int64_t elapsed = now_ns() - start_ns_;
  std::int64_t sys = process_syscalls().available() ? process_syscalls().read() - syscalls_start_ : -1;
  JsonLine line;
  line.add("backend", g_name).add("command", command).add("bytes", bytes).add("elapsed_ns", elapsed).add("syscalls", sys);
  return line;
}

void ServeMeter::ready(std::uint16_t port) {
  syscalls_start_ = process_syscalls().read();
  cpu_start_ = CpuTime::process();
  start_ns_ = now_ns();
  std::printf("ready %u\n", unsigned(port));
  std::fflush(stdout);
}

void ServeMeter::stop() {
  if (stopped_) return;
  syscalls_at_stop_ = process_syscalls().read();
  cpu_at_stop_ = CpuTime::process();
  ns_at_stop_ = now_ns();
  stopped_ = true;
}

CpuTime ServeMeter::serving_cpu() const { return (stopped_ ? cpu_at_stop_ : CpuTime::process()) - cpu_start_; }

void ServeMeter::report(const Totals& t) { report(t, serving_cpu()); }

JsonLine ServeMeter::line(const Totals& t) { return line(t, serving_cpu()); }

JsonLine ServeMeter::line(const Totals& t, const CpuTime& cpu) {
  const std::int64_t sys_now = stopped_ ? syscalls_at_stop_ : process_syscalls().read();
  std::int64_t sys = process_syscalls().available() ? sys_now - syscalls_start_ : -1;
  JsonLine line;
  line.add("backend", g_name)
      .add("command", "serve")
      .add("requests", t.requests)
      .add("connections", t.connections)
      .add("errors", t.errors)
      .add("bytes_in", t.bytes_in)
      .add("bytes_out", t.bytes_out)
      .add("cpu_user_ns", cpu.user_ns)
      .add("cpu_sys_ns", cpu.sys_ns)
      .add("syscalls", sys)
      .add("wall_ns", (stopped_ ? ns_at_stop_ : now_ns()) - start_ns_);
  return line;
}

void ServeMeter::report(const Totals& t, const CpuTime& cpu) { line(t, cpu).print(); }

int backend_main(int argc, char** argv, const Backend& backend) {
  g_name = std::string(backend.name);
  // A peer that closes early must give EPIPE as a value, not kill the server.
  ::signal(SIGPIPE, SIG_IGN);
  (void)process_syscalls();  // open the counter before any thread exists

  if (argc < 2) return usage_error("missing command: serve, file-read or copy-chain");
  std::string_view cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::printf(kUsage, argv[0], argv[0], argv[0]);
    return kExitOk;
  }

  auto value_of = [&](int& i, std::string_view flag, std::string_view& out) -> bool {
    if (i + 1 >= argc) return false;
    out = argv[++i];
    (void)flag;
    return true;
  };
  auto size_flag = [&](int& i, std::string_view flag, std::uint64_t lo, std::uint64_t hi, std::uint64_t& out,
                       std::string& err) -> bool {
    std::string_view v;
    if (!value_of(i, flag, v)) {
      err = std::string(flag) + " needs a value";
      return false;
    }
    if (!parse_size(v, out) || out < lo || out > hi) {
      err = std::string(flag) + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
            ", got '" + std::string(v) + "'";
      return false;
    }
    return true;
  };

  std::string err;
  if (cmd == "serve") {
    ServeOptions o;
    bool size_set = false, proto_set = false;
    for (int i = 2; i < argc; ++i) {
      std::string_view f = argv[i];
      std::uint64_t n = 0;
      if (f == "--help" || f == "-h") {
        std::printf(kUsage, argv[0], argv[0], argv[0]);
        return kExitOk;
      } else if (f == "--proto") {
        std::string_view v;
        if (!value_of(i, f, v)) return usage_error("--proto needs a value: echo or http");
        if (v == "echo") o.proto = Proto::echo;
        else if (v == "http") o.proto = Proto::http;
        else return usage_error("--proto must be echo or http, got '" + std::string(v) + "'");
        proto_set = true;
      } else if (f == "--port") {
        if (!size_flag(i, f, 0, 65535, n, err)) return usage_error(err);
        o.port = std::uint16_t(n);
      } else if (f == "--size") {
        if (!size_flag(i, f, 1, 16ULL << 20, n, err)) return usage_error(err);
        o.size = n;
        size_set = true;
      } else if (f == "--bind") {
        std::string_view v;
        if (!value_of(i, f, v)) return usage_error("--bind needs an address");
        o.bind = std::string(v);
      } else {
        return usage_error("unknown flag '" + std::string(f) + "' for serve");
      }
    }
    if (!proto_set) return usage_error("serve needs --proto echo|http");
    if (!size_set) o.size = o.proto == Proto::http ? 13 : 64;
    return backend.serve(o);
  }
  if (cmd == "file-read") {
    FileReadOptions o;
    for (int i = 2; i < argc; ++i) {
      std::string_view f = argv[i];
      std::uint64_t n = 0;
      if (f == "--path") {
        std::string_view v;
        if (!value_of(i, f, v)) return usage_error("--path needs a file");
        o.path = std::string(v);
      } else if (f == "--block") {
        if (!size_flag(i, f, 1, 1ULL << 30, n, err)) return usage_error(err);
        o.block = n;
      } else if (f == "--depth") {
        if (!size_flag(i, f, 1, 4096, n, err)) return usage_error(err);
        o.depth = unsigned(n);
      } else if (f == "--direct") {
        o.direct = true;
      } else if (f == "--help" || f == "-h") {
        std::printf(kUsage, argv[0], argv[0], argv[0]);
        return kExitOk;
      } else {
        return usage_error("unknown flag '" + std::string(f) + "' for file-read");
      }
    }
    if (o.path.empty()) return usage_error("file-read needs --path");
    if (o.direct && o.block % 4096 != 0) return usage_error("--direct needs --block to be a multiple of 4096");
    return backend.file_read(o);
  }
  if (cmd == "copy-chain") {
    CopyChainOptions o;
    for (int i = 2; i < argc; ++i) {
      std::string_view f = argv[i];
      std::uint64_t n = 0;
      std::string_view v;
      if (f == "--src") {
        if (!value_of(i, f, v)) return usage_error("--src needs a file");
        o.src = std::string(v);
      } else if (f == "--dst") {
        if (!value_of(i, f, v)) return usage_error("--dst needs a file");
        o.dst = std::string(v);
      } else if (f == "--chunk") {
        if (!size_flag(i, f, 1, 1ULL << 30, n, err)) return usage_error(err);
        o.chunk = n;
      } else if (f == "--help" || f == "-h") {
        std::printf(kUsage, argv[0], argv[0], argv[0]);
        return kExitOk;
      } else {
        return usage_error("unknown flag '" + std::string(f) + "' for copy-chain");
      }
    }
    if (o.src.empty() || o.dst.empty()) return usage_error("copy-chain needs --src and --dst");
    return backend.copy_chain(o);
  }
  return usage_error("unknown command '" + std::string(cmd) + "': serve, file-read or copy-chain");
}

}  // namespace bench
