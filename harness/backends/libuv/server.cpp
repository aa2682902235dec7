// serve: one uv_loop, one listening uv_tcp_t, uv_signal_t for SIGTERM and SIGINT.
#include <pthread.h>
#include <signal.h>
#include <uv.h>

#include <cstdint>
#include <optional>
#include <string>

#include "bench/backend.hpp"
#include "commands.hpp"
#include "connection.hpp"
#include "protocol/http.hpp"
#include "uv_error.hpp"

namespace libuv_backend {
namespace {

// How long accepting pauses when the process is out of descriptors and libuv's own remedy could
// not help (see on_connection). Long enough not to spin, short enough to pick up freed slots soon.
constexpr std::uint64_t kAcceptRetryMs = 100;

class Server {
 public:
  explicit Server(const bench::ServeOptions& options) : options_(options) {}
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int run();

 private:
  static void on_connection(uv_stream_t* listener, int status);
  static void on_signal(uv_signal_t* signal, int signum);
  static void on_accept_retry(uv_timer_t* timer);
  static void on_listener_closed(uv_handle_t* handle);
  static Server* from(void* handle) { return static_cast<Server*>(static_cast<uv_handle_t*>(handle)->data); }

  int listen();
  void pause_accepting();
  void stop();

  bench::ServeOptions options_;
  std::optional<proto::HttpSession::Responses> responses_;
  sockaddr_storage address_{};
  uv_loop_t loop_{};
  uv_tcp_t listener_{};
  uv_signal_t sigterm_{};
  uv_signal_t sigint_{};
  uv_timer_t accept_retry_{};
  bool listener_closed_ = true;
  bool stopping_ = false;
  ConnectionShared shared_;
  bench::ServeMeter meter_;
};

int Server::run() {
  if (options_.proto == bench::Proto::http) responses_.emplace(options_.size);
  std::string where = options_.bind + ":" + std::to_string(options_.port);
  bool ipv6 = options_.bind.find(':') != std::string::npos;
  int rc = ipv6 ? uv_ip6_addr(options_.bind.c_str(), options_.port, reinterpret_cast<sockaddr_in6*>(&address_))
                : uv_ip4_addr(options_.bind.c_str(), options_.port, reinterpret_cast<sockaddr_in*>(&address_));
  if (rc != 0) return bench::fail("bad --bind address '" + options_.bind + "'");

  uv_loop_init(&loop_);
  shared_ = ConnectionShared{&loop_, options_.proto, responses_ ? &*responses_ : nullptr, {}};
  // Signal handles first: a SIGTERM that arrives right after "ready" must find them in place.
  for (uv_signal_t* s : {&sigterm_, &sigint_}) {
    uv_signal_init(&loop_, s);
    s->data = this;
  }
  uv_signal_start(&sigterm_, on_signal, SIGTERM);
  uv_signal_start(&sigint_, on_signal, SIGINT);
  uv_timer_init(&loop_, &accept_retry_);
  accept_retry_.data = this;

  int result = bench::kExitOk;
  rc = listen();
  if (rc == 0) {
    sockaddr_storage bound{};
    int len = sizeof bound;
    uv_tcp_getsockname(&listener_, reinterpret_cast<sockaddr*>(&bound), &len);
    std::uint16_t port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                           : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    address_ = bound;  // with --port 0, listening again after a pause must reuse the port the kernel chose
    meter_.ready(port);
  } else {
    result = bench::fail(uv_failure("listen on", where, rc));
    stop();
  }
  uv_run(&loop_, UV_RUN_DEFAULT);  // until stop() has closed every handle
  if (uv_loop_close(&loop_) != 0) result = bench::fail("the loop still had open handles at exit");
  if (rc == 0) meter_.report(shared_.totals);
  return result;
}

int Server::listen() {
  uv_tcp_init(&loop_, &listener_);
  listener_.data = this;
  listener_closed_ = false;
  auto* stream = reinterpret_cast<uv_stream_t*>(&listener_);
  // uv_tcp_bind sets SO_REUSEADDR itself; EADDRINUSE may only show at uv_listen.
  int rc = uv_tcp_bind(&listener_, reinterpret_cast<const sockaddr*>(&address_), 0);
  if (rc == 0) rc = uv_listen(stream, bench::kListenBacklog, on_connection);
  if (rc != 0) uv_close(reinterpret_cast<uv_handle_t*>(&listener_), on_listener_closed);
  return rc;
}

void Server::on_connection(uv_stream_t* listener, int status) {
  Server* self = from(listener);
  if (status == 0) {
    Connection::accept_from(listener, self->shared_);
  } else if (status == UV_EMFILE || status == UV_ENFILE) {
    // libuv first tries its reserve-descriptor trick (uv__emfile_trick: close a spare fd, accept
    // and close every pending connection, reopen the spare), so the listener is drained and the
    // loop sleeps. We only get here when that spare could not be reopened; libuv then retries
    // accept() in a tight loop for as long as the listener is open, so close it and listen again
    // after a short back-off.
    self->pause_accepting();
  }
  // Anything else (ECONNABORTED and the like) concerns one peer that already gave up.
}

void Server::pause_accepting() {
  if (listener_closed_ || uv_is_closing(reinterpret_cast<uv_handle_t*>(&listener_))) return;
  uv_close(reinterpret_cast<uv_handle_t*>(&listener_), on_listener_closed);
  uv_timer_start(&accept_retry_, on_accept_retry, kAcceptRetryMs, 0);
}

void Server::on_listener_closed(uv_handle_t* handle) { from(handle)->listener_closed_ = true; }

void Server::on_accept_retry(uv_timer_t* timer) {
  Server* self = from(timer);
  if (self->stopping_) return;
  if (self->listener_closed_ && self->listen() == 0) return;
  uv_timer_start(timer, on_accept_retry, kAcceptRetryMs, 0);  // still out of descriptors, or not closed yet
}

void Server::on_signal(uv_signal_t* signal, int) {
  Server* server = from(signal);
  server->meter_.stop();  // serving ends here: closing every handle and the loop is not counted
  server->stop();
}

void Server::stop() {
  if (stopping_) return;
  stopping_ = true;
  // Closing the signal handles restores the default actions; a second SIGTERM (a process-group
  // kill, say) must not end the process before its counters line, so it stays blocked and pending.
  // The loop thread is the only thread of a server.
  bench::block_stop_signals();
  // Close every handle of the loop: the server's own, and every connection (uv_walk skips
  // libuv's internal handles). uv_run then returns by itself, with nothing left behind.
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void* arg) {
        if (uv_is_closing(handle)) return;
        if (handle->data == arg)
          uv_close(handle, handle->type == UV_TCP ? on_listener_closed : nullptr);
        else
          Connection::from(handle)->close();
      },
      this);
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  Server server(options);
  return server.run();
}

}  // namespace libuv_backend
