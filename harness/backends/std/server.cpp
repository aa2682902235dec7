// serve, blocking: the main thread accepts, each connection gets its own thread, and one more
// thread waits for SIGTERM/SIGINT to print the counters and end the process.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>

#include "backend.hpp"
#include "connection.hpp"
#include "bench/listener.hpp"

namespace std_backend {
namespace {

// Out of descriptors or memory: the pending connections wait in the backlog while the existing
// ones are served; try again after this pause instead of spinning on accept().
constexpr std::chrono::milliseconds kAcceptBackoff{10};

// Ends the process without unwinding: connection threads are blocked in read() on objects that
// live on the main thread's stack, so nothing may be destroyed under them.
[[noreturn]] void end_process(int code) {
  std::fflush(nullptr);
  std::_Exit(code);
}

// The stop thread. Every thread blocks the stop signals, so they reach only this sigwait().
[[noreturn]] void wait_for_stop(sigset_t signals, bench::ServeMeter& meter, const ServeCounters& counters) {
  int signal_number = 0;
  while (::sigwait(&signals, &signal_number) != 0) {
  }
  meter.report(counters.snapshot());
  end_process(bench::kExitOk);
}

// What a connection thread starts with; the thread owns it.
struct ConnectionStart {
  int fd;
  const ServeContext* context;
};

void* connection_thread(void* arg) {
  std::unique_ptr<ConnectionStart> start(static_cast<ConnectionStart*>(arg));
  serve_connection(start->fd, *start->context);
  return nullptr;
}

// Starts a connection's thread already detached. Not std::thread + detach(): glibc's
// pthread_detach() reads the thread's descriptor after marking it detached, and a thread that
// has already finished may free its stack (which holds that descriptor) in between; with
// thousands of short connections that crashed the server (SIGSEGV in pthread_detach).
int start_connection_thread(int fd, const ServeContext& context) {
  pthread_attr_t attr;
  if (int error = ::pthread_attr_init(&attr); error != 0) return error;
  ::pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  auto start = std::make_unique<ConnectionStart>(ConnectionStart{fd, &context});
  pthread_t thread;
  int error = ::pthread_create(&thread, &attr, connection_thread, start.get());
  ::pthread_attr_destroy(&attr);
  if (error == 0) start.release();  // the thread owns it now
  return error;
}

[[noreturn]] void accept_forever(int listen_fd, const ServeContext& context) {
  ServeCounters& counters = *context.counters;
  for (;;) {
    int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      int error = errno;
      if (bench::accept_error_is_transient(error)) continue;
      if (bench::accept_error_is_exhaustion(error)) {
        std::this_thread::sleep_for(kAcceptBackoff);
        continue;
      }
      bench::fail(std::string("accept: ") + std::strerror(error));
      end_process(bench::kExitFailure);
    }
    counters.add(counters.connections, 1);
    // Replies leave in one write each; Nagle would hold back the tail of a reply larger than one
    // segment until the peer's delayed ACK.
    int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (int error = start_connection_thread(fd, context); error != 0) {
      // Out of threads or memory: refuse this one, keep serving the others.
      ::close(fd);
      counters.add(counters.errors, 1);
      std::this_thread::sleep_for(kAcceptBackoff);
    }
  }
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  // Block the stop signals before any thread exists: every thread inherits the mask, and only
  // the stop thread's sigwait() takes them. One that arrives early stays pending until then.
  if (int error = bench::block_stop_signals(); error != 0)
    return bench::fail(std::string("pthread_sigmask: ") + std::strerror(error));

  bench::Listener listener;
  std::string error;
  if (!bench::open_listener(options.bind, options.port, listener, error)) return bench::fail(error);

  std::optional<proto::HttpSession::Responses> responses;
  if (options.proto == bench::Proto::http) responses.emplace(options.size);
  ServeCounters counters;
  ServeContext context{options.proto, responses ? &*responses : nullptr, &counters};
  bench::ServeMeter meter;
  meter.ready(listener.port);
  // Started after ready(): the thread's start orders it after the meter's start values.
  std::thread(wait_for_stop, bench::stop_signals(), std::ref(meter), std::cref(counters)).detach();
  accept_forever(listener.fd, context);
}

}  // namespace std_backend
