// The Asio vocabulary every file of this backend uses, bound to one concrete executor.
//
// Style: C++20 coroutines (awaitable, co_spawn) with as_tuple, so that an I/O error is a value the
// loop inspects, never an exception thrown through the hot path. Coroutines rather than completion
// handlers: Asio recycles coroutine frames and per-operation state through its thread-local allocator
// (a serve run makes no heap allocation per request: the malloc count stays flat under wrk), and a
// completion-handler version of the same HTTP server measured the same CPU per request within this
// shared machine's noise of about 8% (wrk -c50, both reactors; of ~7 us per request, ~0.6 us is user
// time, the rest is the kernel's).
//
// Everything is bound to io_context::executor_type instead of the default any_io_executor: the
// type-erased executor would add an indirect call to every completion and work-count update.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>

namespace asio_backend {

namespace asio = boost::asio;
using error_code = boost::system::error_code;

using Executor = asio::io_context::executor_type;
template <typename T = void>
using Task = asio::awaitable<T, Executor>;

using Socket = asio::basic_stream_socket<asio::ip::tcp, Executor>;
using Acceptor = asio::basic_socket_acceptor<asio::ip::tcp, Executor>;
using Timer =
    asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>, Executor>;

// `co_await op(..., use_nothrow_awaitable)` yields (error_code, results...) instead of throwing.
inline constexpr auto use_nothrow_awaitable = asio::as_tuple(asio::use_awaitable_t<Executor>{});

// Completion for a co_spawned coroutine whose failure must stop the program: rethrows out of
// io_context::run(), where the command turns it into exit code 1.
inline constexpr auto rethrow_failure = [](std::exception_ptr failure) {
  if (failure) std::rethrow_exception(failure);
};

}  // namespace asio_backend
