// ShutdownOp — io_uring_prep_shutdown: close one direction of a connection (SHUT_WR: "I am done
// sending", the peer reads end of stream while it can still send to us).
#pragma once

#include <sys/socket.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class ShutdownOp : public detail::Op<ShutdownOp> {
 public:
  ShutdownOp(int fd, int how, bool fixed_file) : fd_(fd), how_(how) {
    if (fixed_file) sqe_flags_ |= IOSQE_FIXED_FILE;
  }
  void prep(io_uring_sqe* sqe) { io_uring_prep_shutdown(sqe, fd_, how_); }
  Result<void> result() const { return void_or_error(res); }

 private:
  int fd_;
  int how_;
};

inline ShutdownOp shutdown(int fd, int how = SHUT_WR) { return {fd, how, false}; }

}  // namespace ringcore
