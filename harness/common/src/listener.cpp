#include "bench/listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bench/backend.hpp"

namespace bench {

bool open_listener(const std::string& address, std::uint16_t port, Listener& out, std::string& error,
                   bool nonblocking) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (::inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (::inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    error = "--bind " + address + ": not an IPv4 or IPv6 address";
    return false;
  }
  const std::string where = address + ":" + std::to_string(port);

  int fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int on = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
      ::bind(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0 ||
      ::listen(fd, bench::kListenBacklog) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) {
    error = "listen on " + where + ": " + std::strerror(errno);
    ::close(fd);
    return false;
  }
  out.fd = fd;
  out.port = ntohs(storage.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
  return true;
}

bool accept_error_is_transient(int error) {
  switch (error) {
    case EINTR:
    case ECONNABORTED:
    // accept(2): pending network errors of the new socket are reported by accept; retry.
    case EPROTO: case ENETDOWN: case ENOPROTOOPT: case EHOSTDOWN: case ENONET:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
      return true;
    default:
      return false;
  }
}

bool accept_error_is_exhaustion(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS || error == ENOMEM;
}

}  // namespace bench
