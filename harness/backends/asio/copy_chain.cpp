// copy-chain: one coroutine, chunk after chunk: read, then write exactly the bytes that read returned.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write_at.hpp>

#include <fcntl.h>

#include <cerrno>
#include <string>

#include "asio_types.hpp"
#include "bench/backend.hpp"
#include "commands.hpp"
#include "file_engine.hpp"
#include "posix_file.hpp"

namespace asio_backend {
namespace {

struct CopyProgress {
  std::uint64_t src_size = 0;
  std::uint64_t bytes = 0;
  std::uint64_t chunks = 0;
  error_code read_error;
  error_code write_error;
};

// Owns both files, so that they close with the coroutine, even if the io_context shuts down first.
Task<> copy_chunks(PositionalFile src, PositionalFile dst, std::size_t chunk, char* buffer, CopyProgress& progress) {
  // Stop at the size fstat gave rather than on a read that could only return 0 bytes.
  while (progress.bytes < progress.src_size) {
    const std::uint64_t offset = progress.bytes;
    auto [read_error, n] = co_await src.async_read_some_at(offset, asio::buffer(buffer, chunk), use_nothrow_awaitable);
    if (read_error == asio::error::eof) co_return;  // the source shrank since fstat
    if (read_error) {
      progress.read_error = read_error;
      co_return;
    }
    auto [write_error, written] =
        co_await asio::async_write_at(dst, offset, asio::buffer(buffer, n), use_nothrow_awaitable);
    if (write_error) {
      progress.write_error = write_error;
      co_return;
    }
    progress.bytes += written;
    ++progress.chunks;
  }
}

}  // namespace

int copy_chain(const bench::CopyChainOptions& options) {
  CopyProgress progress;  // outlives the engine, whose coroutine refers to it
  AlignedBuffer buffer(options.chunk);
  if (!buffer.data()) return bench::fail("cannot allocate a buffer of " + std::to_string(options.chunk) + " bytes");
  FileEngine engine(1);  // a chain: one operation in flight at a time
  if (auto exit_code = engine.start()) return *exit_code;

  bench::FileMeter meter;
  UniqueFd src_fd = open_file(options.src, O_RDONLY);
  if (!src_fd) return bench::fail(io_failure("open", options.src, errno));
  if (!file_size(src_fd.get(), progress.src_size)) return bench::fail(io_failure("fstat", options.src, errno));
  UniqueFd dst_fd = open_file(options.dst, O_WRONLY | O_CREAT | O_TRUNC);
  if (!dst_fd) return bench::fail(io_failure("open", options.dst, errno));

  error_code ec;
  PositionalFile src = engine.adopt(src_fd.release(), ec);
  if (ec) return bench::fail(io_failure("assign", options.src, ec.value()));
  PositionalFile dst = engine.adopt(dst_fd.release(), ec);
  if (ec) return bench::fail(io_failure("assign", options.dst, ec.value()));

  asio::co_spawn(engine.context(), copy_chunks(std::move(src), std::move(dst), options.chunk, buffer.data(), progress),
                 rethrow_failure);
  try {
    engine.context().run();
  } catch (const std::exception& e) {
    return bench::fail(std::string("copy-chain: ") + e.what());
  }
  if (progress.read_error) return bench::fail(io_failure("read", options.src, progress.read_error.value()));
  if (progress.write_error) return bench::fail(io_failure("write", options.dst, progress.write_error.value()));

  meter.finish("copy-chain", progress.bytes).add("chunks", progress.chunks).print();
  return bench::kExitOk;
}

}  // namespace asio_backend
