// SocketOp — io_uring_prep_socket: create a socket through the ring. Returns its descriptor.
#pragma once

#include <sys/socket.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class SocketOp : public detail::Op<SocketOp> {
 public:
  SocketOp(int domain, int type, int protocol) : domain_(domain), type_(type), protocol_(protocol) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_socket(sqe, domain_, type_ | SOCK_CLOEXEC, protocol_, 0); }
  Result<int> result() const {
    if (res < 0) return errno_code(-res);
    return int(res);
  }

 private:
  int domain_, type_, protocol_;
};

inline SocketOp socket(int domain, int type, int protocol = 0) { return {domain, type, protocol}; }

}  // namespace ringcore
