// FsyncOp — io_uring_prep_fsync: flush a file to storage (IORING_FSYNC_DATASYNC: fdatasync).
#pragma once

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class FsyncOp : public detail::Op<FsyncOp> {
 public:
  FsyncOp(int fd, unsigned flags) : fd_(fd), flags_(flags) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_fsync(sqe, fd_, flags_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  int fd_;
  unsigned flags_;
};

inline FsyncOp fsync(int fd, unsigned flags = 0) { return {fd, flags}; }

}  // namespace ringcore
