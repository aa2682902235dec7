// WriteOp — io_uring_prep_write: write up to `len` bytes at `offset` (kCurrentPosition: the file's
// position, as write(2) does — what stdout needs). Returns the bytes written; a short write is
// visible to the caller (see write_all in file.hpp and tcp.hpp).
#pragma once

#include <cstdint>

#include "ringcore/detail/op.hpp"
#include "ringcore/ops/read.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class WriteOp : public detail::Op<WriteOp> {
 public:
  WriteOp(int fd, const void* buf, unsigned len, std::uint64_t offset)
      : fd_(fd), buf_(buf), len_(len), offset_(offset) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_write(sqe, fd_, buf_, len_, offset_); }
  Result<std::size_t> result() const { return bytes_or_error(res); }

 private:
  int fd_;
  const void* buf_;
  unsigned len_;
  std::uint64_t offset_;
};

inline WriteOp write(int fd, const void* buf, unsigned len, std::uint64_t offset = kCurrentPosition) {
  return {fd, buf, len, offset};
}

}  // namespace ringcore
