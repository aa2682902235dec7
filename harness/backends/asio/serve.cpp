// serve: one io_context on one thread, an accept loop, one coroutine per connection.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <string>

#include "asio_types.hpp"
#include "bench/backend.hpp"
#include "commands.hpp"
#include "connection.hpp"
#include "protocol/http.hpp"
#include "reactor.hpp"

namespace asio_backend {
namespace {

using tcp = asio::ip::tcp;

// After an accept error other than a peer giving up, wait this long before accepting again: out of
// descriptors (EMFILE/ENFILE) the listening socket stays readable, and retrying at once would spin.
constexpr std::chrono::milliseconds kAcceptBackoff{10};

// Owns the acceptor: it must die with this coroutine's frame when the io_context shuts down. Destroyed
// earlier, with its accept still queued, the io_uring service would destroy that operation only in its
// own destructor, after the socket service it refers to is gone (a use-after-free ASan found in 1.81).
Task<> accept_connections(Acceptor acceptor, bench::Proto proto, const proto::HttpSession::Responses& responses,
                          bench::ServeMeter::Totals& totals) {
  const Executor executor = acceptor.get_executor();
  Timer backoff(executor);
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(use_nothrow_awaitable);
    if (!ec) {
      ++totals.connections;
      // Request/response traffic: a reply must not wait for the ACK of the previous one (Nagle).
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      if (proto == bench::Proto::echo) {
        asio::co_spawn(executor, serve_echo(std::move(socket), totals), asio::detached);
      } else {
        asio::co_spawn(executor, serve_http(std::move(socket), responses, totals), asio::detached);
      }
      continue;
    }
    if (ec == asio::error::operation_aborted) co_return;
    if (ec == asio::error::connection_aborted) continue;  // that peer left while queued; others wait
    // no_descriptors (EMFILE), ENFILE, ENOBUFS, ENOMEM: existing connections keep being served
    // while we wait for descriptors or memory to come back.
    backoff.expires_after(kAcceptBackoff);
    co_await backoff.async_wait(use_nothrow_awaitable);
  }
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  // Declared before the io_context so they outlive every coroutine that refers to them.
  bench::ServeMeter::Totals totals;
  const proto::HttpSession::Responses responses(options.size);  // precomputed once, shared by all sessions

  asio::io_context context(1);  // concurrency hint: run() is called from this one thread only
  if (auto exit_code = start_reactor(context)) return *exit_code;

  error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.bind, ec);
  if (ec) return bench::fail("--bind " + options.bind + ": " + ec.message());
  const tcp::endpoint endpoint(address, options.port);
  Acceptor acceptor(context.get_executor());
  if (acceptor.open(endpoint.protocol(), ec); ec) return bench::fail("socket: " + ec.message());
  if (acceptor.set_option(Acceptor::reuse_address(true), ec); ec) return bench::fail("SO_REUSEADDR: " + ec.message());
  if (acceptor.bind(endpoint, ec); ec)
    return bench::fail("bind " + options.bind + " port " + std::to_string(options.port) + ": " + ec.message());
  if (acceptor.listen(bench::kListenBacklog, ec); ec) return bench::fail("listen: " + ec.message());
  const tcp::endpoint local = acceptor.local_endpoint(ec);
  if (ec) return bench::fail("getsockname: " + ec.message());

  asio::basic_signal_set<Executor> stop_signals(context.get_executor(), SIGTERM, SIGINT);
  stop_signals.async_wait([&context](const error_code&, int) { context.stop(); });
  asio::co_spawn(context, accept_connections(std::move(acceptor), options.proto, responses, totals), rethrow_failure);

  bench::ServeMeter meter;
  meter.ready(local.port());
  try {
    context.run();
  } catch (const std::exception& e) {
    return bench::fail(std::string("serve: ") + e.what());
  }
  meter.report(totals);
  return bench::kExitOk;
}

}  // namespace asio_backend
