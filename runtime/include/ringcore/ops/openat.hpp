// OpenAtOp — io_uring_prep_openat: open `path` relative to `dirfd` (AT_FDCWD: the working
// directory). Returns the new file descriptor. `path` must stay alive until the op completes.
#pragma once

#include <fcntl.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class OpenAtOp : public detail::Op<OpenAtOp> {
 public:
  OpenAtOp(int dirfd, const char* path, int flags, mode_t mode) : dirfd_(dirfd), path_(path), flags_(flags), mode_(mode) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_openat(sqe, dirfd_, path_, flags_ | O_CLOEXEC, mode_); }
  Result<int> result() const {
    if (res < 0) return errno_code(-res);
    return int(res);
  }

 private:
  int dirfd_;
  const char* path_;
  int flags_;
  mode_t mode_;
};

inline OpenAtOp openat(int dirfd, const char* path, int flags, mode_t mode = 0) { return {dirfd, path, flags, mode}; }

}  // namespace ringcore
