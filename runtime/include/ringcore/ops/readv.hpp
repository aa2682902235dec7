// ReadvOp — io_uring_prep_readv: scatter read into `count` iovecs at `offset`. The iovec array
// must stay alive until the op completes (it does when the caller awaits it).
#pragma once

#include <sys/uio.h>

#include <cstdint>

#include "ringcore/detail/op.hpp"
#include "ringcore/ops/read.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class ReadvOp : public detail::Op<ReadvOp> {
 public:
  ReadvOp(int fd, const iovec* iov, unsigned count, std::uint64_t offset)
      : fd_(fd), iov_(iov), count_(count), offset_(offset) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_readv(sqe, fd_, iov_, count_, offset_); }
  Result<std::size_t> result() const { return bytes_or_error(res); }

 private:
  int fd_;
  const iovec* iov_;
  unsigned count_;
  std::uint64_t offset_;
};

inline ReadvOp readv(int fd, const iovec* iov, unsigned count, std::uint64_t offset = kCurrentPosition) {
  return {fd, iov, count, offset};
}

}  // namespace ringcore
