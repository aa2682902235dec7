// copy-chain, blocking: read() a chunk, write() exactly the bytes it returned, repeat.
#include <fcntl.h>

#include <cerrno>

#include "backend.hpp"
#include "blocking_io.hpp"
#include "bench/unique_fd.hpp"

namespace std_backend {

int copy_chain(const bench::CopyChainOptions& options) {
  AlignedBuffer buffer = allocate_aligned(options.chunk);
  if (!buffer) return bench::fail("cannot allocate a " + std::to_string(options.chunk) + "-byte buffer");
  std::uint64_t bytes = 0, chunks = 0;

  bench::FileMeter meter;
  bench::UniqueFd src(::open(options.src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!src) return bench::fail(describe_errno("open", options.src));
  bench::UniqueFd dst(::open(options.dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!dst) return bench::fail(describe_errno("open", options.dst));
  for (;;) {
    ssize_t n = read_some(src.get(), buffer.get(), options.chunk);
    if (n == 0) break;
    if (n < 0) return bench::fail(describe_errno("read", options.src));
    if (!write_all(dst.get(), buffer.get(), std::size_t(n))) return bench::fail(describe_errno("write", options.dst));
    bytes += std::uint64_t(n);
    ++chunks;
  }
  // A deferred write error can surface only at close().
  if (dst.close() != 0) return bench::fail(describe_errno("close", options.dst));
  meter.finish("copy-chain", bytes).add("chunks", chunks).print();
  return bench::kExitOk;
}

}  // namespace std_backend
