// What a misbehaving client does to a connection, beyond what conformance::TcpClient offers:
// reset it instead of closing, half-close it, shrink its receive window, write without reading.
#pragma once

#include <arpa/inet.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <cerrno>
#include <cstdint>
#include <chrono>
#include <string_view>

#include "tcp_client.hpp"

namespace faults {

// Ends the connection with a TCP reset instead of a FIN: SO_LINGER {on, 0 s} makes close() abort it.
inline void reset_connection(conformance::TcpClient& client) {
  linger abort_on_close{1, 0};
  ::setsockopt(client.fd(), SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  client.close();
}

// Caps the client's receive buffer (which also stops the kernel's auto-tuning, up to 32 MiB here),
// so that a server writing to a client that does not read fills the window, then its own send
// buffer, and then has to wait (EAGAIN) within a few MiB.
inline void shrink_receive_buffer(conformance::TcpClient& client, int bytes = 64 * 1024) {
  ::setsockopt(client.fd(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

// Writes `data` without ever reading, until all of it is sent or the connection has taken nothing
// for `stall` (the server stopped reading because its replies have nowhere to go). Returns the bytes
// sent; -1 on an error other than a full buffer.
inline long long send_without_reading(conformance::TcpClient& client, std::string_view data,
                                      std::chrono::milliseconds stall) {
  long long sent = 0;
  while (!data.empty()) {
    ssize_t n = ::send(client.fd(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n > 0) {
      sent += n;
      data.remove_prefix(std::size_t(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN) return -1;
    pollfd writable{client.fd(), POLLOUT, 0};
    if (::poll(&writable, 1, int(stall.count())) == 0) break;  // nothing taken for `stall`: blocked
  }
  return sent;
}

// Bytes arrived and not yet read (FIONREAD): how much a server has sent to a client that never reads.
inline int bytes_waiting(const conformance::TcpClient& client) {
  int n = -1;
  ::ioctl(client.fd(), FIONREAD, &n);
  return n;
}

// The client's own port, as the server sees it.
inline std::uint16_t local_port(const conformance::TcpClient& client) {
  sockaddr_in address{};
  socklen_t length = sizeof address;
  if (::getsockname(client.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  return ntohs(address.sin_port);
}

// The peer has neither sent anything nor closed: no byte to read, no FIN, no reset pending.
inline bool quiet_and_open(const conformance::TcpClient& client) {
  pollfd p{client.fd(), POLLIN | POLLRDHUP, 0};
  return ::poll(&p, 1, 0) == 0;
}

}  // namespace faults
