// AcceptOp — io_uring_prep_accept: take one connection from a listening socket. Returns the new
// descriptor. DirectAcceptOp — io_uring_prep_accept_direct with IORING_FILE_INDEX_ALLOC: the new
// connection goes straight into the ring's registered file table; returns its index (use it with
// IOSQE_FIXED_FILE: the kernel skips the per-request file lookup and reference counting).
#pragma once

#include <sys/socket.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

// "Pick a free slot". liburing 2.3 stores file_index + 1 in the SQE, so IORING_FILE_INDEX_ALLOC
// itself would wrap to 0 ("no fixed file") and accept would return a plain descriptor; its own
// io_uring_prep_multishot_accept_direct passes IORING_FILE_INDEX_ALLOC - 1 for the same reason.
inline constexpr unsigned kAllocFileIndex = IORING_FILE_INDEX_ALLOC - 1;

class AcceptOp : public detail::Op<AcceptOp> {
 public:
  explicit AcceptOp(int listen_fd) : fd_(listen_fd) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_accept(sqe, fd_, nullptr, nullptr, SOCK_CLOEXEC); }
  Result<int> result() const {
    if (res < 0) return errno_code(-res);
    return int(res);
  }

 private:
  int fd_;
};

class DirectAcceptOp : public detail::Op<DirectAcceptOp> {
 public:
  explicit DirectAcceptOp(int listen_fd) : fd_(listen_fd) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_accept_direct(sqe, fd_, nullptr, nullptr, 0, kAllocFileIndex); }
  Result<int> result() const {
    if (res < 0) return errno_code(-res);
    return int(res);
  }

 private:
  int fd_;
};

inline AcceptOp accept(int listen_fd) { return AcceptOp(listen_fd); }
inline DirectAcceptOp accept_direct(int listen_fd) { return DirectAcceptOp(listen_fd); }

}  // namespace ringcore
