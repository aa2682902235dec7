// TCP: TcpListener (bind, accept one, or a multishot stream of connections) and TcpStream (connect,
// read/write with short transfers visible, read_exact/write_all, shutdown, RAII close).
// Errors a server meets in real life (ECONNRESET, EPIPE, ECONNREFUSED, EMFILE) are results.
//
// A TcpStream holds either a plain descriptor or, after accept_direct(), an index into the ring's
// registered file table (then every request on it carries IOSQE_FIXED_FILE).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string_view>

#include "ringcore/address.hpp"
#include "ringcore/ops/accept.hpp"
#include "ringcore/ops/close.hpp"
#include "ringcore/ops/multishot_accept.hpp"
#include "ringcore/ops/recv.hpp"
#include "ringcore/ops/send.hpp"
#include "ringcore/ops/send_all.hpp"
#include "ringcore/ops/shutdown.hpp"
#include "ringcore/result.hpp"
#include "ringcore/task.hpp"

namespace ringcore {

// 1,000 simultaneous connects must not overflow the accept queue and wait for a SYN retry (1 s):
// ask for a deep queue (the kernel caps it at net.core.somaxconn).
inline constexpr int kDefaultBacklog = 4096;

class TcpStream {
 public:
  TcpStream() = default;
  explicit TcpStream(int fd, bool fixed = false) : fd_(fd), fixed_(fixed) {}
  TcpStream(TcpStream&& o) noexcept;
  TcpStream& operator=(TcpStream&& o) noexcept;
  TcpStream(const TcpStream&) = delete;
  TcpStream& operator=(const TcpStream&) = delete;
  ~TcpStream();

  // Socket and connect both go through the ring. ECONNREFUSED etc. come back as the error.
  static task<Result<TcpStream>> connect(SocketAddress address);

  // Up to len bytes; 0 when the peer has closed its side.
  RecvOp read(void* buf, std::size_t len) { return RecvOp(fd_, buf, clamp_io_len(len), 0, fixed_, poll_first_); }
  // Up to len bytes (short writes visible); EPIPE/ECONNRESET as errors, never SIGPIPE.
  SendOp write(const void* buf, std::size_t len) { return SendOp(fd_, buf, clamp_io_len(len), 0, fixed_); }
  // Exactly len bytes, or an error; a peer that closes first gives std::errc::connection_aborted.
  task<Result<void>> read_exact(void* buf, std::size_t len);
  // Every byte (short sends continue inside the op: no allocation, one resume).
  SendAllOp write_all(const void* buf, std::size_t len) { return SendAllOp(fd_, buf, len, fixed_); }
  ShutdownOp shutdown(int how = SHUT_WR) { return ShutdownOp(fd_, how, fixed_); }
  task<Result<void>> close();

  // TCP_NODELAY: send small responses at once instead of waiting to coalesce (plain sockets only).
  Result<void> set_nodelay(bool on = true);
  // Reads wait for data before trying (IORING_RECVSEND_POLL_FIRST): saves a futile attempt per read
  // when the peer is known to speak only after our answer (request/response servers).
  void set_poll_first(bool on = true) { poll_first_ = on; }

  int fd() const { return fd_; }
  bool fixed() const { return fixed_; }
  bool is_open() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
  bool fixed_ = false;
  bool poll_first_ = false;
};

// co_await listener.accept() → Result<TcpStream>
class AcceptStreamOp : public detail::Op<AcceptStreamOp> {
 public:
  AcceptStreamOp(int listen_fd, bool direct) : fd_(listen_fd), direct_(direct) {}
  void prep(io_uring_sqe* sqe) {
    if (direct_) io_uring_prep_accept_direct(sqe, fd_, nullptr, nullptr, 0, kAllocFileIndex);
    else io_uring_prep_accept(sqe, fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }
  Result<TcpStream> result() const {
    if (res < 0) return errno_code(-res);
    return TcpStream(res, direct_);
  }

 private:
  int fd_;
  bool direct_;
};

class TcpListener {
 public:
  TcpListener() = default;
  TcpListener(TcpListener&& o) noexcept;
  TcpListener& operator=(TcpListener&& o) noexcept;
  TcpListener(const TcpListener&) = delete;
  TcpListener& operator=(const TcpListener&) = delete;
  ~TcpListener();

  // socket + SO_REUSEADDR + bind + listen (plain syscalls: done once). Port 0: the kernel picks;
  // port() tells which. IPv6 addresses listen on IPv6 only.
  static Result<TcpListener> bind(const SocketAddress& address, int backlog = kDefaultBacklog);
  static Result<TcpListener> bind(std::string_view ip = "127.0.0.1", std::uint16_t port = 0,
                                  int backlog = kDefaultBacklog);

  // One connection (IORING_OP_ACCEPT).
  AcceptStreamOp accept() { return AcceptStreamOp(fd_, false); }
  // One connection straight into the registered file table (Ring::register_files() first).
  AcceptStreamOp accept_direct() { return AcceptStreamOp(fd_, true); }
  // A stream of connections from one multishot accept request.
  Acceptor incoming() { return Acceptor(fd_); }

  int fd() const { return fd_; }
  std::uint16_t port() const { return address_.port(); }
  const SocketAddress& local_address() const { return address_; }

 private:
  int fd_ = -1;
  SocketAddress address_;
};

}  // namespace ringcore
