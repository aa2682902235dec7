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

// CloseDirectOp — io_uring_prep_close_direct: remove a connection from the registered file table.
class CloseDirectOp : public detail::Op<CloseDirectOp> {
 public:
  explicit CloseDirectOp(unsigned index) : index_(index) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_close_direct(sqe, index_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  unsigned index_;
};

inline CloseOp close(int fd) { return CloseOp(fd); }
inline CloseDirectOp close_direct(unsigned index) { return CloseDirectOp(index); }

}  // namespace ringcore
