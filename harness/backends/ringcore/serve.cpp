// serve: one multishot accept request feeds a task per connection; each connection awaits a recv,
// answers (echo, or HTTP through the shared proto::HttpSession) with sends, and loops. SIGTERM and
// SIGINT arrive as a read on a signalfd, in the same ring.
#include <signal.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>

#include "bench/input_buffer.hpp"
#include "commands.hpp"
#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace ringcore_backend {
namespace {

using ringcore::task;
using ringcore::TcpStream;

constexpr std::size_t kBufferBytes = 16 * 1024;

struct Server {
  bench::ServeMeter::Totals totals;
  std::optional<proto::HttpSession::Responses> responses;
};

task<void> echo_connection(TcpStream s, Server& server) {
  auto buf = std::make_unique_for_overwrite<char[]>(kBufferBytes);
  for (;;) {
    auto n = co_await s.read(buf.get(), kBufferBytes);
    if (!n) {
      ++server.totals.errors;  // ECONNRESET and friends
      co_return;
    }
    if (*n == 0) co_return;  // the client is done
    server.totals.bytes_in += *n;
    // Counted before the send completes (undone if it fails): the stop signal's CQE can be reaped
    // in the same batch as, and before, the send's, after the client already has its reply.
    ++server.totals.requests;
    auto sent = co_await s.write_all(buf.get(), *n);  // short sends continue inside the op
    if (!sent) {
      --server.totals.requests;
      ++server.totals.errors;  // EPIPE, ECONNRESET
      co_return;
    }
    server.totals.bytes_out += *n;
  }
}

// After an error response the client may still be sending: stop writing, read what is left
// (bounded), then close, so the kernel sends FIN rather than a reset that could destroy the
// response before the client reads it.
task<void> linger_close(TcpStream& s, char* buf) {
  co_await s.shutdown(SHUT_WR);
  for (int i = 0; i < 64; ++i) {
    auto n = co_await ringcore::with_timeout(s.read(buf, kBufferBytes), std::chrono::seconds(1));
    if (!n || *n == 0) break;
  }
}

task<void> http_connection(TcpStream s, Server& server) {
  proto::HttpSession session(*server.responses);
  bench::InputBuffer in(kBufferBytes);
  std::string out;
  for (;;) {
    auto n = co_await s.read(in.tail(), in.space());
    if (!n) {
      ++server.totals.errors;
      co_return;
    }
    if (*n == 0) co_return;
    server.totals.bytes_in += *n;
    in.commit(*n);
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
      if (step.error) co_await linger_close(s, in.tail());
      co_return;
    }
  }
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
    ++server.totals.connections;
    TcpStream s(*fd);
    (void)s.set_nodelay();  // every backend sets TCP_NODELAY: small replies go out at once
    if (http) ringcore::spawn(http_connection(std::move(s), server));
    else ringcore::spawn(echo_connection(std::move(s), server));
  }
}

task<int> run_server(const bench::ServeOptions& options, ringcore::SignalSet& stop) {
  auto listener = ringcore::TcpListener::bind(options.bind, options.port, bench::kListenBacklog);
  if (!listener)
    co_return bench::fail("listen on " + options.bind + ":" + std::to_string(options.port) + ": " +
                          listener.error().message());
  Server server;
  const bool http = options.proto == bench::Proto::http;
  if (http) server.responses.emplace(options.size);
  bench::ServeMeter meter;
  ringcore::spawn(accept_loop(*listener, server, http));
  meter.ready(listener->port());
  co_await stop.wait();
  meter.report(server.totals);
  co_return bench::kExitOk;  // the runtime cancels and reaps what is still in flight
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  try {
    ringcore::SignalSet stop{SIGTERM, SIGINT};
    ringcore::Runtime rt(ring_options(Workload::network));
    return rt.run(run_server(options, stop));
  } catch (const std::system_error& e) {
    if (e.code() == std::errc::operation_not_permitted || e.code() == std::errc::function_not_supported)
      return bench::skip(e.what());
    return bench::fail(e.what());
  }
}

}  // namespace ringcore_backend
