#include "ringcore/ops/recv_multishot.hpp"

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/fifo.hpp"
#include "ringcore/detail/multishot.hpp"
#include "ringcore/ring.hpp"

namespace ringcore {

struct RecvStream::State : detail::MultishotState {
  struct Chunk {
    std::int32_t res;  // bytes, 0 at end of stream, or -errno
    std::int32_t buffer = -1;
  };
  BufferRing* buffers = nullptr;
  int fd = -1;
  bool fixed = false;
  bool ended = false;  // end of stream or a final error was queued: do not re-arm
  detail::Fifo<Chunk> ready;  // keeps its storage: no allocation per message once warm

  static void handle_cqe(detail::HandlerState* base, std::int32_t res, std::uint32_t flags) {
    auto* s = static_cast<State*>(base);
    s->count_cqe(flags);
    Chunk c{res};
    if (flags & IORING_CQE_F_BUFFER) c.buffer = std::int32_t(flags >> IORING_CQE_BUFFER_SHIFT);
    if (s->orphaned) {
      if (c.buffer >= 0) s->buffers->recycle_unused(std::uint16_t(c.buffer));
      if (!s->armed) delete s;
      return;
    }
    // ENOBUFS just ends this request (all buffers are out); next() re-arms once some come back.
    if (res == -ENOBUFS && c.buffer < 0) {
      if (s->ready.empty() && s->waiter) s->rearm_or_report();
      return;
    }
    s->ready.push_back(c);
    s->wake();
  }

  void arm() {
    io_uring_sqe* sqe = detail::current_ring().get_sqe();
    io_uring_prep_recv_multishot(sqe, fd, nullptr, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT | (fixed ? IOSQE_FIXED_FILE : 0);
    sqe->buf_group = buffers->group();
    submit_armed(sqe);
  }

  // Called with a waiter and nothing to hand out after ENOBUFS: try again if buffers came back,
  // otherwise tell the waiter (it holds buffers it must release).
  void rearm_or_report() {
    if (buffers->in_use() < buffers->count()) {
      arm();
      return;
    }
    ready.push_back(Chunk{-ENOBUFS});
    wake();
  }
};

RecvStream::RecvStream(BufferRing& buffers, int fd, bool fixed_file) : state_(new State) {
  state_->on_cqe = &State::handle_cqe;
  state_->buffers = &buffers;
  state_->fd = fd;
  state_->fixed = fixed_file;
}

RecvStream::~RecvStream() {
  state_->ready.for_each([this](const State::Chunk& c) {
    if (c.buffer >= 0) state_->buffers->recycle_unused(std::uint16_t(c.buffer));
  });
  state_->ready.clear();
  // If armed, the final CQE frees the state and gives back any buffer it carries.
  if (state_->orphan()) delete state_;
}

bool RecvStream::NextAwaiter::await_ready() const noexcept { return !self.state_->ready.empty(); }

bool RecvStream::NextAwaiter::await_suspend(std::coroutine_handle<> h) {
  State* s = self.state_;
  s->waiter = h;
  if (!s->armed && !s->ended) s->arm();
  return true;
}

Result<BufferRing::Buffer> RecvStream::NextAwaiter::await_resume() {
  State* s = self.state_;
  State::Chunk c = s->ready.front();
  s->ready.pop_front();
  // End of stream or a real error with the request over: later next() calls must not re-arm.
  if (!s->armed && (c.res == 0 || (c.res < 0 && c.res != -ENOBUFS))) s->ended = true;
  if (c.res < 0) {
    if (c.buffer >= 0) s->buffers->recycle_unused(std::uint16_t(c.buffer));
    return errno_code(-c.res);
  }
  if (c.buffer < 0) return BufferRing::Buffer();  // end of stream
  return s->buffers->adopt(std::uint16_t(c.buffer), std::size_t(c.res));
}

std::uint64_t RecvStream::cqes() const { return state_->cqes; }
std::uint64_t RecvStream::sqes() const { return state_->sqes; }

}  // namespace ringcore
