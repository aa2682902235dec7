// Time: sleep_for (IORING_OP_TIMEOUT) and with_timeout (the op linked to an IORING_OP_LINK_TIMEOUT,
// so the kernel cancels it when the time is up).
#pragma once

#include <chrono>
#include <coroutine>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/op.hpp"
#include "ringcore/ops/timeout.hpp"
#include "ringcore/result.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore {

// Parks the calling task for `d` without blocking the thread: `co_await sleep_for(10ms);`
inline TimeoutOp sleep_for(std::chrono::nanoseconds d) { return TimeoutOp(d); }

// Awaits `op` but gives up after `d`: the result is the op's own, or std::errc::timed_out when the
// timeout cancelled it. Resumes only after both the op's and the timer's CQEs have arrived, so
// nothing the kernel still holds is freed early. Use directly in a co_await expression.
template <class Op>
class [[nodiscard]] TimeoutAwaiter {
 public:
  TimeoutAwaiter(Op& op, std::chrono::nanoseconds d) : op_(op), ts_(to_timespec(d)) {}
  TimeoutAwaiter(const TimeoutAwaiter&) = delete;
  TimeoutAwaiter& operator=(const TimeoutAwaiter&) = delete;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    Ring& ring = detail::current_ring();
    group_.pending = 2;
    group_.waiter = h;
    ring.reserve(2);
    // No Runtime::expect_completions(2) here: the op may wait on the network, and a loop that asks
    // the kernel for two completions can sleep through the first. With it, a recv whose socket had
    // received the peer's FIN stayed pending until its link timeout fired (multishot_accept_test
    // under load: at least 5 failures in 1,280 runs; none in 2,000 without).
    op_.group = &group_;
    op_.prepare(ring, IOSQE_IO_LINK);
    timer_.group = &group_;
    io_uring_sqe* sqe = ring.get_sqe();
    io_uring_prep_link_timeout(sqe, &ts_, 0);
    io_uring_sqe_set_data64(sqe, detail::user_data_of(&timer_));
    if (ring.tracing()) [[unlikely]] detail::trace_sqe(sqe);
  }
  auto await_resume() -> decltype(std::declval<Op&>().result()) {
    // The timer's CQE says -ETIME when it fired (the op then reports -ECANCELED, or -EINTR).
    if (timer_.res == -ETIME && (op_.res == -ECANCELED || op_.res == -EINTR)) return errno_code(ETIMEDOUT);
    return op_.result();
  }
  bool timed_out() const { return timer_.res == -ETIME; }

 private:
  Op& op_;
  __kernel_timespec ts_;
  detail::OpState timer_;
  detail::CompletionGroup group_;
};

template <class Op>
TimeoutAwaiter<std::remove_reference_t<Op>> with_timeout(Op&& op, std::chrono::nanoseconds d) {
  return TimeoutAwaiter<std::remove_reference_t<Op>>(op, d);
}

}  // namespace ringcore
