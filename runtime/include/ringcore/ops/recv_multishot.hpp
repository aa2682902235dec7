// RecvStream — io_uring_prep_recv_multishot with a BufferRing: ONE recv request that stays armed and
// posts a CQE each time data arrives, in a buffer the kernel picks from the ring (IORING_CQE_F_MORE
// while it stays armed). No SQE and no poll re-arm per message: for a request/response server this
// removes a submission per request.
//
// next() hands out the received buffers in order (a Buffer returns to the ring when destroyed), an
// empty Buffer at end of stream, or the error that ended the request. When the kernel ends the
// request (ENOBUFS: every buffer in use; or an error), the next call to next() re-arms it.
// Like Acceptor, the state is on the heap and lives until the request's final CQE.
#pragma once

#include <coroutine>
#include <cstdint>

#include "ringcore/buffer_ring.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class RecvStream {
 public:
  RecvStream(BufferRing& buffers, int fd, bool fixed_file = false);
  ~RecvStream();
  RecvStream(const RecvStream&) = delete;
  RecvStream& operator=(const RecvStream&) = delete;

  struct NextAwaiter {
    RecvStream& self;
    bool await_ready() const noexcept;
    bool await_suspend(std::coroutine_handle<> h);
    Result<BufferRing::Buffer> await_resume();
  };
  NextAwaiter next() { return NextAwaiter{*this}; }

  std::uint64_t cqes() const;
  std::uint64_t sqes() const;

 private:
  struct State;
  State* state_;
};

}  // namespace ringcore
