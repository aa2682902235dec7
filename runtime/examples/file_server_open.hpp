// file_server's second line of defence: the kernel opens each path beneath the root descriptor
// with openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS), so no ".." and no symlink (absolute, or
// relative and climbing out) can lead the lookup outside, and no /proc magic link can jump anywhere.
// The check happens during the very lookup that opens the file: unlike realpath() and a prefix
// comparison, nothing can be swapped in between the check and the open.
#pragma once

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "ringcore/ringcore.hpp"

namespace file_server {

// OpenAt2Op — io_uring_prep_openat2: open `path` beneath `dirfd`, never outside it. (The runtime
// has openat but not openat2; this is the same shape as its ops/openat.hpp.)
class OpenBeneathOp : public ringcore::detail::Op<OpenBeneathOp> {
 public:
  OpenBeneathOp(int dirfd, const char* path) : dirfd_(dirfd), path_(path) {
    how_.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    how_.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  }
  void prep(io_uring_sqe* sqe) { io_uring_prep_openat2(sqe, dirfd_, path_, &how_); }
  ringcore::Result<int> result() const {
    if (res < 0) return ringcore::errno_code(-res);
    return int(res);
  }

 private:
  int dirfd_;
  const char* path_;
  open_how how_{};
};

// What an open failure means for the client.
inline int status_for_open_error(std::error_code e) {
  switch (e.value()) {
    case ENOENT: case ENOTDIR: case ENAMETOOLONG:
      return 404;
    case EXDEV:   // the path (through a symlink) leads out of the root
    case ELOOP:   // a magic link, or too many symlinks
    case EACCES: case EPERM:
      return 403;
    default:
      return 500;
  }
}

// The root as a descriptor to resolve beneath, after checking the kernel has openat2 with
// RESOLVE_BENEATH: without it we would have no safe way to open, so we do not start.
inline int open_root(const char* root) {
  int fd = ::open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "file_server: --root %s: %s\n", root, std::strerror(errno));
    return -1;
  }
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int probe = int(::syscall(SYS_openat2, fd, ".", &how, sizeof how));
  if (probe < 0) {
    std::fprintf(stderr, "file_server: openat2 with RESOLVE_BENEATH is not available (%s); it needs Linux 5.6+. "
                         "Refusing to serve without it.\n", std::strerror(errno));
    ::close(fd);
    return -1;
  }
  ::close(probe);
  return fd;
}

}  // namespace file_server
