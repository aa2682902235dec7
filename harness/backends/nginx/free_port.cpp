#include "free_port.hpp"

#include <arpa/inet.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

namespace nginx_backend {

bool make_address(const std::string& host, std::uint16_t port, sockaddr_storage& out, socklen_t& len) {
  out = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
  if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

std::uint16_t pick_free_port(const sockaddr_storage& address, socklen_t len) {
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_storage bound = address;
  reinterpret_cast<sockaddr_in*>(&bound)->sin_port = 0;  // same offset in sockaddr_in6
  std::uint16_t port = 0;
  socklen_t bound_len = len;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&bound), len) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &bound_len) == 0)
    port = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  ::close(fd);
  return port;
}

bool answers_http(const sockaddr_storage& address, socklen_t len) {
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval limit{.tv_sec = 1, .tv_usec = 0};  // a stuck nginx fails this probe, and the wait goes on
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
  static constexpr char kRequest[] = "GET / HTTP/1.1\r\nHost: ringcore-ready\r\nConnection: close\r\n\r\n";
  bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), len) == 0 &&
            ::send(fd, kRequest, sizeof kRequest - 1, MSG_NOSIGNAL) == ssize_t(sizeof kRequest - 1);
  char head[16] = {};
  std::size_t got = 0;
  while (ok && got < 9) {  // "HTTP/1.1 " and the status that follows: nginx's event loop answered
    ssize_t n = ::recv(fd, head + got, sizeof head - 1 - got, 0);
    if (n <= 0) ok = false;
    else got += std::size_t(n);
  }
  ::close(fd);
  return ok && std::strncmp(head, "HTTP/1.", 7) == 0;
}

std::string listen_address(const std::string& host, std::uint16_t port) {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace nginx_backend
