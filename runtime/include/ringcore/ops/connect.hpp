// ConnectOp — io_uring_prep_connect: connect a socket to an address (kept inside the op, so the
// caller's copy may go away).
#pragma once

#include <sys/socket.h>

#include <cstring>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class ConnectOp : public detail::Op<ConnectOp> {
 public:
  ConnectOp(int fd, const sockaddr* addr, socklen_t len) : fd_(fd), len_(len) {
    std::memcpy(&addr_, addr, len < sizeof addr_ ? len : sizeof addr_);
  }
  void prep(io_uring_sqe* sqe) { io_uring_prep_connect(sqe, fd_, reinterpret_cast<const sockaddr*>(&addr_), len_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  int fd_;
  sockaddr_storage addr_{};
  socklen_t len_;
};

inline ConnectOp connect(int fd, const sockaddr* addr, socklen_t len) { return {fd, addr, len}; }

}  // namespace ringcore
