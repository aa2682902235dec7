// One accepted TCP connection: its uv_tcp_t, its read buffer (handed out by alloc_cb, so no
// allocation per read), its HTTP session and its two output buffers. At most one uv_write is in
// flight; output made meanwhile waits in the second buffer and goes out as one write when the
// first completes.
#pragma once

#include <uv.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "bench/backend.hpp"
#include "protocol/http.hpp"

namespace libuv_backend {

// What every connection of one server shares.
struct ConnectionShared {
  uv_loop_t* loop = nullptr;
  bench::Proto proto = bench::Proto::echo;
  const proto::HttpSession::Responses* responses = nullptr;  // http only
  bench::ServeMeter::Totals totals;
};

class Connection {
 public:
  // Accepts the connection libuv has ready on `listener` (call from its connection_cb).
  // The connection owns itself from then on and is deleted in its close callback.
  static void accept_from(uv_stream_t* listener, ConnectionShared& shared);
  // The connection whose uv_tcp_t this is.
  static Connection* from(uv_handle_t* handle) { return static_cast<Connection*>(handle->data); }

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Closes now; a write still in flight completes with UV_ECANCELED.
  void close();

 private:
  explicit Connection(ConnectionShared& shared);

  static void on_alloc(uv_handle_t* handle, std::size_t suggested_size, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_write(uv_write_t* req, int status);
  static void on_shutdown(uv_shutdown_t* req, int status);
  static void on_close(uv_handle_t* handle);

  void on_echo_bytes(std::size_t n);
  void on_http_bytes(std::size_t n);
  void on_peer_eof();
  void finish_after_write();
  bool grow_input();

  // Output made while a write is in flight goes here; otherwise into out_.
  std::string& staging() { return write_in_flight_ ? queued_ : out_; }
  // Sends out_ (nothing in flight): uv_try_write first, uv_write for whatever the kernel did not take.
  // uv_write would also write at once, but its callback comes a loop iteration later and holds the
  // buffer (and the next reply behind it) until then; uv_try_write finishes the usual case on the
  // spot, with no request at all. Node's stream code does the same (DoTryWrite, then uv_write).
  void flush();
  // uv_try_write; the bytes the kernel took, or -1 when the connection failed and is closing.
  ssize_t try_write(const char* data, std::size_t len);
  void start_write();
  void apply_backpressure();

  void count_error();
  void fail();  // reset, EPIPE and friends: one error, then close
  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&tcp_); }
  uv_handle_t* handle() { return reinterpret_cast<uv_handle_t*>(&tcp_); }

  uv_tcp_t tcp_;
  uv_write_t write_req_;
  uv_shutdown_t shutdown_req_;
  ConnectionShared& shared_;
  std::optional<proto::HttpSession> http_;

  std::unique_ptr<char[]> in_;
  std::size_t in_capacity_ = 0;
  std::size_t in_length_ = 0;  // http: bytes of a request not complete yet, kept at the front

  std::string out_;     // the write in flight (or about to start)
  std::string queued_;  // output made while out_ is being written
  bool write_in_flight_ = false;
  bool close_after_write_ = false;
  // The peer may still be sending (a broken stream, or requests pipelined after a close): closing
  // with unread data would reset the connection and could destroy the reply in flight. So, as
  // nginx's lingering close does, shut down our side after the reply and read until the peer's EOF.
  bool linger_ = false;
  bool discarding_ = false;  // lingering: what arrives now is read and dropped
  bool reading_paused_ = false;  // back-pressure: the peer is not reading its replies
  bool counted_error_ = false;
};

}  // namespace libuv_backend
