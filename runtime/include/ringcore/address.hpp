// SocketAddress: an IPv4 or IPv6 address and port, in the sockaddr form the kernel takes.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "ringcore/result.hpp"

namespace ringcore {

class SocketAddress {
 public:
  SocketAddress() = default;
  // "127.0.0.1", "::1", "0.0.0.0", "::"; EINVAL for anything else.
  static Result<SocketAddress> parse(std::string_view ip, std::uint16_t port);
  static SocketAddress loopback_v4(std::uint16_t port);
  static SocketAddress loopback_v6(std::uint16_t port);
  static SocketAddress from_sockaddr(const sockaddr* sa, socklen_t len);

  int family() const { return storage_.ss_family; }
  std::uint16_t port() const;
  // "127.0.0.1:8080" or "[::1]:8080".
  std::string to_string() const;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t size() const { return len_; }

 private:
  sockaddr_storage storage_{};
  socklen_t len_ = 0;
};

}  // namespace ringcore
