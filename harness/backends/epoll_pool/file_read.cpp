// file-read: the pool runs blocking pread()s, `depth` of them in flight. Each finished block is
// checksummed on this thread (the one that asked, as an application would use its data) and its
// buffer goes straight out again with the next offset.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdint>
#include <limits>
#include <vector>

#include "backend.hpp"
#include "bench/checksum.hpp"
#include "file_io.hpp"
#include "thread_pool.hpp"
#include "bench/unique_fd.hpp"

namespace epoll_pool {
namespace {

constexpr const char* kNoDirect = "O_DIRECT not supported on this filesystem";

// One block in flight. Written by this thread before submit() and after wait_completed(), by a
// pool thread in between; the pool's locks order the two.
struct BlockRead : ThreadPool::Task {
  BlockRead() { run = &BlockRead::read_block; }

  int fd = -1;
  char* buffer = nullptr;  // this slot's block-sized buffer
  char* data = nullptr;    // where the read lands (past the buffer's start after a short read)
  std::size_t length = 0;
  std::uint64_t offset = 0;
  ssize_t result = 0;
  int error = 0;

  static void read_block(ThreadPool::Task& task) {
    auto& r = static_cast<BlockRead&>(task);
    r.result = pread_some(r.fd, r.data, r.length, r.offset);
    r.error = r.result < 0 ? errno : 0;
  }
};

}  // namespace

int file_read(const bench::FileReadOptions& options) {
  // Set-up before the timed region: buffers, and threads already waiting for work.
  const std::size_t slot_bytes = round_up_4k(options.block);
  AlignedBuffer buffers = allocate_aligned(slot_bytes * options.depth);
  if (!buffers) return bench::fail("cannot allocate " + std::to_string(options.depth) + " buffers of " +
                                   std::to_string(options.block) + " bytes");
  std::vector<BlockRead> reads(options.depth);
  for (unsigned i = 0; i < options.depth; ++i) reads[i].buffer = buffers.get() + i * slot_bytes;
  ThreadPool pool(ThreadPool::default_size());
  bench::Checksum checksum;
  std::uint64_t bytes = 0;

  bench::FileMeter meter;
  bench::UniqueFd file(::open(options.path.c_str(), O_RDONLY | O_CLOEXEC | (options.direct ? O_DIRECT : 0)));
  if (!file) {
    if (options.direct && errno == EINVAL) return bench::skip(kNoDirect);
    return bench::fail(describe_error("open", options.path, errno));
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return bench::fail(describe_error("fstat", options.path, errno));
  // The size bounds the reads, so that `depth` of them are not wasted past the end. It is only a
  // hint (/proc files say 0, a file may grow): one read at the end confirms it, and a read that
  // finds data beyond it makes the end unknown, read until a read returns 0.
  std::uint64_t end = std::uint64_t(info.st_size);
  constexpr std::uint64_t kUnknownEnd = std::numeric_limits<std::uint64_t>::max();
  bool end_probed = false;
  std::uint64_t next_offset = 0;
  bool stop = false;  // end of file or an error: submit nothing new, let the rest finish
  int error = 0;
  unsigned in_flight = 0;
  auto submit_next_block = [&](BlockRead& r) {
    if (stop) return false;
    if (next_offset >= end) {
      if (end_probed) return false;
      end_probed = true;
    }
    r.fd = file.get();
    r.data = r.buffer;
    r.length = options.block;
    r.offset = next_offset;
    next_offset += options.block;
    pool.submit(r);
    return true;
  };

  for (BlockRead& r : reads) {
    if (!submit_next_block(r)) break;
    ++in_flight;
  }
  while (in_flight > 0) {
    for (ThreadPool::Task* finished = pool.wait_completed(); finished != nullptr;) {
      auto& r = static_cast<BlockRead&>(*finished);
      finished = finished->next;  // before r can be submitted again
      if (r.result > 0) {
        checksum.add(r.offset, r.data, std::size_t(r.result));
        bytes += std::uint64_t(r.result);
        const std::uint64_t reached = r.offset + std::uint64_t(r.result);
        if (reached > end) end = kUnknownEnd;
        if (std::size_t(r.result) < r.length && reached < end) {
          // Short before the end: read the rest of this block into the rest of its buffer.
          r.data += r.result;
          r.length -= std::size_t(r.result);
          r.offset = reached;
          pool.submit(r);
          continue;
        }
        if (submit_next_block(r)) continue;
      } else if (r.result == 0) {
        stop = true;  // the end of the file (sooner than fstat said, if it shrank)
      } else {
        if (error == 0) error = r.error;
        stop = true;
      }
      --in_flight;
    }
  }
  if (error != 0) {
    // Some filesystems accept O_DIRECT at open() and refuse it at the first read.
    if (options.direct && error == EINVAL && bytes == 0) return bench::skip(kNoDirect);
    return bench::fail(describe_error("read", options.path, error));
  }
  meter.finish("file-read", bytes)
      .add("checksum", hex16(checksum.value()))
      .add("block", std::uint64_t(options.block))
      .add("depth", options.depth)
      .print();
  return bench::kExitOk;
}

}  // namespace epoll_pool
