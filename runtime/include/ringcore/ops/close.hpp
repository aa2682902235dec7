// CloseOp — io_uring_prep_close: close a file descriptor through the ring.
#pragma once

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class CloseOp : public detail::Op<CloseOp> {
 public:
  explicit CloseOp(int fd) : fd_(fd) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_close(sqe, fd_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  int fd_;
};

inline CloseOp close(int fd) { return CloseOp(fd); }

}  // namespace ringcore
