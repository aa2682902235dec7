#include "runner/server_target.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstring>

namespace runner {

std::string host_of(const std::string& destination) {
  std::string host = destination.substr(destination.rfind('@') == std::string::npos ? 0 : destination.rfind('@') + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

bool is_ip_literal(const std::string& address) {
  in6_addr a6{};
  in_addr a4{};
  return ::inet_pton(AF_INET, address.c_str(), &a4) == 1 || ::inet_pton(AF_INET6, address.c_str(), &a6) == 1;
}

std::optional<std::string> resolve_address(const std::string& host) {
  if (is_ip_literal(host)) return host;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found) return std::nullopt;
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = found->ai_family == AF_INET6
                        ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(found->ai_addr)->sin6_addr)
                        : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr);
  const char* ok = ::inet_ntop(found->ai_family, raw, text, sizeof text);
  ::freeaddrinfo(found);
  if (!ok) return std::nullopt;
  return std::string(text);
}

bool is_loopback(const std::string& address) {
  in_addr a4{};
  if (::inet_pton(AF_INET, address.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  in6_addr a6{};
  if (::inet_pton(AF_INET6, address.c_str(), &a6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&a6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127;
}

}  // namespace runner
