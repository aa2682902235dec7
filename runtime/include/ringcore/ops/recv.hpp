// RecvOp — io_uring_prep_recv: receive up to `len` bytes from a socket. 0 means the peer closed its
// side; fewer bytes than asked is normal. IOSQE_FIXED_FILE when `fd` is a registered-file index.
#pragma once

#include <sys/socket.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class RecvOp : public detail::Op<RecvOp> {
 public:
  RecvOp(int fd, void* buf, unsigned len, int flags, bool fixed_file, bool poll_first = false)
      : fd_(fd), buf_(buf), len_(len), flags_(flags), poll_first_(poll_first) {
    if (fixed_file) sqe_flags_ |= IOSQE_FIXED_FILE;
  }
  void prep(io_uring_sqe* sqe) {
    io_uring_prep_recv(sqe, fd_, buf_, len_, flags_);
    // Skip the first (usually futile) attempt and wait for data right away: right for a server
    // whose client speaks only after hearing the last answer.
    if (poll_first_) sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;
  }
  Result<std::size_t> result() const { return bytes_or_error(res); }

 private:
  int fd_;
  void* buf_;
  unsigned len_;
  int flags_;
  bool poll_first_;
};

inline RecvOp recv(int fd, void* buf, unsigned len, int flags = 0) { return {fd, buf, len, flags, false}; }

}  // namespace ringcore
