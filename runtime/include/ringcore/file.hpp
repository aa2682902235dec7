// File: a file descriptor with io_uring reads and writes. Closing is RAII (a plain close(2) in the
// destructor) or explicit and asynchronous with co_await file.close().
//
// Buffers are the caller's: a buffer passed to read/write must stay alive until the op completes.
// Awaiting the op right away guarantees it: the coroutine (and its frame, and the op in it) waits
// for the CQE, even if the op is cancelled, times out, or the runtime shuts down.
#pragma once

#include <fcntl.h>
#include <sys/types.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ringcore/ops/close.hpp"
#include "ringcore/ops/fsync.hpp"
#include "ringcore/ops/read.hpp"
#include "ringcore/ops/write.hpp"
#include "ringcore/result.hpp"
#include "ringcore/task.hpp"

namespace ringcore {

class File {
 public:
  File() = default;
  explicit File(int fd, bool owned = true) : fd_(fd), owned_(owned) {}
  File(File&& o) noexcept;
  File& operator=(File&& o) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  // Opens `path` with IORING_OP_OPENAT.
  static task<Result<File>> open(std::string path, int flags = O_RDONLY, mode_t mode = 0644);
  // A File for a descriptor someone else owns (stdin, stdout): never closed by this object.
  static File borrow(int fd) { return File(fd, false); }

  // At the file position (which advances), like read(2)/write(2). Short transfers are visible.
  ReadOp read(void* buf, std::size_t len) { return ringcore::read(fd_, buf, clamp_io_len(len), kCurrentPosition); }
  WriteOp write(const void* buf, std::size_t len) {
    return ringcore::write(fd_, buf, clamp_io_len(len), kCurrentPosition);
  }
  // At an explicit offset; the file position does not move.
  ReadOp read_at(void* buf, std::size_t len, std::uint64_t offset) {
    return ringcore::read(fd_, buf, clamp_io_len(len), offset);
  }
  WriteOp write_at(const void* buf, std::size_t len, std::uint64_t offset) {
    return ringcore::write(fd_, buf, clamp_io_len(len), offset);
  }
  // Writes every byte, continuing after short writes.
  task<Result<void>> write_all(const void* buf, std::size_t len);
  task<Result<void>> write_all_at(const void* buf, std::size_t len, std::uint64_t offset);
  FsyncOp fsync(unsigned flags = 0) { return ringcore::fsync(fd_, flags); }
  // Size in bytes (IORING_OP_STATX).
  task<Result<std::uint64_t>> size();
  // Closes through the ring; afterwards the File is empty.
  task<Result<void>> close();

  int fd() const { return fd_; }
  bool is_open() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
  bool owned_ = true;
};

}  // namespace ringcore
