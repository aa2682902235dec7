// One connection's life on its own thread: blocking reads, and each read's replies in one write.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "bench/backend.hpp"
#include "protocol/http.hpp"

namespace std_backend {

// The server's totals, bumped by every connection thread and read once by the stop thread.
// Relaxed atomics: the counts need no ordering, only freedom from data races.
struct ServeCounters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> errors{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> bytes_out{0};

  void add(std::atomic<std::uint64_t>& counter, std::uint64_t n) { counter.fetch_add(n, std::memory_order_relaxed); }
  bench::ServeMeter::Totals snapshot() const;
};

// What every connection thread shares; lives as long as the process.
struct ServeContext {
  bench::Proto proto = bench::Proto::echo;
  const proto::HttpSession::Responses* responses = nullptr;  // http only
  ServeCounters* counters = nullptr;
};

// Bytes asked for per read(): one large message per syscall.
inline constexpr std::size_t kReadBytes = 64 * 1024;

// Serves `fd` until the peer closes, an error, or an HTTP close; then closes it.
void serve_connection(int fd, const ServeContext& context);

}  // namespace std_backend
