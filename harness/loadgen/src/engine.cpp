#include "engine.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <vector>

#include "bench/counters.hpp"
#include "connection.hpp"
#include "payload.hpp"

namespace loadgen {
namespace {

constexpr std::size_t kReadBufferSize = 64 * 1024;  // one read takes a whole reply batch in the usual case
constexpr std::size_t kScratchSize = 64 * 1024;     // echo bytes generated per write or per check
constexpr int kMaxEvents = 1024;
constexpr std::uint32_t kSocketEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

enum class ErrorKind { connect, timeout, mismatch, io };

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

class Engine {
 public:
  Engine(const Options& options, Latencies& latencies, RunResult& result)
      : o_(options), lat_(latencies), result_(result), payload_(options) {}
  ~Engine() {
    for (Connection& c : conns_)
      if (c.fd >= 0) ::close(c.fd);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
  }

  bool setup(std::string& error);
  void run();

 private:
  // Lifecycle.
  bool open_socket(Connection& c);
  void start_next(Connection& c);
  void close_socket(Connection& c);
  void finish(Connection& c);
  void drop(Connection& c);
  void begin_stop();
  void time_out_all();
  bool more_requests(const Connection& c) const;
  // Open loop.
  void start_schedule_when_all_open(std::int64_t now);
  void release_due(std::int64_t now);
  void send_due(Connection& c, std::int64_t now);
  std::int64_t scheduled_at(std::uint64_t slot) const {
    return schedule_start_ns_ + std::int64_t(double(slot) * ns_per_request_);
  }
  // Request k of connection c is slot c + k*C of the run's one schedule.
  std::int64_t scheduled_at(const Connection& c, std::uint64_t k) const {
    return scheduled_at(c.id + k * o_.connections);
  }
  bool expects_more(const Connection& c) const;
  // Events.
  void handle(std::uint64_t key, std::uint32_t events);
  void on_connected(Connection& c);
  void receive(Connection& c, bool peer_closing);
  bool consume_echo(Connection& c, const unsigned char* data, std::size_t n, std::int64_t now);
  bool consume_http(Connection& c, const unsigned char* data, std::size_t n, std::int64_t now);
  void reply_done(Connection& c, std::int64_t now);
  void after_replies(Connection& c);
  void issue(Connection& c);
  bool flush(Connection& c);
  // Errors.
  void record_error(const Connection& c, ErrorKind kind, const std::string& what);
  void fail(Connection& c, ErrorKind kind, const std::string& what);
  void io_failed(Connection& c, int err, const char* op);
  std::string address_text() const;

  bool keepalive() const { return o_.mode == Mode::keepalive; }
  bool duration_mode() const { return o_.duration_ms > 0; }
  bool open_loop() const { return o_.rate > 0; }

  const Options& o_;
  Latencies& lat_;
  RunResult& result_;
  Payload payload_;
  std::vector<Connection> conns_;
  std::vector<std::int64_t> starts_;
  std::vector<std::uint32_t> restarts_;  // reconnect slots to start again after this batch of events
  sockaddr_storage addr_{};
  socklen_t addr_len_ = 0;
  int epoll_fd_ = -1;
  std::uint32_t active_ = 0;  // connections not finished
  bool stopping_ = false;     // duration mode: no new requests; finish what is in flight
  std::int64_t stop_at_ns_ = 0;
  std::int64_t deadline_ns_ = 0;
  std::unique_ptr<unsigned char[]> read_buffer_{new unsigned char[kReadBufferSize]};
  std::unique_ptr<unsigned char[]> scratch_{new unsigned char[kScratchSize]};
  // Open loop: slot s of the schedule (connection s % C, its request s / C) is due at
  // schedule_start_ns_ + s / rate.
  double ns_per_request_ = 0;
  std::int64_t schedule_start_ns_ = 0;  // 0 until every connection is open
  std::uint64_t next_slot_ = 0;         // the first slot not yet released
  std::uint64_t slot_count_ = 0;        // slots in the run
  bool schedule_done_ = false;          // every slot released
};

bool Engine::setup(std::string& error) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) {
    error = std::string("epoll_create1: ") + std::strerror(errno);
    return false;
  }
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr_);
  if (::inet_pton(AF_INET, o_.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(o_.port);
    addr_len_ = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, o_.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(o_.port);
    addr_len_ = sizeof(sockaddr_in6);
  } else {
    error = "not an IPv4 or IPv6 address: " + o_.host;
    return false;
  }
  if (open_loop()) {
    ns_per_request_ = 1e9 / double(o_.rate);
    slot_count_ = duration_mode() ? (std::uint64_t(o_.duration_ms) * o_.rate + 999) / 1000
                                  : std::uint64_t(o_.connections) * o_.requests;
    // The default 50 us timer slack would make every scheduled wake-up late by up to that much.
    ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  }
  conns_.reserve(o_.connections);
  for (std::uint32_t i = 0; i < o_.connections; ++i) conns_.emplace_back(payload_.expected_body());
  starts_.assign(std::size_t(o_.connections) * o_.pipeline, 0);
  for (std::uint32_t i = 0; i < o_.connections; ++i) {
    conns_[i].id = i;
    conns_[i].starts = starts_.data() + std::size_t(i) * o_.pipeline;
  }
  restarts_.reserve(o_.connections);
  return true;
}

