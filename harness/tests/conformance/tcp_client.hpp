// A plain blocking TCP client for the conformance tests: every call bounded by socket timeouts,
// so a server that stops answering fails the test instead of hanging it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace conformance {

class TcpClient {
 public:
  TcpClient() = default;
  ~TcpClient() { close(); }
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  // Connects to 127.0.0.1:port; reads and writes then time out after `timeout_ms` each.
  bool connect(std::uint16_t port, int timeout_ms, std::string& error) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return fail("socket", error);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return fail("connect", error);
    return true;
  }

  bool send_all(std::string_view data, std::string& error) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail("send", error);
      data.remove_prefix(std::size_t(n));
    }
    return true;
  }

  // Appends exactly n bytes to `out`; false (with what arrived kept in `out`) on timeout or close.
  bool read_exact(std::size_t n, std::string& out, std::string& error) {
    std::size_t want = out.size() + n;
    while (out.size() < want) {
      char buf[65536];
      ssize_t got = ::recv(fd_, buf, std::min(sizeof buf, want - out.size()), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got == 0) {
        error = "server closed the connection after " + std::to_string(out.size()) + " of " + std::to_string(want) +
                " bytes";
        return false;
      }
      if (got < 0) return fail("recv", error);
      out.append(buf, std::size_t(got));
    }
    return true;
  }

  // Appends everything up to the server's close; false on a timeout (the server kept it open).
  bool read_until_close(std::string& out, std::string& error) {
    for (;;) {
      char buf[65536];
      ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got == 0) return true;
      if (got < 0) return fail("recv (waiting for the server to close)", error);
      out.append(buf, std::size_t(got));
    }
  }

  // Some bytes, as they come (at least one); false on close, timeout or error.
  bool read_some(std::string& out, std::string& error) {
    char buf[65536];
    for (;;) {
      ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
      if (got < 0 && errno == EINTR) continue;
      if (got == 0) {
        error = "server closed the connection";
        return false;
      }
      if (got < 0) return fail("recv", error);
      out.append(buf, std::size_t(got));
      return true;
    }
  }

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int fd() const { return fd_; }

 private:
  bool fail(const char* what, std::string& error) {
    int e = errno;
    error = std::string(what) + ": " + std::strerror(e);
    if (e == EAGAIN) error += " (timed out)";
    return false;
  }
  int fd_ = -1;
};

}  // namespace conformance
