#include "nginx_status.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

namespace nginx_backend {

std::optional<NginxCounts> parse_status(const std::string& page) {
  const char* header = "server accepts handled requests";
  std::size_t at = page.find(header);
  if (at == std::string::npos) return std::nullopt;
  std::istringstream numbers(page.substr(at + std::strlen(header)));
  NginxCounts counts;
  std::uint64_t handled = 0;
  if (!(numbers >> counts.accepted >> handled >> counts.requests)) return std::nullopt;
  return counts;
}

std::optional<NginxCounts> query_status(const std::string& socket_path) {
  sockaddr_un address{};
  if (socket_path.size() >= sizeof address.sun_path) return std::nullopt;
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string page;
  const char request[] = "GET / HTTP/1.0\r\nHost: status\r\n\r\n";  // HTTP/1.0: nginx closes after the page
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == ssize_t(sizeof request - 1)) {
    char buf[1024];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) page.append(buf, std::size_t(n));
  }
  ::close(fd);
  return parse_status(page);
}

}  // namespace nginx_backend
