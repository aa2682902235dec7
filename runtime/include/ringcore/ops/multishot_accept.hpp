// Acceptor — io_uring_prep_multishot_accept: ONE accept request that keeps producing a CQE per
// incoming connection (IORING_CQE_F_MORE set while it stays armed). next() hands out the
// connections in order; when the kernel ends the request (a CQE without F_MORE: an error such as
// EMFILE, or a cancellation) the next call to next() re-arms it.
//
// The state the kernel writes to lives on the heap and is owned by whichever comes last: the
// Acceptor, or the request's final CQE. Destroying an armed Acceptor cancels the request; its state
// is freed at the final CQE, and connections that arrive meanwhile are closed.
#pragma once

#include <coroutine>
#include <cstdint>

#include "ringcore/detail/op_state.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class Acceptor {
 public:
  explicit Acceptor(int listen_fd);
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  struct NextAwaiter {
    Acceptor& self;
    bool await_ready() const noexcept;
    bool await_suspend(std::coroutine_handle<> h);
    Result<int> await_resume();
  };
  // The next accepted connection's descriptor, or the error that ended the request (EMFILE,
  // ENFILE, ECANCELED...): the caller decides whether to back off; the next call re-arms.
  NextAwaiter next() { return NextAwaiter{*this}; }

  // How many CQEs the kernel posted for how many accept SQEs.
  std::uint64_t cqes() const;
  std::uint64_t sqes() const;
  bool armed() const;

 private:
  struct State;
  State* state_;
};

}  // namespace ringcore
