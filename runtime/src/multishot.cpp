#include "ringcore/detail/multishot.hpp"

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/trace.hpp"
#include "ringcore/ring.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore::detail {

void MultishotState::submit_armed(io_uring_sqe* sqe) {
  io_uring_sqe_set_data64(sqe, user_data_of(static_cast<HandlerState*>(this)));
  if (tl_ring->tracing()) [[unlikely]] trace_sqe(sqe);
  armed = true;
  ++sqes;
}

void MultishotState::wake() {
  if (!waiter) return;
  auto h = waiter;
  waiter = {};
  Runtime::current().resume(h);
}

bool MultishotState::orphan() {
  if (!armed) return true;
  orphaned = true;
  waiter = {};
  // Outside any runtime there is no ring to cancel on: the state stays orphaned, leaked rather than
  // freed while a kernel might still write to it.
  if (tl_ring != nullptr) {
    io_uring_sqe* sqe = tl_ring->get_sqe();
    io_uring_prep_cancel64(sqe, user_data_of(static_cast<HandlerState*>(this)), 0);
    io_uring_sqe_set_data64(sqe, kIgnoredUserData);
  }
  return false;
}

}  // namespace ringcore::detail
