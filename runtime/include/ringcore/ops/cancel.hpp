// AsyncCancelOp — io_uring_prep_cancel64 / IORING_ASYNC_CANCEL_FD: ask the kernel to cancel requests
// in flight. The cancelled requests still complete with their own CQE (-ECANCELED); this op's result
// is how many were found (ENOENT: none, EALREADY: already running and not interruptible).
#pragma once

#include <cstdint>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class AsyncCancelOp : public detail::Op<AsyncCancelOp> {
 public:
  AsyncCancelOp(std::uint64_t target, int fd, int flags) : target_(target), fd_(fd), flags_(flags) {}
  void prep(io_uring_sqe* sqe) {
    if (flags_ & IORING_ASYNC_CANCEL_FD) {
      io_uring_prep_cancel_fd(sqe, fd_, unsigned(flags_));
    } else {
      io_uring_prep_cancel64(sqe, target_, flags_);
    }
  }
  Result<unsigned> result() const {
    if (res < 0) return errno_code(-res);
    // With IORING_ASYNC_CANCEL_ALL the kernel returns the count; otherwise 0 means one cancelled.
    return (flags_ & IORING_ASYNC_CANCEL_ALL) ? unsigned(res) : 1u;
  }

 private:
  std::uint64_t target_;
  int fd_;
  int flags_;
};

// Cancels the in-flight request whose state is `op` (an awaitable currently being awaited).
inline AsyncCancelOp cancel(detail::OpState& op) { return {detail::user_data_of(&op), -1, 0}; }
// Cancels every request in flight on file descriptor `fd`.
inline AsyncCancelOp cancel_fd(int fd) { return {0, fd, IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ALL}; }

}  // namespace ringcore
