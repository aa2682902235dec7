#include "ringcore/ops/multishot_accept.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/fifo.hpp"
#include "ringcore/detail/multishot.hpp"
#include "ringcore/ring.hpp"

namespace ringcore {

struct Acceptor::State : detail::MultishotState {
  int listen_fd = -1;
  detail::Fifo<int> ready;  // accepted, not yet handed out
  int error = 0;            // the error that ended the request, reported once by next()

  static void handle_cqe(detail::HandlerState* base, std::int32_t res, std::uint32_t flags) {
    auto* s = static_cast<State*>(base);
    s->count_cqe(flags);
    if (s->orphaned) {
      if (res >= 0) ::close(res);  // a connection that arrived after the Acceptor went
      if (!s->armed) delete s;
      return;
    }
    if (res >= 0) s->ready.push_back(res);
    else s->error = -res;  // EMFILE, ENFILE, ECANCELED...: next() reports it once, then re-arms
    s->wake();
  }

  void arm() {
    io_uring_sqe* sqe = detail::current_ring().get_sqe();
    io_uring_prep_multishot_accept(sqe, listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    submit_armed(sqe);
  }
};

Acceptor::Acceptor(int listen_fd) : state_(new State) {
  state_->on_cqe = &State::handle_cqe;
  state_->listen_fd = listen_fd;
}

Acceptor::~Acceptor() {
  state_->ready.for_each([](int fd) { ::close(fd); });
  state_->ready.clear();
  if (state_->orphan()) delete state_;
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
