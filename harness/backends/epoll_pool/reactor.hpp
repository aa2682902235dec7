// The serve command's event loop: one thread, one epoll set holding the listener, a signalfd for
// SIGTERM/SIGINT, a timerfd for the accept back-off, and every client connection.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "bench/backend.hpp"
#include "connection.hpp"
#include "protocol/http.hpp"
#include "bench/unique_fd.hpp"

namespace epoll_pool {

class Reactor {
 public:
  // `listen_fd` is non-blocking and listening; `signal_fd` reads the stop signals (already blocked).
  // `responses` is null for echo.
  Reactor(int listen_fd, int signal_fd, const proto::HttpSession::Responses* responses);
  ~Reactor();  // closes the connections still open
  Reactor(const Reactor&) = delete;
  Reactor& operator=(const Reactor&) = delete;

  // Sets up the epoll set; false with a reason.
  bool open(std::string& error);
  // Serves until a stop signal; false with a reason on a fatal error (the counters stay valid).
  bool run(std::string& error);
  const bench::ServeMeter::Totals& totals() const { return totals_; }

 private:
  // Events taken per epoll_wait(): many ready connections cost one syscall.
  static constexpr int kEventBatch = 256;

  bool watch(int fd, std::uint32_t events, std::string& error);
  bool accept_ready(std::string& error);
  bool pause_accepting(std::string& error);
  bool resume_accepting(std::string& error);
  void open_connection(int fd);

  // connection_io.cpp: the per-connection work.
  void on_readable(Connection& c);
  void on_writable(Connection& c);
  void echo(Connection& c);
  void answer_http(Connection& c);
  // Writes out[out_sent..] directly; on a full socket waits for EPOLLOUT. May close the connection
  // (a write error, or close-after-flush once everything is written).
  void flush(Connection& c);
  void wait_writable(Connection& c, bool writable);
  void close_connection(Connection& c, bool failed);

  int listen_fd_;
  int signal_fd_;
  const proto::HttpSession::Responses* responses_;
  bench::UniqueFd epoll_fd_;
  bench::UniqueFd backoff_timer_fd_;
  bool accepting_ = true;
  std::vector<std::unique_ptr<Connection>> connections_;  // indexed by descriptor
  bench::ServeMeter::Totals totals_;
};

}  // namespace epoll_pool
