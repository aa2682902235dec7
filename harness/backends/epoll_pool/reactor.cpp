// The event loop, accepting, and the accept back-off. The per-connection work is in connection_io.cpp.
//
// Why level-triggered: a connection is read once per readiness report and the kernel reports it
// again while bytes remain, so there is no extra read() to reach EAGAIN as edge-triggered mode
// needs, and a connection that floods us cannot starve the others. EPOLLOUT is registered only
// while a connection's output is backed up; in request/response traffic replies fit the socket
// buffer, so that epoll_ctl() (the cost edge-triggered would save) almost never happens.
#include "reactor.hpp"

#include "bench/listener.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace epoll_pool {
namespace {

// Out of descriptors or memory: stop watching the listener this long (pending connections wait
// in the backlog), then try again. Never a busy loop on a listener that stays readable.
constexpr long kAcceptBackoffNs = 10'000'000;

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }


}  // namespace

Reactor::Reactor(int listen_fd, int signal_fd, const proto::HttpSession::Responses* responses)
    : listen_fd_(listen_fd), signal_fd_(signal_fd), responses_(responses) {}

Reactor::~Reactor() {
  for (auto& c : connections_)
    if (c && c->fd >= 0) ::close(c->fd);
}

bool Reactor::watch(int fd, std::uint32_t events, std::string& error) {
  epoll_event ev{};
  ev.events = events;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) == 0) return true;
  error = errno_text("epoll_ctl(ADD)");
  return false;
}

bool Reactor::open(std::string& error) {
  epoll_fd_ = bench::UniqueFd(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_fd_) {
    error = errno_text("epoll_create1");
    return false;
  }
  // Created now, not when descriptors run out: the back-off must not need a new descriptor.
  backoff_timer_fd_ = bench::UniqueFd(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!backoff_timer_fd_) {
    error = errno_text("timerfd_create");
    return false;
  }
  return watch(listen_fd_, EPOLLIN, error) && watch(signal_fd_, EPOLLIN, error) &&
         watch(backoff_timer_fd_.get(), EPOLLIN, error);
}

bool Reactor::run(std::string& error) {
  epoll_event events[kEventBatch];
  for (;;) {
    int ready = ::epoll_wait(epoll_fd_.get(), events, kEventBatch, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      error = errno_text("epoll_wait");
      return false;
    }
    bool stop = false;
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      const std::uint32_t got = events[i].events;
      if (fd == listen_fd_) {
        if (accepting_ && !accept_ready(error)) return false;
      } else if (fd == signal_fd_) {
        signalfd_siginfo info;
        while (::read(signal_fd_, &info, sizeof info) == sizeof info) stop = true;
      } else if (fd == backoff_timer_fd_.get()) {
        std::uint64_t expirations;
        if (::read(fd, &expirations, sizeof expirations) == sizeof expirations && !resume_accepting(error)) return false;
      } else {
        // An event of a connection closed earlier in this batch finds its slot free (skipped), or
        // a new connection that reuses the number: then a read or write just meets EAGAIN.
        if (std::size_t(fd) >= connections_.size() || !connections_[fd] || connections_[fd]->fd != fd) continue;
        Connection& c = *connections_[fd];
        if (c.waiting_writable) {
          if (got & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_writable(c);
        } else if (got & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) {
          on_readable(c);
        }
      }
    }
    if (stop) return true;
  }
}

bool Reactor::accept_ready(std::string& error) {
  // All pending connections in one go: a burst of connects costs one wake-up.
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      open_connection(fd);
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    if (bench::accept_error_is_transient(errno)) continue;
    if (bench::accept_error_is_exhaustion(errno)) return pause_accepting(error);
    error = errno_text("accept4");
    return false;
  }
}

bool Reactor::pause_accepting(std::string& error) {
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, listen_fd_, nullptr) != 0) {
    error = errno_text("epoll_ctl(DEL listener)");
    return false;
  }
  itimerspec once{};
  once.it_value.tv_nsec = kAcceptBackoffNs;
  if (::timerfd_settime(backoff_timer_fd_.get(), 0, &once, nullptr) != 0) {
    error = errno_text("timerfd_settime");
    return false;
  }
  accepting_ = false;
  return true;
}

bool Reactor::resume_accepting(std::string& error) {
  if (accepting_) return true;
  accepting_ = true;
  return watch(listen_fd_, EPOLLIN, error);
}

void Reactor::open_connection(int fd) {
  ++totals_.connections;
  // Replies leave in one write each; Nagle would hold back the tail of a reply larger than one
  // segment until the peer's delayed ACK.
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (std::size_t(fd) >= connections_.size()) connections_.resize(std::size_t(fd) + 1);
  auto& slot = connections_[fd];
  if (!slot) slot = std::make_unique<Connection>(responses_);
  slot->open(fd);
  std::string ignored;
  if (!watch(fd, EPOLLIN, ignored)) close_connection(*slot, true);  // epoll out of memory: refuse this one
}

}  // namespace epoll_pool
