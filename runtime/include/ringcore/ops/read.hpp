// ReadOp — io_uring_prep_read: read up to `len` bytes at `offset` (kCurrentPosition: the file's
// position, which then advances). Returns the bytes read; fewer than asked (a short read) is normal
// at end of file, on pipes and sockets, and is the caller's to handle.
#pragma once

#include <cstdint>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

// Offset -1 asks io_uring for the file position (like read(2)); 0 would mean "byte 0" for a file.
inline constexpr std::uint64_t kCurrentPosition = std::uint64_t(-1);

class ReadOp : public detail::Op<ReadOp> {
 public:
  ReadOp(int fd, void* buf, unsigned len, std::uint64_t offset) : fd_(fd), buf_(buf), len_(len), offset_(offset) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_read(sqe, fd_, buf_, len_, offset_); }
  Result<std::size_t> result() const { return bytes_or_error(res); }

 private:
  int fd_;
  void* buf_;
  unsigned len_;
  std::uint64_t offset_;
};

inline ReadOp read(int fd, void* buf, unsigned len, std::uint64_t offset = kCurrentPosition) {
  return {fd, buf, len, offset};
}

}  // namespace ringcore
