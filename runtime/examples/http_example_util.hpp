// What the HTTP examples (http_server, file_server) share: the per-connection input buffer, and
// closing after an error without losing the response.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <string_view>

#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace example {

// The largest request the shared parser can accept: a full header block plus the largest body.
// Anything longer is refused by the parser (414/431/413) before the buffer fills.
inline std::size_t max_request_bytes(const proto::HttpLimits& limits) {
  return limits.max_header_bytes + limits.max_body + 1;
}

// One connection's received bytes: [begin, end) of one reusable allocation that grows (doubling,
// up to a limit) only when a request does not fit. After warm-up, no request allocates.
class InputBuffer {
 public:
  InputBuffer(std::size_t initial, std::size_t limit)
      : data_(std::make_unique_for_overwrite<char[]>(initial)), capacity_(initial), limit_(limit) {}

  std::string_view bytes() const { return {data_.get() + begin_, end_ - begin_}; }
  bool empty() const { return begin_ == end_; }
  char* space() { return data_.get() + end_; }
  std::size_t space_size() const { return capacity_ - end_; }
  void commit(std::size_t n) { end_ += n; }
  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;  // the common case: everything used, start over at the front
  }
  // Copies in bytes that arrived elsewhere (a provided buffer). False when they would pass the limit.
  bool append(std::string_view more) {
    if (!reserve(more.size())) return false;
    std::memcpy(space(), more.data(), more.size());
    commit(more.size());
    return true;
  }
  // Makes room for at least `n` more bytes: first by moving the unread bytes to the front, then by
  // growing. False when that would pass the limit.
  bool reserve(std::size_t n = 1) {
    if (space_size() >= n) return true;
    std::size_t unread = end_ - begin_;
    if (begin_ > 0) {
      std::memmove(data_.get(), data_.get() + begin_, unread);
      begin_ = 0;
      end_ = unread;
      if (space_size() >= n) return true;
    }
    if (unread + n > limit_) return false;
    std::size_t grown = capacity_;
    while (grown < unread + n) grown *= 2;
    if (grown > limit_) grown = limit_;
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    std::memcpy(bigger.get(), data_.get(), unread);
    data_ = std::move(bigger);
    capacity_ = grown;
    return true;
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t limit_;
  std::size_t begin_ = 0, end_ = 0;
};

// Closing a socket whose receive queue still holds unread bytes makes the kernel send a reset, and
// a reset can overtake the response we just sent (the client then sees ECONNRESET, not our 400).
// So: send our FIN first, then read and discard what the client still sends, for a bounded time
// and amount, until it closes too. nginx calls this lingering close.
inline ringcore::task<void> lingering_close(ringcore::TcpStream& s) {
  using namespace std::chrono;
  co_await s.shutdown(SHUT_WR);
  char sink[4096];
  std::size_t drained = 0;
  const auto deadline = steady_clock::now() + seconds(2);
  while (drained < 256 * 1024) {
    auto left = duration_cast<nanoseconds>(deadline - steady_clock::now());
    if (left.count() <= 0) break;
    auto n = co_await ringcore::with_timeout(s.read(sink, sizeof sink), left);
    if (!n || *n == 0) break;
    drained += *n;
  }
}

}  // namespace example
