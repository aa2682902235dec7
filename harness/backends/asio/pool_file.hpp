// A file whose positional reads and writes run as blocking pread()/pwrite() on an asio::thread_pool
// and complete on the io_context. This is how Asio code does file I/O on Linux without io_uring:
// Asio's own file types (random_access_file, stream_file) exist only with BOOST_ASIO_HAS_IO_URING.
//
// It models Asio's AsyncRandomAccessReadDevice / AsyncRandomAccessWriteDevice, so asio::async_write_at
// and the file commands use it exactly as they use asio::random_access_file in the io_uring build.
// Each operation is one job on the pool; the job's state comes from Asio's recycling allocator, which
// ping-pongs the same blocks between the io thread and the pool thread once warm.
#pragma once

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <utility>

#include "asio_types.hpp"

namespace asio_backend {

class PoolFile {
 public:
  using executor_type = Executor;

  // Takes ownership of `fd`.
  PoolFile(Executor completion_executor, asio::thread_pool& pool, int fd)
      : completion_executor_(completion_executor), pool_(&pool), fd_(fd) {}
  PoolFile(PoolFile&& other) noexcept
      : completion_executor_(other.completion_executor_), pool_(other.pool_), fd_(std::exchange(other.fd_, -1)) {}
  PoolFile& operator=(PoolFile&&) = delete;
  PoolFile(const PoolFile&) = delete;
  ~PoolFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  executor_type get_executor() const { return completion_executor_; }

  // One pread() into the first non-empty buffer, like a single read(2). 0 bytes: error::eof,
  // as Asio's own read_at operations report it.
  template <typename MutableBufferSequence, typename Token>
  auto async_read_some_at(std::uint64_t offset, const MutableBufferSequence& buffers, Token&& token) {
    const asio::mutable_buffer target = first_buffer<asio::mutable_buffer>(buffers);
    return on_pool(std::forward<Token>(token), target.size() > 0,
                   [fd = fd_, offset, target] { return ::pread(fd, target.data(), target.size(), off_t(offset)); });
  }

  // One pwrite() from the first non-empty buffer; async_write_at loops for the rest.
  template <typename ConstBufferSequence, typename Token>
  auto async_write_some_at(std::uint64_t offset, const ConstBufferSequence& buffers, Token&& token) {
    const asio::const_buffer source = first_buffer<asio::const_buffer>(buffers);
    return on_pool(std::forward<Token>(token), false,
                   [fd = fd_, offset, source] { return ::pwrite(fd, source.data(), source.size(), off_t(offset)); });
  }

 private:
  template <typename Buffer, typename Sequence>
  static Buffer first_buffer(const Sequence& buffers) {
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers); ++it) {
      Buffer b(*it);
      if (b.size() > 0) return b;
    }
    return Buffer();
  }

  // Runs `syscall` on the pool, then completes the handler on its own executor (the io_context).
  template <typename Token, typename Syscall>
  auto on_pool(Token&& token, bool zero_is_eof, Syscall syscall) {
    return asio::async_initiate<Token, void(error_code, std::size_t)>(
        [this, zero_is_eof, syscall](auto handler) {
          // Tracked: the io_context must not run out of work while the job sits on the pool.
          auto completion = asio::prefer(asio::get_associated_executor(handler, completion_executor_),
                                         asio::execution::outstanding_work.tracked);
          asio::post(*pool_, [zero_is_eof, syscall, completion, handler = std::move(handler)]() mutable {
            const ssize_t n = syscall();
            error_code ec;
            if (n < 0)
              ec.assign(errno, boost::system::system_category());
            else if (n == 0 && zero_is_eof)
              ec = asio::error::eof;
            asio::post(completion, asio::append(std::move(handler), ec, std::size_t(n < 0 ? 0 : n)));
          });
        },
        token);
  }

  Executor completion_executor_;
  asio::thread_pool* pool_;
  int fd_;
};

}  // namespace asio_backend
