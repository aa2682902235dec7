// The reactor's per-connection work: one read per readiness report, replies written at once, and
// EPOLLOUT only while the socket buffer is full (the connection is not read meanwhile: back-pressure).
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>

#include "reactor.hpp"

namespace epoll_pool {

void Reactor::on_readable(Connection& c) {
  std::size_t space = c.in.space();
  ssize_t n;
  do {
    n = ::read(c.fd, c.in.tail(), space);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) close_connection(c, true);  // ECONNRESET and friends
    return;
  }
  if (n == 0) {  // the peer closed; a partial http request is dropped, not an error
    close_connection(c, false);
    return;
  }
  totals_.bytes_in += std::uint64_t(n);
  c.in.commit(std::size_t(n));
  if (c.http) {
    answer_http(c);
  } else {
    echo(c);
  }
}

void Reactor::echo(Connection& c) {
  // Written straight from the input buffer; only what the socket does not take is copied.
  const std::string_view data = c.in.view();
  ssize_t written;
  do {
    written = ::write(c.fd, data.data(), data.size());
  } while (written < 0 && errno == EINTR);
  if (written < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      close_connection(c, true);
      return;
    }
    written = 0;
  }
  totals_.bytes_out += std::uint64_t(written);
  if (std::size_t(written) == data.size()) {
    ++totals_.requests;
    c.in.clear();
    return;
  }
  c.out.assign(data.substr(std::size_t(written)));
  c.out_sent = 0;
  c.unsent_replies = 1;
  c.in.clear();
  wait_writable(c, true);
}

void Reactor::answer_http(Connection& c) {
  // `out` is empty here: a connection with replies pending is not read.
  proto::HttpSession::Step step = c.http->on_data(c.in.view(), c.out);
  c.in.consume(step.consumed);
  if (step.error) ++totals_.errors;
  c.unsent_replies = step.responses;
  c.close_after_flush = step.close;
  flush(c);
}

void Reactor::on_writable(Connection& c) { flush(c); }

void Reactor::flush(Connection& c) {
  while (c.out_sent < c.out.size()) {
    ssize_t written = ::write(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent);
    if (written < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!c.waiting_writable) wait_writable(c, true);
        return;
      }
      close_connection(c, true);  // EPIPE, ECONNRESET
      return;
    }
    c.out_sent += std::size_t(written);
    totals_.bytes_out += std::uint64_t(written);
  }
  totals_.requests += c.unsent_replies;
  c.unsent_replies = 0;
  c.out.clear();  // keeps its capacity for the next replies
  c.out_sent = 0;
  if (c.close_after_flush) {
    close_connection(c, false);
  } else if (c.waiting_writable) {
    wait_writable(c, false);
  }
}

void Reactor::wait_writable(Connection& c, bool writable) {
  epoll_event ev{};
  ev.events = writable ? EPOLLOUT : EPOLLIN;
  ev.data.fd = c.fd;
  if (::epoll_ctl(epoll_fd_.get(), EPOLL_CTL_MOD, c.fd, &ev) != 0) {
    close_connection(c, true);
    return;
  }
  c.waiting_writable = writable;
}

void Reactor::close_connection(Connection& c, bool failed) {
  // close() also takes the descriptor out of the epoll set: no epoll_ctl(DEL) needed.
  ::close(c.fd);
  c.fd = -1;
  if (failed) ++totals_.errors;
}

}  // namespace epoll_pool
