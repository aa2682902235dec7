#include "connection.hpp"

#include <sys/socket.h>

#include <cstring>
#include <utility>

namespace libuv_backend {
namespace {

// libuv's own suggested_size for reads: one read takes whatever the kernel has queued.
constexpr std::size_t kReadBufferSize = 64 * 1024;
// Largest request proto::HttpLimits lets through: 16 KiB of headers plus a 64 KiB body.
constexpr std::size_t kMaxInputBuffer = 128 * 1024;
// A peer that keeps sending but does not read its replies stops being read above this much
// queued output, so one connection cannot grow the server without bound.
constexpr std::size_t kQueuedHighWater = 1 << 20;

}  // namespace

Connection::Connection(ConnectionShared& shared)
    : shared_(shared), in_(std::make_unique_for_overwrite<char[]>(kReadBufferSize)), in_capacity_(kReadBufferSize) {
  if (shared.proto == bench::Proto::http) http_.emplace(*shared.responses);
  write_req_.data = this;
  shutdown_req_.data = this;
}

void Connection::accept_from(uv_stream_t* listener, ConnectionShared& shared) {
  auto* c = new Connection(shared);
  uv_tcp_init(shared.loop, &c->tcp_);  // cannot fail on unix: the socket comes from uv_accept
  c->tcp_.data = c;
  if (uv_accept(listener, c->stream()) != 0) {
    c->close();
    return;
  }
  ++shared.totals.connections;
  // Request/response traffic: every reply is one write that should leave now, not after an ACK.
  uv_tcp_nodelay(&c->tcp_, 1);
  if (uv_read_start(c->stream(), on_alloc, on_read) != 0) c->fail();
}

void Connection::on_alloc(uv_handle_t* handle, std::size_t, uv_buf_t* buf) {
  Connection* c = from(handle);
  if (c->discarding_) c->in_length_ = 0;
  *buf = uv_buf_init(c->in_.get() + c->in_length_, unsigned(c->in_capacity_ - c->in_length_));
}

void Connection::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t*) {
  Connection* c = from(reinterpret_cast<uv_handle_t*>(stream));
  if (c->discarding_) {
    if (nread < 0) c->close();  // the peer's EOF (or reset) ends the lingering close
    return;
  }
  if (nread > 0) {
    c->shared_.totals.bytes_in += std::uint64_t(nread);
    if (c->http_)
      c->on_http_bytes(std::size_t(nread));
    else
      c->on_echo_bytes(std::size_t(nread));
  } else if (nread == UV_EOF) {
    c->on_peer_eof();
  } else if (nread < 0) {
    c->fail();
  }
  // nread == 0: libuv's EAGAIN, nothing to do.
}

void Connection::on_echo_bytes(std::size_t n) {
  ++shared_.totals.requests;
  const char* data = in_.get();
  if (!write_in_flight_) {
    // The common case: straight from the read buffer, no copy.
    ssize_t sent = try_write(data, n);
    if (sent < 0 || std::size_t(sent) == n) return;
    out_.assign(data + sent, n - std::size_t(sent));
    start_write();
    return;
  }
  queued_.append(data, n);
  apply_backpressure();
}

void Connection::on_http_bytes(std::size_t n) {
  in_length_ += n;
  proto::HttpSession::Step step = http_->on_data({in_.get(), in_length_}, staging());
  shared_.totals.requests += step.responses;
  if (step.error) count_error();
  if (step.consumed > 0) {
    std::memmove(in_.get(), in_.get() + step.consumed, in_length_ - step.consumed);
    in_length_ -= step.consumed;
  }
  if (step.close) {
    close_after_write_ = true;
    linger_ = step.error || in_length_ > 0;
    if (linger_)
      discarding_ = true;
    else
      uv_read_stop(stream());
  } else if (in_length_ == in_capacity_ && !grow_input()) {
    // Cannot happen within proto::HttpLimits (the parser answers 413/431 first); be safe anyway.
    count_error();
    close();
    return;
  }
  if (write_in_flight_)
    apply_backpressure();
  else
    flush();
}

