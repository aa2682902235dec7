#include "file_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace epoll_pool {

ssize_t pread_some(int fd, void* buf, std::size_t len, std::uint64_t offset) {
  for (;;) {
    ssize_t n = ::pread(fd, buf, len, off_t(offset));
    if (n >= 0 || errno != EINTR) return n;
  }
}

bool pwrite_all(int fd, const void* buf, std::size_t len, std::uint64_t offset) {
  const auto* p = static_cast<const char*>(buf);
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, off_t(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    len -= std::size_t(n);
    offset += std::uint64_t(n);
  }
  return true;
}

void FreeDeleter::operator()(void* p) const noexcept { std::free(p); }

AlignedBuffer allocate_aligned(std::size_t len) {
  return AlignedBuffer(static_cast<char*>(std::aligned_alloc(4096, round_up_4k(len))));
}

std::string describe_error(const char* what, const std::string& path, int error) {
  return std::string(what) + " " + path + ": " + std::strerror(error);
}

std::string hex16(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

}  // namespace epoll_pool
