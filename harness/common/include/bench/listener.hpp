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

// accept(2) errors a server retries at once: the new connection's own network errors, EINTR.
bool accept_error_is_transient(int error);
// Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): keep serving, back off, retry.
bool accept_error_is_exhaustion(int error);

}  // namespace bench