bool Connection::grow_input() {
  if (in_capacity_ >= kMaxInputBuffer) return false;
  std::size_t capacity = in_capacity_ * 2;
  auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
  std::memcpy(bigger.get(), in_.get(), in_length_);
  in_ = std::move(bigger);
  in_capacity_ = capacity;
  return true;
}

void Connection::on_peer_eof() {
  // libuv 1.44 reports UV_EOF when the hang-up comes with the last data, even if it was a reset:
  // ask the socket, so a reset counts as the error it is, as in every other backend.
  uv_os_fd_t fd;
  int so_error = 0;
  socklen_t len = sizeof so_error;
  if (uv_fileno(reinterpret_cast<uv_handle_t*>(handle()), &fd) == 0 &&
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 && so_error != 0) {
    fail();
    return;
  }
  // A half-close: the replies already made still go out, then the connection closes.
  // Not an error: it is how a client ends a keep-alive connection.
  close_after_write_ = true;
  if (!write_in_flight_) flush();
}

void Connection::flush() {
  if (uv_is_closing(handle())) return;
  if (!out_.empty()) {
    ssize_t sent = try_write(out_.data(), out_.size());
    if (sent < 0) return;
    if (std::size_t(sent) < out_.size()) {
      out_.erase(0, std::size_t(sent));  // rare: the socket buffer is full
      start_write();
      return;
    }
    out_.clear();
  }
  if (close_after_write_) finish_after_write();
}

void Connection::finish_after_write() {
  if (!linger_) {
    close();
    return;
  }
  if (uv_shutdown(&shutdown_req_, stream(), on_shutdown) != 0) close();
}

void Connection::on_shutdown(uv_shutdown_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  if (status == UV_ECANCELED) return;  // closed meanwhile
  if (status < 0) c->close();          // the peer is gone already; nothing left to linger for
}

ssize_t Connection::try_write(const char* data, std::size_t len) {
  uv_buf_t buf = uv_buf_init(const_cast<char*>(data), unsigned(len));
  int n = uv_try_write(stream(), &buf, 1);
  if (n == UV_EAGAIN) return 0;
  if (n < 0) {
    fail();
    return -1;
  }
  shared_.totals.bytes_out += std::uint64_t(n);
  return n;
}

void Connection::start_write() {
  uv_buf_t buf = uv_buf_init(out_.data(), unsigned(out_.size()));
  if (uv_write(&write_req_, stream(), &buf, 1, on_write) != 0) {
    fail();
    return;
  }
  write_in_flight_ = true;
}

void Connection::on_write(uv_write_t* req, int status) {
  auto* c = static_cast<Connection*>(req->data);
  c->write_in_flight_ = false;
  if (status == UV_ECANCELED) return;  // closed while writing; on_close frees the connection
  if (status < 0) {
    c->fail();
    return;
  }
  c->shared_.totals.bytes_out += c->out_.size();
  c->out_.clear();
  c->out_.swap(c->queued_);  // both keep their capacity: no allocation once warm
  if (c->reading_paused_ && !c->close_after_write_) {
    c->reading_paused_ = false;
    if (uv_read_start(c->stream(), on_alloc, on_read) != 0) {
      c->fail();
      return;
    }
  }
  c->flush();
}

void Connection::apply_backpressure() {
  if (queued_.size() > kQueuedHighWater && !reading_paused_ && !close_after_write_) {
    reading_paused_ = true;
    uv_read_stop(stream());
  }
}

void Connection::count_error() {
  if (counted_error_) return;  // one per connection, however it ends
  counted_error_ = true;
  ++shared_.totals.errors;
}

void Connection::fail() {
  count_error();
  close();
}

void Connection::close() {
  if (!uv_is_closing(handle())) uv_close(handle(), on_close);
}

void Connection::on_close(uv_handle_t* handle) { delete from(handle); }

}  // namespace libuv_backend
