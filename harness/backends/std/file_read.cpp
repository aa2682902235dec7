// file-read, blocking: one read() at a time, so the depth is always 1 whatever --depth asks.
#include <fcntl.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>

#include "backend.hpp"
#include "bench/checksum.hpp"
#include "blocking_io.hpp"
#include "bench/unique_fd.hpp"

namespace std_backend {
namespace {

constexpr const char* kNoDirect = "O_DIRECT not supported on this filesystem";

std::string hex16(std::uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, v);
  return text;
}

}  // namespace

int file_read(const bench::FileReadOptions& options) {
  // Allocated before the timed region: the buffer is set-up, not I/O.
  AlignedBuffer buffer = allocate_aligned(options.block);
  if (!buffer) return bench::fail("cannot allocate a " + std::to_string(options.block) + "-byte buffer");
  bench::Checksum checksum;
  std::uint64_t offset = 0;

  bench::FileMeter meter;
  bench::UniqueFd file(::open(options.path.c_str(), O_RDONLY | O_CLOEXEC | (options.direct ? O_DIRECT : 0)));
  if (!file) {
    if (options.direct && errno == EINVAL) return bench::skip(kNoDirect);
    return bench::fail(describe_errno("open", options.path));
  }
  for (;;) {
    // A short read is no error: the file position moved by what was read, and the next read
    // continues there. (With O_DIRECT a read is short only at the end of the file.)
    ssize_t n = read_some(file.get(), buffer.get(), options.block);
    if (n == 0) break;
    if (n < 0) {
      // Some filesystems accept O_DIRECT at open() and refuse it at the first read.
      if (options.direct && errno == EINVAL && offset == 0) return bench::skip(kNoDirect);
      return bench::fail(describe_errno("read", options.path));
    }
    checksum.add(offset, buffer.get(), std::size_t(n));
    offset += std::uint64_t(n);
  }
  bench::JsonLine line = meter.finish("file-read", offset);
  line.add("checksum", hex16(checksum.value())).add("block", std::uint64_t(options.block)).add("depth", 1).print();
  return bench::kExitOk;
}

}  // namespace std_backend
