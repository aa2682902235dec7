// Which Asio reactor this build uses, and starting it where a failure can still be told apart.
//
// The same sources build twice: `asio` (Asio's default epoll reactor) and `asio_uring` (compiled with
// BOOST_ASIO_HAS_IO_URING and BOOST_ASIO_DISABLE_EPOLL, so io_uring does sockets, timers and files).
// The two configurations change the layout of Asio's types, so they never share a binary.
#pragma once

#include <optional>
#include <string_view>

#include "asio_types.hpp"

#if defined(BOOST_ASIO_HAS_IO_URING) && !defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
#error "asio_uring must also define BOOST_ASIO_DISABLE_EPOLL, or epoll would still serve the sockets"
#endif

namespace asio_backend {

#if defined(BOOST_ASIO_HAS_IO_URING_AS_DEFAULT)
inline constexpr bool kReactorIsIoUring = true;
inline constexpr std::string_view kBackendName = "asio_uring";
#else
inline constexpr bool kReactorIsIoUring = false;
inline constexpr std::string_view kBackendName = "asio";
#endif

// Makes Asio create `context`'s reactor (epoll instance or io_uring ring) now. Returns the exit code to
// leave with if it cannot: 77 (skip) when the kernel refuses io_uring, 1 for anything else.
std::optional<int> start_reactor(asio::io_context& context);

}  // namespace asio_backend
