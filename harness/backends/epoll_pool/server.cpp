// serve: the stop signals become a readable signalfd in the reactor's epoll set, so the one
// thread learns of SIGTERM/SIGINT like of any other event and prints the counters itself.
#include <signal.h>
#include <sys/signalfd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "backend.hpp"
#include "bench/listener.hpp"
#include "reactor.hpp"
#include "bench/unique_fd.hpp"

namespace epoll_pool {

int serve(const bench::ServeOptions& options) {
  // Blocked, the signals stay pending for the signalfd instead of killing the process.
  if (int error = bench::block_stop_signals(); error != 0)
    return bench::fail(std::string("pthread_sigmask: ") + std::strerror(error));
  sigset_t stop_signals = bench::stop_signals();
  bench::UniqueFd signal_fd(::signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!signal_fd) return bench::fail(std::string("signalfd: ") + std::strerror(errno));

  bench::Listener listener;
  std::string error;
  if (!bench::open_listener(options.bind, options.port, listener, error, true)) return bench::fail(error);
  bench::UniqueFd listen_fd(listener.fd);

  std::optional<proto::HttpSession::Responses> responses;
  if (options.proto == bench::Proto::http) responses.emplace(options.size);
  Reactor reactor(listen_fd.get(), signal_fd.get(), responses ? &*responses : nullptr);
  if (!reactor.open(error)) return bench::fail(error);

  bench::ServeMeter meter;
  meter.ready(listener.port);
  if (!reactor.run(error)) return bench::fail(error);
  meter.report(reactor.totals());
  return bench::kExitOk;
}

}  // namespace epoll_pool
