// StatxOp — io_uring_prep_statx: file metadata (size, mode, ...) into a caller's struct statx,
// which must stay alive until the op completes.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class StatxOp : public detail::Op<StatxOp> {
 public:
  StatxOp(int dirfd, const char* path, int flags, unsigned mask, struct statx* out)
      : dirfd_(dirfd), path_(path), flags_(flags), mask_(mask), out_(out) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_statx(sqe, dirfd_, path_, flags_, mask_, out_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  int dirfd_;
  const char* path_;
  int flags_;
  unsigned mask_;
  struct statx* out_;
};

inline StatxOp statx(int dirfd, const char* path, int flags, unsigned mask, struct statx* out) {
  return {dirfd, path, flags, mask, out};
}
// Metadata of an open file descriptor.
inline StatxOp fstatx(int fd, struct statx* out, unsigned mask = STATX_BASIC_STATS) {
  return {fd, "", AT_EMPTY_PATH, mask, out};
}

}  // namespace ringcore
