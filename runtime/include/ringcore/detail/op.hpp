// Op<Derived>: what every io_uring operation's awaitable shares. `co_await op` takes an SQE, lets the
// derived class fill it (prep), points user_data at this object, and suspends; the SQE goes to the
// kernel with the executor's next batch. The CQE's result comes back through await_resume.
//
// An Op is neither copyable nor movable: the kernel holds its address until the CQE arrives, and it
// lives in the awaiting coroutine's frame until then, together with any buffer the caller passed.
#pragma once

#include <liburing.h>

#include <cerrno>
#include <coroutine>
#include <optional>
#include <stop_token>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/op_state.hpp"
#include "ringcore/detail/trace.hpp"
#include "ringcore/ring.hpp"

namespace ringcore::detail {

// Asks the kernel to cancel `op` (IORING_OP_ASYNC_CANCEL); the op still finishes at its own CQE.
void request_cancel(OpState* op) noexcept;

template <class Derived>
class Op : public OpState {
 public:
  Op() = default;
  Op(const Op&) = delete;
  Op& operator=(const Op&) = delete;

  bool await_ready() const noexcept { return false; }

  void await_suspend(std::coroutine_handle<> h) {
    waiter = h;
    prepare(current_ring());
  }

  decltype(auto) await_resume() { return static_cast<Derived*>(this)->result(); }

  // Fills and queues this op's SQE. co_await calls it; so do link() and with_timeout(), with
  // IOSQE_IO_LINK in extra_flags for all but the last request of a chain.
  void prepare(Ring& ring, unsigned extra_flags = 0) {
    io_uring_sqe* sqe = ring.get_sqe();
    static_cast<Derived*>(this)->prep(sqe);
    sqe->flags |= static_cast<unsigned char>(extra_flags | sqe_flags_);
    io_uring_sqe_set_data64(sqe, user_data_of(static_cast<OpState*>(this)));
    if (ring.tracing()) [[unlikely]] trace_sqe(sqe);
  }

  // The op is cancelled (ECANCELED) when `token` is stopped while it is in flight:
  // `co_await read(...).cancel_on(token)`. The stop machinery lives in the returned awaiter, so ops
  // awaited without a token pay nothing for it. (The awaiter refers to this op, a temporary that
  // lives to the end of the full expression; ops themselves cannot be copied.)
  class CancelOn {
   public:
    CancelOn(Derived& op, std::stop_token token) : op_(op), token_(std::move(token)) {}
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> h) {
      if (token_.stop_requested()) {  // cancelled before it started: never reaches the kernel
        op_.res = -ECANCELED;
        op_.done = true;
        return false;
      }
      if (token_.stop_possible()) canceller_.emplace(token_, Canceller{&op_});
      op_.await_suspend(h);
      return true;
    }
    decltype(auto) await_resume() {
      canceller_.reset();
      return op_.await_resume();
    }

   private:
    struct Canceller {
      OpState* op;
      void operator()() const noexcept { request_cancel(op); }
    };
    Derived& op_;
    std::stop_token token_;
    std::optional<std::stop_callback<Canceller>> canceller_;
  };
  CancelOn cancel_on(std::stop_token token) { return CancelOn(static_cast<Derived&>(*this), std::move(token)); }

 protected:
  unsigned sqe_flags_ = 0;
};

}  // namespace ringcore::detail
