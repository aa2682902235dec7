// Where the file commands' I/O runs, and the file type they use: the one place the two builds differ.
//   asio_uring: asio::basic_random_access_file, Asio's io_uring file path (readv/writev SQEs).
//   asio:       PoolFile, blocking pread/pwrite on an asio::thread_pool (Asio has no file support
//               on Linux without io_uring).
// Both complete on one io_context run by the calling thread, where the commands checksum and chain.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <optional>

#include "asio_types.hpp"
#include "reactor.hpp"

#if defined(BOOST_ASIO_HAS_FILE)
#include <boost/asio/basic_random_access_file.hpp>
#else
#include <boost/asio/thread_pool.hpp>

#include "pool_file.hpp"
#endif

namespace asio_backend {

#if defined(BOOST_ASIO_HAS_FILE)
using PositionalFile = asio::basic_random_access_file<Executor>;
#else
using PositionalFile = PoolFile;
#endif

class FileEngine {
 public:
  // Threads beyond this would only add start-up cost: reads past it wait in the pool's queue anyway.
  static constexpr unsigned kMaxPoolThreads = 256;

  // `parallel_ops`: operations the command wants in flight at once (the pool's size, where there is one).
  explicit FileEngine(unsigned parallel_ops)
#if !defined(BOOST_ASIO_HAS_FILE)
      : pool_(std::min(std::max(parallel_ops, 1u), kMaxPoolThreads))
#endif
  {
  }

  // Starts the reactor: nullopt, or the exit code to leave with (see start_reactor).
  std::optional<int> start() { return start_reactor(context_); }

  asio::io_context& context() { return context_; }
  Executor executor() { return context_.get_executor(); }

  // Operations truly in flight when `requested` are issued at once: the pool's threads cap it.
  static unsigned in_flight(unsigned requested) {
#if defined(BOOST_ASIO_HAS_FILE)
    return requested;
#else
    return std::min(requested, kMaxPoolThreads);
#endif
  }

  // A file object that owns `fd` and does its I/O here.
  PositionalFile adopt(int fd, error_code& ec) {
#if defined(BOOST_ASIO_HAS_FILE)
    PositionalFile file(executor());
    if (file.assign(fd, ec); ec) ::close(fd);
    return file;
#else
    ec = {};
    return PositionalFile(executor(), pool_, fd);
#endif
  }

 private:
  asio::io_context context_{1};  // concurrency hint: run() only ever on the calling thread
#if !defined(BOOST_ASIO_HAS_FILE)
  asio::thread_pool pool_;  // destroyed first: joins its threads while the io_context still exists
#endif
};

}  // namespace asio_backend
