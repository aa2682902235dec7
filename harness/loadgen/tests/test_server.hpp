// A small blocking server for the load generator's own tests: a thread per connection running a
// handler on the accepted socket, so a test can be a correct server or a faulty one in a few lines.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "protocol/http.hpp"

namespace loadgen::testing {

class TestServer {
 public:
  // handler(fd, connection_index): serve one connection; the socket is closed after it returns.
  explicit TestServer(std::function<void(int, int)> handler) : handler_(std::move(handler)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listen_fd_, 4096);
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~TestServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    acceptor_.join();
    ::close(listen_fd_);
    std::lock_guard lock(mutex_);
    for (std::thread& t : workers_) t.join();
  }

  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      int index = accepted_++;
      std::lock_guard lock(mutex_);
      workers_.emplace_back([this, fd, index] {
        handler_(fd, index);
        ::close(fd);
      });
    }
  }

  std::function<void(int, int)> handler_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<std::thread> workers_;
};

// Writes all of data; false when the peer went away.
inline bool write_all(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    len -= std::size_t(n);
  }
  return true;
}

// Answers requests with proto::HttpSession, as every backend does (the body: body_size bytes).
inline void serve_http(int fd, std::size_t body_size = 13) {
  proto::HttpSession::Responses responses(body_size);
  proto::HttpSession session(responses);
  std::string in, out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, std::size_t(n));
    auto step = session.on_data(in, out);
    in.erase(0, step.consumed);
    if (!write_all(fd, out.data(), out.size())) return;
    out.clear();
    if (step.close) return;
  }
}

}  // namespace loadgen::testing
