// Shared by the networking tests: a ringcore echo server, blocking clients with hang guards, and
// RLIMIT_NOFILE handling.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "test_support.hpp"

namespace ringcore::testing {

struct EchoStats {
  std::size_t connections = 0;
  std::size_t finished = 0;
  std::size_t errors = 0;  // connections that ended with an error (reset, EPIPE)
  std::size_t accept_errors = 0;  // EMFILE, ENFILE... on accept (the server backs off and goes on)
  std::error_code last_error;
};

// Echoes everything it reads until the peer closes its side, then closes.
inline task<void> echo_connection(TcpStream s, EchoStats& stats) {
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto n = co_await s.read(buf.data(), buf.size());
    if (!n) {
      ++stats.errors;
      stats.last_error = n.error();
      break;
    }
    if (*n == 0) break;
    auto w = co_await s.write_all(buf.data(), *n);
    if (!w) {
      ++stats.errors;
      stats.last_error = w.error();
      break;
    }
  }
  ++stats.finished;
}

// Accepts with one multishot request and serves each connection in its own task, forever (until
// the runtime ends). EMFILE and friends: back off 10 ms, then accept again.
inline task<void> echo_server(TcpListener& listener, EchoStats& stats) {
  Acceptor incoming = listener.incoming();
  for (;;) {
    auto fd = co_await incoming.next();
    if (!fd) {
      ++stats.accept_errors;
      co_await sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ++stats.connections;
    spawn(echo_connection(TcpStream(*fd), stats));
  }
}

inline void raise_nofile(rlim_t want) {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = std::min(std::max(rl.rlim_cur, want), rl.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &rl);
}

inline rlim_t nofile_limit() {
  rlimit rl{};
  ::getrlimit(RLIMIT_NOFILE, &rl);
  return rl.rlim_cur;
}

// A blocking client socket with 10 s send/receive timeouts (a hang becomes a failure, not a stuck test).
inline int blocking_connect(const SocketAddress& a) {
  int fd = ::socket(a.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (::connect(fd, a.get(), a.size()) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, const std::string& s) {
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::send(fd, s.data() + done, s.size() - done, MSG_NOSIGNAL);
    if (n <= 0) return false;
    done += std::size_t(n);
  }
  return true;
}

inline std::string recv_exact(int fd, std::size_t len) {
  std::string out(len, '\0');
  std::size_t done = 0;
  while (done < len) {
    ssize_t n = ::recv(fd, out.data() + done, len - done, 0);
    if (n <= 0) break;
    done += std::size_t(n);
  }
  out.resize(done);
  return out;
}

}  // namespace ringcore::testing
