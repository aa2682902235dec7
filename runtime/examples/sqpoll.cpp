// sqpoll: the echo server on a ring set up with IORING_SETUP_SQPOLL. A kernel thread polls the
// submission queue, so queuing a request costs no system call at all; we still enter the kernel to
// wait for completions when there is nothing else to do. Prints whether SQPOLL is active, and
// exits 1 with what it needs when the kernel refuses it (without root or CAP_SYS_NICE on kernels
// before 5.11, or where io_uring is restricted).
#include <signal.h>

#include <cstring>

#include "echo_server.hpp"
#include "example_util.hpp"
#include "net_example_util.hpp"

namespace {

constexpr const char* kUsage =
    "usage: sqpoll [--bind ADDR] [--port N] [--message-size BYTES] [--idle-ms MS] [--cpu N]\n"
    "  The echo server with a kernel thread polling the submission queue (IORING_SETUP_SQPOLL).\n"
    "  Prints \"SQPOLL active\" and the ring setup, serves until SIGINT/SIGTERM, then prints a summary.\n"
    "  --message-size B  linked recv → send of exactly B bytes, as in echo\n"
    "  --idle-ms MS    the polling thread sleeps after MS idle milliseconds (default 1000)\n"
    "  --cpu N         pin the polling thread to CPU N (IORING_SETUP_SQ_AFF)\n"
    "  --bind ADDR     address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        port (default 0: the kernel picks one; \"listening on ADDR:PORT\" names it)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  example::ListenFlags listen;
  std::size_t message_size = 0;
  ringcore::RingOptions options;
  options.sqpoll = true;
  example::Args args(argc, argv);
  while (args.next()) {
    std::string error;
    if (example::parse_listen_flag(args, listen, error)) {
      if (!error.empty()) return example::usage_error("sqpoll", error, kUsage);
    } else if (args.flag() == "--message-size") {
      auto size = args.number(1, 64u << 20);
      if (!size) return example::usage_error("sqpoll", "--message-size needs a number 1..64M", kUsage);
      message_size = std::size_t(*size);
    } else if (args.flag() == "--idle-ms") {
      auto ms = args.number(1, 60000);
      if (!ms) return example::usage_error("sqpoll", "--idle-ms needs a number 1..60000", kUsage);
      options.sqpoll_idle_ms = unsigned(*ms);
    } else if (args.flag() == "--cpu") {
      auto cpu = args.number(0, 4095);
      if (!cpu) return example::usage_error("sqpoll", "--cpu needs a CPU number", kUsage);
      options.sqpoll_cpu = int(*cpu);
    } else {
      return example::usage_error("sqpoll", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  return example::guarded("sqpoll", [&] {
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("sqpoll", listen);
    if (!listener) return 1;
    std::optional<ringcore::Runtime> runtime;
    try {
      runtime.emplace(options);
    } catch (const std::system_error& e) {
      // The ring's message already names the flags; say plainly what would make it work.
      std::fprintf(stderr, "sqpoll: SQPOLL not available: %s\n", e.what());
      if (e.code().value() == EPERM)
        std::fprintf(stderr, "sqpoll: SQPOLL needs root or CAP_SYS_NICE here (and io_uring allowed: sysctl "
                             "kernel.io_uring_disabled=0)\n");
      return 1;
    }
    const ringcore::Ring& ring = runtime->ring();
    if (!ring.sqpoll()) {  // cannot happen: the ring asks for SQPOLL or fails; checked, not assumed
      std::fprintf(stderr, "sqpoll: the ring came up without SQPOLL (%s)\n", ring.describe().c_str());
      return 1;
    }
    std::printf("SQPOLL active (%s)\n", ring.describe().c_str());
    example::announce(*listener);
    return runtime->run(example::serve_echo("sqpoll", *listener, signals, message_size));
  });
}
