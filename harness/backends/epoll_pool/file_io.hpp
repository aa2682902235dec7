// Positioned file I/O as the pool threads run it, with the retries every caller needs (EINTR,
// short writes), and the small helpers of the file commands.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace epoll_pool {

// pread() retried on EINTR: > 0 bytes read, 0 at end of file, -1 with errno set.
ssize_t pread_some(int fd, void* buf, std::size_t len, std::uint64_t offset);

// Writes all `len` bytes at `offset`, continuing after short writes and EINTR. False with errno set.
bool pwrite_all(int fd, const void* buf, std::size_t len, std::uint64_t offset);

struct FreeDeleter {
  void operator()(void* p) const noexcept;
};
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;
// Rounds `len` up to a multiple of 4096 (what O_DIRECT needs); 4096-aligned, not zeroed; null
// when out of memory.
AlignedBuffer allocate_aligned(std::size_t len);
inline std::size_t round_up_4k(std::size_t len) { return (len + 4095) / 4096 * 4096; }

// "<what> <path>: <strerror(error)>", the one-line reason bench::fail prints.
std::string describe_error(const char* what, const std::string& path, int error);

// 16 lowercase hex digits, the checksum's printed form.
std::string hex16(std::uint64_t value);

}  // namespace epoll_pool
