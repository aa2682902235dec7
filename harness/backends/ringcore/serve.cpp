// serve: one accept request feeds a task per connection; each connection awaits its input, answers
// (echo, or HTTP through the shared proto::HttpSession) with one send per read, and loops. SIGTERM
// and SIGINT arrive as a read on a signalfd, in the same ring. The ring configuration
// (ring_config.hpp) decides how: plain or direct descriptors (one multishot accept, or an
// accept_direct per connection), and one recv SQE per read or one multishot recv per connection
// over a provided buffer ring.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>

#include "bench/input_buffer.hpp"
#include "commands.hpp"
#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace ringcore_backend {
namespace {

using ringcore::task;
using ringcore::TcpStream;

constexpr std::size_t kBufferBytes = 16 * 1024;
// bufring: buffers go back to the ring before the reply is sent, so they are held only between a
// completion and its task running; a burst of 5,000 connections' requests is served in rounds.
constexpr unsigned kRingBuffers = 2048;
constexpr unsigned kRingBufferSize = 4096;
constexpr std::uint16_t kBufferGroup = 1;

struct Server {
  bench::ServeMeter::Totals totals;
  std::optional<proto::HttpSession::Responses> responses;
  ringcore::BufferRing* buffers = nullptr;  // bufring
};

// A connection's input, however it arrives: a recv into `in`'s free tail, or (bufring) a provided
// buffer, parsed where it lies when nothing is pending and copied only in part otherwise. Calls
// `handle(bytes)` with the bytes to act on; `handle` consumes what it used from `in` itself when
// they were `in`'s. Returns false at the end of the stream or on an error (counted).
class Input {
 public:
  Input(TcpStream& s, Server& server) : s_(s), server_(server), in_(kBufferBytes) {
    if (server.buffers) multishot_.emplace(*server.buffers, s.fd(), s.fixed());
  }
  bench::InputBuffer& pending() { return in_; }
  // Waits for more bytes; on success `in_` (pending + new) holds them.
  task<bool> receive() {
    if (!multishot_) {
      auto n = co_await s_.read(in_.tail(), in_.space());
      if (!n) co_return fail();
      if (*n == 0) co_return false;
      in_.commit(*n);
      server_.totals.bytes_in += *n;
      co_return true;
    }
    for (;;) {
      auto buf = co_await multishot_->next();
      if (!buf && buf.error().value() == ENOBUFS) {  // every buffer between a completion and its task
        co_await ringcore::yield();
        continue;  // next() re-arms the request
      }
      if (!buf) co_return fail();
      if (buf->size() == 0) co_return false;
      server_.totals.bytes_in += buf->size();
      std::size_t left = buf->size();
      const char* from = buf->data();
      while (left > 0) {  // copied out, so the buffer is back in the ring before we reply
        std::size_t n = std::min(left, in_.space());
        std::memcpy(in_.tail(), from, n);
        in_.commit(n);
        from += n;
        left -= n;
      }
      co_return true;
    }
  }
  // Stops the multishot recv (what the peer still sends is read with plain recvs).
  void stop_multishot() { multishot_.reset(); }

