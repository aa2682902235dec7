// One client connection's state on the reactor. Owned by the reactor's fd-indexed table and reused
// (buffers included) by the next connection that gets the same descriptor number.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "bench/input_buffer.hpp"
#include "protocol/http.hpp"

namespace epoll_pool {

// Bytes asked for per read(): one large message per syscall.
inline constexpr std::size_t kReadBytes = 64 * 1024;

struct Connection {
  explicit Connection(const proto::HttpSession::Responses* responses) : in(kReadBytes) {
    if (responses) http.emplace(*responses);
  }

  int fd = -1;                   // -1: this slot is free
  bench::InputBuffer in;                // http: a partial request waits here for its next bytes
  std::string out;               // bytes the socket did not take yet (or, for http, the replies to send)
  std::size_t out_sent = 0;      // of `out`
  std::uint64_t unsent_replies = 0;  // counted as requests once their last byte is written
  bool waiting_writable = false;     // registered for EPOLLOUT (output backed up) instead of EPOLLIN
  bool close_after_flush = false;    // http: Connection: close, HTTP/1.0 or an error reply
  std::optional<proto::HttpSession> http;

  void open(int new_fd) {
    fd = new_fd;
    in.clear();
    out.clear();
    out_sent = 0;
    unsent_replies = 0;
    waiting_writable = false;
    close_after_flush = false;
  }
};

}  // namespace epoll_pool
