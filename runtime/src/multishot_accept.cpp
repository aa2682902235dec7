#include "ringcore/ops/multishot_accept.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/fifo.hpp"
#include "ringcore/detail/trace.hpp"
#include "ringcore/ring.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore {

struct Acceptor::State : detail::HandlerState {
  int listen_fd = -1;
  bool armed = false;     // the kernel holds our request (final CQE still due)
  bool orphaned = false;  // the Acceptor is gone: free this at the final CQE
  detail::Fifo<int> ready;  // accepted, not yet handed out
  int error = 0;          // the error that ended the request, reported once by next()
  std::coroutine_handle<> waiter;
  std::uint64_t cqes = 0, sqes = 0;

  static void handle_cqe(detail::HandlerState* base, std::int32_t res, std::uint32_t flags) {
    auto* s = static_cast<State*>(base);
    ++s->cqes;
    if (!(flags & IORING_CQE_F_MORE)) s->armed = false;
    if (res >= 0) {
      if (s->orphaned) ::close(res);
      else s->ready.push_back(res);
    } else if (!s->orphaned) {
      s->error = -res;  // EMFILE, ENFILE, ECANCELED...: next() reports it once, then re-arms
    }
    if (s->orphaned) {
      if (!s->armed) delete s;
      return;
    }
    if (s->waiter && (!s->ready.empty() || s->error != 0)) {
      auto h = s->waiter;
      s->waiter = {};
      Runtime::current().resume(h);
    }
  }

  void arm() {
    Ring& ring = detail::current_ring();
    io_uring_sqe* sqe = ring.get_sqe();
    io_uring_prep_multishot_accept(sqe, listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, detail::user_data_of(static_cast<detail::HandlerState*>(this)));
    if (ring.tracing()) [[unlikely]] detail::trace_sqe(sqe);
    armed = true;
    ++sqes;
  }
};

Acceptor::Acceptor(int listen_fd) : state_(new State) {
  state_->on_cqe = &State::handle_cqe;
  state_->listen_fd = listen_fd;
}

Acceptor::~Acceptor() {
  state_->ready.for_each([](int fd) { ::close(fd); });
  state_->ready.clear();
  if (!state_->armed) {
    delete state_;
    return;
  }
  // The kernel still holds the request: cancel it and let its final CQE free the state.
  state_->orphaned = true;
  state_->waiter = {};
  if (detail::tl_ring != nullptr) {
    io_uring_sqe* sqe = detail::tl_ring->get_sqe();
    io_uring_prep_cancel64(sqe, detail::user_data_of(static_cast<detail::HandlerState*>(state_)), 0);
    io_uring_sqe_set_data64(sqe, detail::kIgnoredUserData);
  }
}

bool Acceptor::NextAwaiter::await_ready() const noexcept { return !self.state_->ready.empty() || self.state_->error != 0; }

bool Acceptor::NextAwaiter::await_suspend(std::coroutine_handle<> h) {
  State* s = self.state_;
  if (!s->armed) s->arm();
  s->waiter = h;
  return true;
}

Result<int> Acceptor::NextAwaiter::await_resume() {
  State* s = self.state_;
  if (!s->ready.empty()) {
    int fd = s->ready.front();
    s->ready.pop_front();
    return fd;
  }
  int err = s->error;
  s->error = 0;
  return errno_code(err ? err : EAGAIN);
}

std::uint64_t Acceptor::cqes() const { return state_->cqes; }
std::uint64_t Acceptor::sqes() const { return state_->sqes; }
bool Acceptor::armed() const { return state_->armed; }

}  // namespace ringcore
