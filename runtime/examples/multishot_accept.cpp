// multishot_accept: one accept SQE serving many connections. The listener gets a single
// IORING_OP_ACCEPT with IORING_ACCEPT_MULTISHOT; the kernel posts one CQE per connection (with
// IORING_CQE_F_MORE while the request stays armed) until an error ends it. Each connection is
// greeted with "connection K\n" and closed. At the end the example prints how many CQEs the accept
// SQEs produced: one SQE, as many CQEs as connections.
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "example_util.hpp"
#include "net_example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: multishot_accept [--bind ADDR] [--port N] [--connections N]\n"
    "  Accepts connections with one multishot accept request; greets each with \"connection K\\n\" and\n"
    "  closes it. On SIGINT/SIGTERM, or after N connections with --connections N, prints\n"
    "  \"<connections> connections accepted: <cqes> CQEs from <sqes> SQE(s)\" and exits 0.\n"
    "  --bind ADDR     address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        port (default 0: the kernel picks one; \"listening on ADDR:PORT\" names it)\n";

struct Accepted {
  std::uint64_t connections = 0;
  std::uint64_t errors = 0;  // accept errors (EMFILE...): each ends the request; the next re-arms it
};

ringcore::task<void> greet(ringcore::TcpStream s, std::uint64_t number, ringcore::WaitGroup& greeting) {
  std::string line = "connection " + std::to_string(number) + "\n";
  (void)co_await s.write_all(line.data(), line.size());
  (void)co_await s.close();
  greeting.done();
}

ringcore::task<void> accept_connections(ringcore::Acceptor& incoming, std::uint64_t limit, Accepted& accepted,
                                        ringcore::WaitGroup& greeting, ringcore::WaitGroup& stop) {
  while (limit == 0 || accepted.connections < limit) {
    auto fd = co_await incoming.next();
    if (!fd) {
      ++accepted.errors;
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ++accepted.connections;
    greeting.add();
    ringcore::spawn(greet(ringcore::TcpStream(*fd), accepted.connections, greeting));
  }
  stop.done();
}

ringcore::task<void> wait_for_signal(ringcore::SignalSet& signals, ringcore::WaitGroup& stop) {
  (void)co_await signals.wait();
  stop.done();
}

ringcore::task<int> serve(ringcore::TcpListener& listener, ringcore::SignalSet& signals, std::uint64_t limit) {
  ringcore::Acceptor incoming = listener.incoming();
  Accepted accepted;
  ringcore::WaitGroup greeting, stop;
  stop.add(1);  // whichever comes first: the signal or the N-th connection (done() past zero is a no-op)
  ringcore::spawn(accept_connections(incoming, limit, accepted, greeting, stop));
  ringcore::spawn(wait_for_signal(signals, stop));
  co_await stop.wait();
  // Read the counts now: at shutdown the request's cancellation will post one more CQE.
  const auto cqes = incoming.cqes(), sqes = incoming.sqes();
  co_await greeting.wait();  // let the last greetings reach their clients
  std::printf("multishot_accept: %llu connections accepted: %llu CQEs from %llu SQE%s (%llu accept errors)\n",
              (unsigned long long)accepted.connections, (unsigned long long)cqes, (unsigned long long)sqes,
              sqes == 1 ? "" : "s", (unsigned long long)accepted.errors);
  std::fflush(stdout);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  example::ListenFlags listen;
  std::uint64_t limit = 0;
  example::Args args(argc, argv);
  while (args.next()) {
    std::string error;
    if (example::parse_listen_flag(args, listen, error)) {
      if (!error.empty()) return example::usage_error("multishot_accept", error, kUsage);
    } else if (args.flag() == "--connections") {
      auto n = args.number(1, 1000000);
      if (!n) return example::usage_error("multishot_accept", "--connections needs a number 1..1000000", kUsage);
      limit = *n;
    } else {
      return example::usage_error("multishot_accept", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  return example::guarded("multishot_accept", [&] {
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("multishot_accept", listen);
    if (!listener) return 1;
    ringcore::Runtime runtime;
    example::announce(*listener);
    return runtime.run(serve(*listener, signals, limit));
  });
}
