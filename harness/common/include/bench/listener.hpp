// The listening socket every server of the suite opens the same way: SO_REUSEADDR, bench::kListenBacklog.
#pragma once

#include <cstdint>
#include <string>

namespace bench {

struct Listener {
  int fd = -1;
  std::uint16_t port = 0;  // the bound port (the kernel's pick when asked for 0)
};

// Binds `address` (IPv4 or IPv6 literal) and listens. False with a one-line reason in `error`.
// `nonblocking` for reactors (epoll, and any loop that accepts until EAGAIN).
bool open_listener(const std::string& address, std::uint16_t port, Listener& out, std::string& error,
                   bool nonblocking = false);

}  // namespace bench