 private:
  bool fail() {
    ++server_.totals.errors;  // ECONNRESET and friends
    return false;
  }
  TcpStream& s_;
  Server& server_;
  bench::InputBuffer in_;
  std::optional<ringcore::RecvStream> multishot_;
};

task<void> echo_connection(TcpStream s, Server& server) {
  Input input(s, server);
  bench::InputBuffer& in = input.pending();
  while (co_await input.receive()) {
    const std::size_t n = in.view().size();
    // Counted before the send completes (undone if it fails): the stop signal's CQE can be reaped
    // in the same batch as, and before, the send's, after the client already has its reply.
    ++server.totals.requests;
    auto sent = co_await s.write_all(in.view().data(), n);  // short sends continue inside the op
    if (!sent) {
      --server.totals.requests;
      ++server.totals.errors;  // EPIPE, ECONNRESET
      co_return;
    }
    server.totals.bytes_out += n;
    in.clear();
  }
}

// After an error response the client may still be sending: stop writing, read what is left
// (bounded), then close, so the kernel sends FIN rather than a reset that could destroy the
// response before the client reads it.
task<void> linger_close(TcpStream& s, bench::InputBuffer& in) {
  co_await s.shutdown(SHUT_WR);
  in.clear();
  for (int i = 0; i < 64; ++i) {
    auto n = co_await ringcore::with_timeout(s.read(in.tail(), in.space()), std::chrono::seconds(1));
    if (!n || *n == 0) break;
  }
}

task<void> http_connection(TcpStream s, Server& server) {
  proto::HttpSession session(*server.responses);
  Input input(s, server);
  bench::InputBuffer& in = input.pending();
  std::string out;
  while (co_await input.receive()) {
    proto::HttpSession::Step step = session.on_data(in.view(), out);
    in.consume(step.consumed);
    if (!out.empty()) {  // every response of this read in one send
      server.totals.requests += step.responses;  // before the send completes, as for echo
      auto sent = co_await s.write_all(out.data(), out.size());
      if (!sent) {
        server.totals.requests -= step.responses;
        ++server.totals.errors;
        co_return;
      }
      server.totals.bytes_out += out.size();
      out.clear();
    }
    if (step.error) ++server.totals.errors;
    if (step.close) {
      input.stop_multishot();
      if (step.error) co_await linger_close(s, in);
      co_return;
    }
  }
}

void start_connection(TcpStream s, Server& server, bool http) {
  ++server.totals.connections;
  // The client speaks only after our answer: wait for data before trying to receive instead of
  // one futile attempt per request (IORING_RECVSEND_POLL_FIRST).
  s.set_poll_first();
  if (http) ringcore::spawn(http_connection(std::move(s), server));
  else ringcore::spawn(echo_connection(std::move(s), server));
}

task<void> accept_loop(ringcore::TcpListener& listener, Server& server, bool http) {
  ringcore::Acceptor incoming = listener.incoming();
  for (;;) {
    auto fd = co_await incoming.next();
    if (!fd) {
      // EMFILE/ENFILE: the connections we have keep being served; accept again shortly.
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    TcpStream s(*fd);
    (void)s.set_nodelay();  // every backend sets TCP_NODELAY: small replies go out at once
    start_connection(std::move(s), server, http);
  }
}

// fixed: connections accepted straight into the registered file table (the runtime's multishot
// Acceptor hands out plain descriptors, so one accept_direct per connection). TCP_NODELAY comes
// from the listener: accepted sockets inherit it, and a direct descriptor has no fd for setsockopt.
task<void> accept_direct_loop(ringcore::TcpListener& listener, Server& server, bool http) {
  for (;;) {
    auto conn = co_await listener.accept_direct();
    if (!conn) {  // ENFILE when the file table is full
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    start_connection(std::move(*conn), server, http);
  }
}

// As many registered-file slots as this process may open descriptors (the kernel's bound).
unsigned file_slots() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    (void)::setrlimit(RLIMIT_NOFILE, &rl);
  }
  return unsigned(std::min<rlim_t>(rl.rlim_cur, 65536));
}

task<int> run_server(const bench::ServeOptions& options, const RingConfig& config, ringcore::SignalSet& stop) {
  auto listener = ringcore::TcpListener::bind(options.bind, options.port, bench::kListenBacklog);
  if (!listener)
    co_return bench::fail("listen on " + options.bind + ":" + std::to_string(options.port) + ": " +
                          listener.error().message());
  ringcore::Runtime& rt = ringcore::Runtime::current();
  Server server;
  const bool http = options.proto == bench::Proto::http;
  if (http) server.responses.emplace(options.size);
  if (config.fixed_files) {
    int r = rt.ring().register_files(file_slots());
    if (r < 0) co_return bench::skip("ring configuration '" + config.name + "': registered files: " + std::strerror(-r));
    int one = 1;
    (void)::setsockopt(listener->fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  if (config.buffer_ring) {
    // Owned by the runtime: it outlives every connection's multishot recv, shutdown drain included.
    auto created = rt.make_buffer_ring(kBufferGroup, kRingBuffers, kRingBufferSize);
    if (!created)
      co_return bench::skip("ring configuration '" + config.name + "': buffer ring: " + created.error().message());
    server.buffers = *created;
  }
  bench::ServeMeter meter;
  if (config.fixed_files) ringcore::spawn(accept_direct_loop(*listener, server, http));
  else ringcore::spawn(accept_loop(*listener, server, http));
  meter.ready(listener->port());
  const std::uint64_t enters0 = rt.ring().stats().enters;
  co_await stop.wait();
  bench::JsonLine line = meter.line(server.totals);
  add_ring_report(line, config, rt.ring(), config.fixed_files, config.buffer_ring, false, enters0);
  line.print();
  co_return bench::kExitOk;  // the runtime cancels and reaps what is still in flight
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  const RingConfig config = chosen_config(Workload::network);
  try {
    ringcore::SignalSet stop{SIGTERM, SIGINT};
    ringcore::Runtime rt(config.ring_options());
    return rt.run(run_server(options, config, stop));
  } catch (const std::system_error& e) {
    return ring_setup_failed(config, e);
  }
}

}  // namespace ringcore_backend
