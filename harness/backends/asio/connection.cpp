#include "connection.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/write.hpp>

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace asio_backend {
namespace {

// Read buffer per connection, reused for the connection's whole life. The HTTP one grows (doubling)
// only while a single request is larger; the parser's limits (431, 413) bound that growth.
constexpr std::size_t kReadBufferBytes = 16 * 1024;
// How long a closing connection keeps draining what the client still sends.
constexpr std::chrono::seconds kLingerTimeout{2};

// Errors that are the peer's doing end the connection and count once; a peer that closes between
// requests (eof) is a normal end.
bool is_error(const error_code& ec) { return ec != asio::error::eof; }

Task<> drain_until_eof(Socket& socket, std::vector<char>& scratch) {
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(scratch), use_nothrow_awaitable);
    if (ec) co_return;
  }
}

// Closing right after the last response, with unread bytes still in the receive queue, makes the
// kernel send RST, and an RST can discard the response before the client has read it. So, like
// nginx's lingering close: stop sending (FIN after the response), then read and drop whatever the
// client still sends until it closes, for at most kLingerTimeout. Runs only on the closing path.
Task<> close_after_last_response(Socket& socket, std::vector<char>& scratch) {
  using namespace asio::experimental::awaitable_operators;
  error_code ignored;
  socket.shutdown(Socket::shutdown_send, ignored);
  Timer deadline(socket.get_executor(), kLingerTimeout);
  co_await (drain_until_eof(socket, scratch) || deadline.async_wait(use_nothrow_awaitable));
}

}  // namespace

Task<> serve_echo(Socket socket, bench::ServeMeter::Totals& totals) {
  std::vector<char> buffer(kReadBufferBytes);
  for (;;) {
    auto [read_error, n] = co_await socket.async_read_some(asio::buffer(buffer), use_nothrow_awaitable);
    if (read_error) {
      if (is_error(read_error)) ++totals.errors;
      co_return;
    }
    totals.bytes_in += n;
    auto [write_error, written] =
        co_await asio::async_write(socket, asio::buffer(buffer.data(), n), use_nothrow_awaitable);
    if (write_error) {
      ++totals.errors;
      co_return;
    }
    totals.bytes_out += written;
    ++totals.requests;
  }
}

Task<> serve_http(Socket socket, const proto::HttpSession::Responses& responses, bench::ServeMeter::Totals& totals) {
  proto::HttpSession session(responses);
  std::vector<char> in(kReadBufferBytes);
  std::size_t filled = 0;  // bytes of `in` not yet consumed by the parser
  std::string out;         // responses to the current read; keeps its capacity across reads
  for (;;) {
    if (filled == in.size()) in.resize(2 * in.size());  // one request larger than the buffer
    auto [read_error, n] =
        co_await socket.async_read_some(asio::buffer(in.data() + filled, in.size() - filled), use_nothrow_awaitable);
    if (read_error) {
      if (is_error(read_error)) ++totals.errors;
      co_return;
    }
    totals.bytes_in += n;
    filled += n;

    out.clear();
    const proto::HttpSession::Step step = session.on_data(std::string_view(in.data(), filled), out);
    if (step.consumed > 0) {  // keep a partial request at the front for the next read
      std::memmove(in.data(), in.data() + step.consumed, filled - step.consumed);
      filled -= step.consumed;
    }
    if (!out.empty()) {
      auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(out), use_nothrow_awaitable);
      if (write_error) {
        ++totals.errors;
        co_return;
      }
      totals.bytes_out += written;
      totals.requests += step.responses;
    }
    if (step.close) {
      if (step.error) ++totals.errors;
      co_await close_after_last_response(socket, in);
      co_return;
    }
  }
}

}  // namespace asio_backend
