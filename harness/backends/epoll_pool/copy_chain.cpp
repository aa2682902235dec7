// copy-chain: one pool task per chunk does the pread() and then the pwrite() of exactly the bytes
// read; the next chunk is submitted when this one is back, like a linked chain.
#include <fcntl.h>

#include <cerrno>
#include <cstdint>

#include "backend.hpp"
#include "file_io.hpp"
#include "thread_pool.hpp"
#include "bench/unique_fd.hpp"

namespace epoll_pool {
namespace {

struct ChunkCopy : ThreadPool::Task {
  ChunkCopy() { run = &ChunkCopy::copy_chunk; }

  int src = -1;
  int dst = -1;
  char* buffer = nullptr;
  std::size_t chunk = 0;
  std::uint64_t offset = 0;
  ssize_t read_bytes = 0;  // 0: end of the source
  int error = 0;
  bool write_failed = false;  // which side `error` came from

  static void copy_chunk(ThreadPool::Task& task) {
    auto& c = static_cast<ChunkCopy&>(task);
    c.error = 0;
    c.write_failed = false;
    c.read_bytes = pread_some(c.src, c.buffer, c.chunk, c.offset);
    if (c.read_bytes < 0) {
      c.error = errno;
      return;
    }
    if (!pwrite_all(c.dst, c.buffer, std::size_t(c.read_bytes), c.offset)) {
      c.error = errno;
      c.write_failed = true;
    }
  }
};

}  // namespace

int copy_chain(const bench::CopyChainOptions& options) {
  AlignedBuffer buffer = allocate_aligned(options.chunk);
  if (!buffer) return bench::fail("cannot allocate a " + std::to_string(options.chunk) + "-byte buffer");
  ThreadPool pool(ThreadPool::default_size());
  ChunkCopy step;
  std::uint64_t bytes = 0, chunks = 0;

  bench::FileMeter meter;
  bench::UniqueFd src(::open(options.src.c_str(), O_RDONLY | O_CLOEXEC));
  if (!src) return bench::fail(describe_error("open", options.src, errno));
  bench::UniqueFd dst(::open(options.dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!dst) return bench::fail(describe_error("open", options.dst, errno));
  step.src = src.get();
  step.dst = dst.get();
  step.buffer = buffer.get();
  step.chunk = options.chunk;
  for (;;) {
    // A short read is not a full chunk: the next chunk starts right after the bytes read.
    step.offset = bytes;
    pool.submit(step);
    pool.wait_completed();
    if (step.error != 0) {
      return step.write_failed ? bench::fail(describe_error("write", options.dst, step.error))
                               : bench::fail(describe_error("read", options.src, step.error));
    }
    if (step.read_bytes == 0) break;
    bytes += std::uint64_t(step.read_bytes);
    ++chunks;
  }
  // A deferred write error can surface only at close().
  if (dst.close() != 0) return bench::fail(describe_error("close", options.dst, errno));
  meter.finish("copy-chain", bytes).add("chunks", chunks).print();
  return bench::kExitOk;
}

}  // namespace epoll_pool