void Engine::run() {
  std::int64_t start = bench::now_ns();
  result_.first_connect_ns = start;
  deadline_ns_ = start + o_.timeout_ms * 1'000'000;
  stop_at_ns_ = duration_mode() && !open_loop() ? start + o_.duration_ms * 1'000'000 : INT64_MAX;
  active_ = o_.connections;
  // Every connect is issued before any is waited on.
  for (Connection& c : conns_) {
    if (keepalive()) {
      if (!open_socket(c)) finish(c);
    } else {
      start_next(c);
    }
  }

  epoll_event events[kMaxEvents];
  while (active_ > 0) {
    // Restarting here, not inside an error path, keeps a run of failing connects from recursing.
    for (std::size_t i = 0; i < restarts_.size(); ++i) start_next(conns_[restarts_[i]]);
    restarts_.clear();
    if (active_ == 0) break;
    std::int64_t now = bench::now_ns();
    if (now >= deadline_ns_) {
      time_out_all();
      break;
    }
    if (!stopping_ && now >= stop_at_ns_) {
      begin_stop();
      if (active_ == 0) break;
    }
    std::int64_t wake_at = stopping_ ? deadline_ns_ : std::min(deadline_ns_, stop_at_ns_);
    if (open_loop()) {
      if (schedule_start_ns_ == 0) start_schedule_when_all_open(now);
      if (schedule_start_ns_ != 0) {
        release_due(now);
        if (active_ == 0) break;
        if (!schedule_done_) wake_at = std::min(wake_at, scheduled_at(next_slot_));
      }
    }
    // Nanosecond timeouts (epoll_pwait2): the open-loop schedule needs wake-ups finer than 1 ms.
    std::int64_t wait_ns = std::clamp<std::int64_t>(wake_at - bench::now_ns(), 0, 1'000'000'000);
    timespec timeout{time_t(wait_ns / 1'000'000'000), long(wait_ns % 1'000'000'000)};
    int n = ::epoll_pwait2(epoll_fd_, events, kMaxEvents, &timeout, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "loadgen: epoll_wait: %s\n", std::strerror(errno));
      time_out_all();
      break;
    }
    for (int i = 0; i < n; ++i) handle(events[i].data.u64, events[i].events);
  }
  if (result_.last_reply_ns == 0) result_.last_reply_ns = bench::now_ns();
  result_.schedule_start_ns = schedule_start_ns_;
}

// ---- open loop ----------------------------------------------------------------------------------

// The schedule starts once every connection is open (or given up), so no request's corrected
// latency includes the other connections' handshakes.
void Engine::start_schedule_when_all_open(std::int64_t now) {
  for (const Connection& c : conns_)
    if (c.state == ConnectionState::connecting || c.state == ConnectionState::idle) return;
  schedule_start_ns_ = now;
  for (Connection& c : conns_) c.free_since_ns = now;
}

// Makes every slot whose time has come due on its connection, in schedule order, and sends what
// the connections have room for.
void Engine::release_due(std::int64_t now) {
  while (next_slot_ < slot_count_ && scheduled_at(next_slot_) <= now) {
    Connection& c = conns_[next_slot_ % o_.connections];
    ++next_slot_;
    if (c.state == ConnectionState::finished) continue;  // given up after an error (already counted)
    ++c.due;
    send_due(c, now);
  }
  if (next_slot_ < slot_count_ || schedule_done_) return;
  schedule_done_ = true;
  for (Connection& c : conns_)
    if (c.state != ConnectionState::finished && c.completed == c.due) finish(c);
}

