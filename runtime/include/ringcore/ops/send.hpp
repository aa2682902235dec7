// SendOp — io_uring_prep_send: send up to `len` bytes on a socket, always with MSG_NOSIGNAL: a peer
// that went away gives EPIPE as a result instead of a SIGPIPE that kills the process.
#pragma once

#include <sys/socket.h>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class SendOp : public detail::Op<SendOp> {
 public:
  SendOp(int fd, const void* buf, unsigned len, int flags, bool fixed_file)
      : fd_(fd), buf_(buf), len_(len), flags_(flags | MSG_NOSIGNAL) {
    if (fixed_file) sqe_flags_ |= IOSQE_FIXED_FILE;
  }
  void prep(io_uring_sqe* sqe) { io_uring_prep_send(sqe, fd_, buf_, len_, flags_); }
  Result<std::size_t> result() const { return bytes_or_error(res); }

 private:
  int fd_;
  const void* buf_;
  unsigned len_;
  int flags_;
};

inline SendOp send(int fd, const void* buf, unsigned len, int flags = 0) { return {fd, buf, len, flags, false}; }

}  // namespace ringcore
