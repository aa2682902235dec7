// Blocking read()/write() with the retries every caller needs: EINTR, and short writes.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

namespace std_backend {

// read() retried on EINTR: > 0 bytes read, 0 at end of file, -1 with errno set.
ssize_t read_some(int fd, void* buf, std::size_t len);

// Writes all `len` bytes, continuing after short writes and EINTR. False with errno set on error.
bool write_all(int fd, const void* buf, std::size_t len);

// A buffer from aligned_alloc(4096, ...) (what O_DIRECT needs), freed by its owner.
struct FreeDeleter {
  void operator()(void* p) const noexcept;
};
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;
// `len` rounded up to a multiple of 4096, 4096-aligned, not zeroed; null when out of memory.
AlignedBuffer allocate_aligned(std::size_t len);

// "<what> <path>: <strerror(errno)>", the one-line reason bench::fail prints.
std::string describe_errno(const char* what, const std::string& path);

}  // namespace std_backend