// Sends the connection's due requests it has room for. A request's lateness splits in two: waiting
// for room (the server had not answered the earlier ones yet) and, after that, the generator's own lag.
void Engine::send_due(Connection& c, std::int64_t now) {
  std::uint64_t target = std::min<std::uint64_t>(c.due, c.completed + o_.pipeline);
  if (target <= c.issued) return;
  for (std::uint64_t r = c.issued; r < target; ++r) {
    c.starts[r % o_.pipeline] = now;
    std::int64_t scheduled = scheduled_at(c, r);
    std::int64_t ready = std::max(scheduled, c.free_since_ns);
    result_.server_wait_max_ns = std::max(result_.server_wait_max_ns, ready - scheduled);
    std::int64_t lag = now - ready;
    result_.client_lag_max_ns = std::max(result_.client_lag_max_ns, lag);
    lat_.client_lag.record(lag);
    if (lag > o_.lag_limit_us * 1'000) ++result_.behind_requests;
  }
  c.issued = target;
  flush(c);
}

// Whether the connection still has requests to send (or replies owed) after its last reply.
bool Engine::expects_more(const Connection& c) const {
  if (open_loop()) return !schedule_done_ || c.completed < c.due;
  return !stopping_ && (duration_mode() || c.completed < o_.requests);
}

// ---- lifecycle ----------------------------------------------------------------------------------

// Creates the socket and issues the connect. False when that failed at once (counted as a connect
// error, socket closed); the caller decides what comes next.
bool Engine::open_socket(Connection& c) {
  c.issued = c.completed = c.sent = c.received = 0;
  c.write_blocked = false;
  c.reader.reset();
  ++c.generation;
  int fd = ::socket(addr_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    record_error(c, ErrorKind::connect, std::string("socket: ") + std::strerror(errno));
    return false;
  }
  // Requests are small and must leave at once; Nagle would hold back a pipelined tail.
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!keepalive()) c.starts[0] = bench::now_ns();  // reconnect latency counts the connect
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr_), addr_len_) != 0 && errno != EINPROGRESS) {
    int err = errno;
    ::close(fd);
    record_error(c, ErrorKind::connect, "connect to " + address_text() + ": " + std::strerror(err));
    return false;
  }
  // Registered after connect(): a socket that has not started connecting polls as EPOLLHUP.
  epoll_event ev{};
  ev.events = kSocketEvents;
  ev.data.u64 = (std::uint64_t(c.generation) << 32) | c.id;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    int err = errno;
    ::close(fd);
    record_error(c, ErrorKind::connect, std::string("epoll_ctl: ") + std::strerror(err));
    return false;
  }
  c.fd = fd;
  c.state = ConnectionState::connecting;
  if (!keepalive()) {
    // On loopback the handshake has usually completed inside connect(): write now and save an
    // epoll round trip per request (EAGAIN just means: wait for EPOLLOUT).
    c.issued = 1;
    flush(c);
  }
  return true;
}

bool Engine::more_requests(const Connection& c) const {
  if (stopping_) return false;
  if (duration_mode()) return bench::now_ns() < stop_at_ns_;
  return c.attempts < o_.requests;
}

// Reconnect: the slot's next request on a fresh socket, or the slot is finished.
void Engine::start_next(Connection& c) {
  while (more_requests(c)) {
    c.first_request = c.attempts++;
    if (open_socket(c)) return;
  }
  finish(c);
}

void Engine::close_socket(Connection& c) {
  if (c.fd >= 0) ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  ++c.generation;
}

void Engine::finish(Connection& c) {
  if (c.state == ConnectionState::finished) return;
  close_socket(c);
  c.state = ConnectionState::finished;
  --active_;
}

// After an error: keepalive gives the connection up; reconnect goes on with the slot's next request.
void Engine::drop(Connection& c) {
  if (keepalive()) {
    finish(c);
    return;
  }
  close_socket(c);
  c.state = ConnectionState::idle;
  restarts_.push_back(c.id);
}

// Duration mode's end: nothing new is issued; connections with nothing in flight close now.
void Engine::begin_stop() {
  stopping_ = true;
  for (Connection& c : conns_) {
    bool in_flight = c.state == ConnectionState::open && c.completed < c.issued;
    if (!keepalive()) in_flight = c.state == ConnectionState::connecting || c.state == ConnectionState::open;
    if (!in_flight) finish(c);
  }
}

