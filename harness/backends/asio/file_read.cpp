// file-read: the file's blocks handed out in order to `depth` reader coroutines, each keeping one read
// in flight and checksumming every piece as it completes.
//
// Each reader has its own file object on its own descriptor (dup of the first). Asio queues the
// operations of one I/O object per kind and has only the queue's head in flight (io_uring_service::
// start_op), so `depth` reads on a single random_access_file would reach the kernel one at a time.
#include <boost/asio/co_spawn.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "asio_types.hpp"
#include "bench/backend.hpp"
#include "bench/checksum.hpp"
#include "commands.hpp"
#include "file_engine.hpp"
#include "posix_file.hpp"

namespace asio_backend {
namespace {

// Shared by the readers; they all run on the io_context's one thread.
struct ReadPlan {
  std::uint64_t file_size = 0;
  std::size_t block = 0;
  bool direct = false;
  std::uint64_t next_block = 0;  // offset of the next block nobody has taken yet
  bench::Checksum checksum;
  std::uint64_t bytes = 0;
  error_code error;  // the first read that failed stops every reader
};

Task<> read_blocks(PositionalFile file, ReadPlan& plan, char* buffer) {
  while (!plan.error && plan.next_block < plan.file_size) {
    const std::uint64_t start = plan.next_block;
    plan.next_block += plan.block;
    const std::uint64_t end = std::min<std::uint64_t>(start + plan.block, plan.file_size);
    std::uint64_t offset = start;
    while (offset < end) {  // a short read continues at the new offset
      const std::size_t done = std::size_t(offset - start);
      // O_DIRECT lengths must stay block-aligned: ask for the whole block, the kernel stops at EOF.
      const std::size_t want = plan.direct ? plan.block - done : std::size_t(end - offset);
      auto [ec, n] = co_await file.async_read_some_at(offset, asio::buffer(buffer + done, want), use_nothrow_awaitable);
      if (ec == asio::error::eof) break;  // the file shrank since fstat: nothing more here
      if (ec) {
        if (!plan.error) plan.error = ec;
        co_return;
      }
      plan.checksum.add(offset, buffer + done, n);
      plan.bytes += n;
      offset += n;
    }
  }
}

}  // namespace

int file_read(const bench::FileReadOptions& options) {
  const unsigned depth = FileEngine::in_flight(options.depth);
  const std::size_t buffer_stride = align_up(options.block);
  ReadPlan plan;  // outlives the engine, whose coroutines refer to it
  plan.block = options.block;
  plan.direct = options.direct;
  AlignedBuffer buffers(buffer_stride * depth);
  if (!buffers.data())
    return bench::fail("cannot allocate " + std::to_string(depth) + " buffers of " + std::to_string(buffer_stride) +
                       " bytes");
  FileEngine engine(depth);
  if (auto exit_code = engine.start()) return *exit_code;

  bench::FileMeter meter;
  UniqueFd fd = open_file(options.path, O_RDONLY | (options.direct ? O_DIRECT : 0));
  if (!fd) {
    if (options.direct && errno == EINVAL) return bench::skip("O_DIRECT not supported on this filesystem");
    return bench::fail(io_failure("open", options.path, errno));
  }
  if (!file_size(fd.get(), plan.file_size)) return bench::fail(io_failure("fstat", options.path, errno));

  const std::uint64_t blocks = (plan.file_size + plan.block - 1) / plan.block;
  const unsigned readers = unsigned(std::min<std::uint64_t>(depth, blocks));
  for (unsigned i = 0; i < readers; ++i) {
    const int reader_fd = i + 1 == readers ? fd.release() : ::dup(fd.get());
    if (reader_fd < 0) return bench::fail(io_failure("dup", options.path, errno));
    error_code ec;
    PositionalFile file = engine.adopt(reader_fd, ec);
    if (ec) return bench::fail(io_failure("assign", options.path, ec.value()));
    asio::co_spawn(engine.context(), read_blocks(std::move(file), plan, buffers.data() + i * buffer_stride),
                   rethrow_failure);
  }
  try {
    engine.context().run();
  } catch (const std::exception& e) {
    return bench::fail(std::string("file-read: ") + e.what());
  }
  if (plan.error) {
    if (options.direct && plan.error == asio::error::invalid_argument)
      return bench::skip("O_DIRECT not supported on this filesystem");
    return bench::fail(io_failure("read", options.path, plan.error.value()));
  }

  char checksum[17];
  std::snprintf(checksum, sizeof checksum, "%016" PRIx64, plan.checksum.value());
  meter.finish("file-read", plan.bytes)
      .add("checksum", checksum)
      .add("block", options.block)
      .add("depth", depth)
      .print();
  return bench::kExitOk;
}

}  // namespace asio_backend
