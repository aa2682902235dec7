// echo: a TCP echo server. accept → read → write back, one task per connection, one multishot
// accept for all of them. With --message-size B each recv → send pair is one linked chain the kernel
// runs back to back (echo_server.hpp explains why that needs the size up front).
#include <signal.h>

#include "echo_server.hpp"
#include "example_util.hpp"
#include "net_example_util.hpp"

namespace {

constexpr const char* kUsage =
    "usage: echo [--bind ADDR] [--port N] [--message-size BYTES]\n"
    "  Echoes every byte back until SIGINT/SIGTERM, then prints a one-line summary and exits 0.\n"
    "  --message-size B  clients send messages of exactly B bytes (1..64M): each recv of B bytes\n"
    "                  (MSG_WAITALL) is linked to the send of those bytes (IOSQE_IO_LINK)\n"
    "  --bind ADDR     address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        port (default 0: the kernel picks one; \"listening on ADDR:PORT\" names it)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  example::ListenFlags listen;
  std::size_t message_size = 0;
  example::Args args(argc, argv);
  while (args.next()) {
    std::string error;
    if (example::parse_listen_flag(args, listen, error)) {
      if (!error.empty()) return example::usage_error("echo", error, kUsage);
    } else if (args.flag() == "--message-size") {
      auto size = args.number(1, 64u << 20);
      if (!size) return example::usage_error("echo", "--message-size needs a number 1..64M", kUsage);
      message_size = std::size_t(*size);
    } else {
      return example::usage_error("echo", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  return example::guarded("echo", [&] {
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("echo", listen);
    if (!listener) return 1;
    ringcore::Runtime runtime;
    example::announce(*listener);
    return runtime.run(example::serve_echo("echo", *listener, signals, message_size));
  });
}