void Engine::time_out_all() {
  for (Connection& c : conns_) {
    if (c.state == ConnectionState::finished) continue;
    const char* doing = c.state == ConnectionState::connecting ? "connecting"
                        : c.write_blocked                       ? "writing the request"
                                                                : "waiting for the reply";
    record_error(c, ErrorKind::timeout,
                 "timed out after " + std::to_string(o_.timeout_ms) + " ms (" + doing + ")");
    finish(c);
  }
}

// ---- events -------------------------------------------------------------------------------------

void Engine::handle(std::uint64_t key, std::uint32_t events) {
  Connection& c = conns_[std::uint32_t(key)];
  if (c.generation != std::uint32_t(key >> 32) || c.fd < 0) return;  // an event for a socket already closed
  if (c.state == ConnectionState::connecting) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      int err = 0;
      socklen_t len = sizeof err;
      ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
      fail(c, ErrorKind::connect, "connect to " + address_text() + ": " + std::strerror(err ? err : ECONNREFUSED));
      return;
    }
    if (!(events & EPOLLOUT)) return;
    on_connected(c);
    if (c.fd < 0 || !(events & EPOLLIN)) return;
  } else if ((events & EPOLLOUT) && c.write_blocked) {
    if (!flush(c)) return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) receive(c, events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR));
}

void Engine::on_connected(Connection& c) {
  c.state = ConnectionState::open;
  if (open_loop()) return;  // the schedule sends, once every connection is open
  if (keepalive()) {
    if (stopping_) {
      finish(c);
      return;
    }
    issue(c);
  }
  flush(c);
}

// Edge-triggered: read until the socket is empty. A read shorter than the buffer emptied it (new
// data raises a new edge), unless the peer is closing, when the end of stream must be read too.
void Engine::receive(Connection& c, bool peer_closing) {
  for (;;) {
    ssize_t n = ::read(c.fd, read_buffer_.get(), kReadBufferSize);
    if (n > 0) {
      result_.bytes_received += std::uint64_t(n);
      std::int64_t now = bench::now_ns();
      bool ok = o_.proto == Proto::echo ? consume_echo(c, read_buffer_.get(), std::size_t(n), now)
                                        : consume_http(c, read_buffer_.get(), std::size_t(n), now);
      if (!ok) return;
      if (c.completed == c.issued) break;  // nothing more is owed: go and send the next requests
      if (std::size_t(n) < kReadBufferSize && !peer_closing) break;
      continue;
    }
    if (n == 0) {
      bool done = open_loop() ? !expects_more(c) : stopping_ || c.completed == o_.requests;
      if (c.completed == c.issued && keepalive() && done) break;
      std::string what = "server closed the connection";
      if (c.completed < c.issued)
        what += " with " + std::to_string(c.issued - c.completed) + " repl" + (c.issued - c.completed == 1 ? "y" : "ies") +
                " outstanding";
      fail(c, ErrorKind::io, what);
      return;
    }
    if (errno == EAGAIN) break;
    if (errno == EINTR) continue;
    io_failed(c, errno, "read");
    return;
  }
  after_replies(c);
}

bool Engine::consume_echo(Connection& c, const unsigned char* data, std::size_t n, std::int64_t now) {
  const std::uint64_t size = payload_.request_size();
  while (n > 0) {
    if (c.completed == c.issued) {
      fail(c, ErrorKind::mismatch, std::to_string(n) + " bytes arrived after the last reply (nothing was outstanding)");
      return false;
    }
    std::uint64_t offset = c.received % size;
    std::size_t take = std::size_t(std::min<std::uint64_t>(n, size - offset));
    std::size_t bad = payload_.check_echo(c.id, c.first_request, c.received, data, take, scratch_.get(), kScratchSize);
    if (bad < take) {
      unsigned char want = payload_.echo_byte(c.id, c.first_request, c.received + bad);
      fail(c, ErrorKind::mismatch,
           "echo mismatch at byte " + std::to_string(offset + bad) + ": expected " + hex_byte(want) + " got " +
               hex_byte(data[bad]));
      return false;
    }
    c.received += take;
    data += take;
    n -= take;
    if (offset + take == size) reply_done(c, now);
  }
  return true;
}

bool Engine::consume_http(Connection& c, const unsigned char* data, std::size_t n, std::int64_t now) {
  while (n > 0) {
    if (c.completed == c.issued && c.reader.idle()) {
      fail(c, ErrorKind::mismatch, std::to_string(n) + " bytes arrived after the last reply (nothing was outstanding)");
      return false;
    }
    auto step = c.reader.feed(reinterpret_cast<const char*>(data), n);
    if (step.failed) {
      fail(c, ErrorKind::mismatch, c.reader.error());
      return false;
    }
    data += step.consumed;
    n -= step.consumed;
    if (!step.complete) continue;
    reply_done(c, now);
    if (c.reader.server_closes() && keepalive() && expects_more(c)) {
      fail(c, ErrorKind::io, "server answered with Connection: close although more requests were to follow");
      return false;
    }
  }
  return true;
}

