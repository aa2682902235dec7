#include "blocking_io.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace std_backend {

ssize_t read_some(int fd, void* buf, std::size_t len) {
  for (;;) {
    ssize_t n = ::read(fd, buf, len);
    if (n >= 0 || errno != EINTR) return n;
  }
}

bool write_all(int fd, const void* buf, std::size_t len) {
  const auto* p = static_cast<const char*>(buf);
  while (len > 0) {
    ssize_t n = ::write(fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += n;
    len -= std::size_t(n);
  }
  return true;
}

void FreeDeleter::operator()(void* p) const noexcept { std::free(p); }

AlignedBuffer allocate_aligned(std::size_t len) {
  constexpr std::size_t kAlign = 4096;
  std::size_t rounded = (len + kAlign - 1) / kAlign * kAlign;
  return AlignedBuffer(static_cast<char*>(std::aligned_alloc(kAlign, rounded)));
}

std::string describe_errno(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

}  // namespace std_backend
