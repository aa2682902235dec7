#include "ringcore/file.hpp"

#include <unistd.h>

#include <utility>

#include "ringcore/ops/openat.hpp"
#include "ringcore/ops/statx.hpp"

namespace ringcore {

File::File(File&& o) noexcept : fd_(std::exchange(o.fd_, -1)), owned_(o.owned_) {}

File& File::operator=(File&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0 && owned_) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    owned_ = o.owned_;
  }
  return *this;
}

File::~File() {
  if (fd_ >= 0 && owned_) ::close(fd_);
}

task<Result<File>> File::open(std::string path, int flags, mode_t mode) {
  Result<int> fd = co_await ringcore::openat(AT_FDCWD, path.c_str(), flags, mode);
  if (!fd) co_return fd.error();
  co_return File(*fd);
}

task<Result<void>> File::write_all(const void* buf, std::size_t len) {
  const auto* p = static_cast<const char*>(buf);
  while (len > 0) {
    Result<std::size_t> n = co_await write(p, len);
    if (!n) co_return n.error();
    if (*n == 0) co_return errno_code(EIO);  // a regular file or pipe that accepts nothing: give up, don't spin
    p += *n;
    len -= *n;
  }
  co_return Result<void>();
}

task<Result<void>> File::write_all_at(const void* buf, std::size_t len, std::uint64_t offset) {
  const auto* p = static_cast<const char*>(buf);
  while (len > 0) {
    Result<std::size_t> n = co_await write_at(p, len, offset);
    if (!n) co_return n.error();
    if (*n == 0) co_return errno_code(EIO);
    p += *n;
    len -= *n;
    offset += *n;
  }
  co_return Result<void>();
}

task<Result<std::uint64_t>> File::size() {
  struct statx st {};
  Result<void> r = co_await fstatx(fd_, &st, STATX_SIZE);
  if (!r) co_return r.error();
  co_return std::uint64_t(st.stx_size);
}

task<Result<void>> File::close() {
  if (fd_ < 0) co_return errno_code(EBADF);
  int fd = std::exchange(fd_, -1);
  if (!owned_) co_return Result<void>();
  co_return co_await ringcore::close(fd);
}

}  // namespace ringcore