void Engine::reply_done(Connection& c, std::int64_t now) {
  lat_.from_send.record(now - c.starts[c.completed % o_.pipeline]);
  if (open_loop()) {
    lat_.from_schedule.record(now - scheduled_at(c, c.completed));
    if (c.issued - c.completed == o_.pipeline) c.free_since_ns = now;  // this reply makes room
  }
  ++c.completed;
  ++result_.requests;
  result_.last_reply_ns = now;
}

void Engine::after_replies(Connection& c) {
  if (open_loop()) {
    send_due(c, bench::now_ns());
    if (schedule_done_ && c.completed == c.due && c.state != ConnectionState::finished) finish(c);
    return;
  }
  if (c.completed < c.issued) return;
  if (!keepalive()) {
    close_socket(c);
    start_next(c);
    return;
  }
  if (stopping_ || (!duration_mode() && c.completed == o_.requests)) {
    finish(c);
    return;
  }
  issue(c);
  flush(c);
}

// Keepalive: tops the connection up to `pipeline` requests in flight; they start now.
void Engine::issue(Connection& c) {
  std::uint64_t target = c.completed + o_.pipeline;
  if (!duration_mode()) target = std::min<std::uint64_t>(target, o_.requests);
  if (target <= c.issued) return;
  std::int64_t now = bench::now_ns();
  for (std::uint64_t r = c.issued; r < target; ++r) c.starts[r % o_.pipeline] = now;
  c.issued = target;
}

// Writes what has been issued and not yet written. False when the connection failed.
bool Engine::flush(Connection& c) {
  const std::uint64_t end = c.issued * payload_.request_size();
  while (c.sent < end) {
    std::string_view bytes =
        payload_.requests(c.id, c.first_request, c.sent, std::size_t(end - c.sent), scratch_.get(), kScratchSize);
    ssize_t w = ::write(c.fd, bytes.data(), bytes.size());
    if (w > 0) {
      c.sent += std::uint64_t(w);
      result_.bytes_sent += std::uint64_t(w);
      c.state = ConnectionState::open;  // a write that succeeds proves the connect did
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) {
      c.write_blocked = true;
      return true;
    }
    io_failed(c, w < 0 ? errno : EIO, "write");
    return false;
  }
  c.write_blocked = false;
  return true;
}

// ---- errors -------------------------------------------------------------------------------------

void Engine::record_error(const Connection& c, ErrorKind kind, const std::string& what) {
  ++result_.errors;
  switch (kind) {
    case ErrorKind::connect: ++result_.connect_errors; break;
    case ErrorKind::timeout: ++result_.timeouts; break;
    case ErrorKind::mismatch: ++result_.mismatches; break;
    case ErrorKind::io: break;
  }
  if (!result_.first_error.empty()) return;
  result_.first_error = "connection " + std::to_string(c.id) + " request " +
                        std::to_string(c.first_request + c.completed) + ": " + what;
  std::fprintf(stderr, "loadgen: %s\n", result_.first_error.c_str());
}

void Engine::fail(Connection& c, ErrorKind kind, const std::string& what) {
  record_error(c, kind, what);
  drop(c);
}

void Engine::io_failed(Connection& c, int err, const char* op) {
  if (c.state == ConnectionState::connecting) {
    fail(c, ErrorKind::connect, "connect to " + address_text() + ": " + std::strerror(err));
    return;
  }
  const char* name = err == ECONNRESET ? " (ECONNRESET)" : err == EPIPE ? " (EPIPE)" : "";
  fail(c, ErrorKind::io, std::string(op) + ": " + std::strerror(err) + name);
}

std::string Engine::address_text() const {
  bool v6 = o_.host.find(':') != std::string::npos;
  return (v6 ? "[" + o_.host + "]:" : o_.host + ":") + std::to_string(o_.port);
}

}  // namespace

bool run_load(const Options& options, Latencies& latencies, RunResult& result, std::string& setup_error) {
  Engine engine(options, latencies, result);
  if (!engine.setup(setup_error)) return false;
  engine.run();
  return true;
}

}  // namespace loadgen
