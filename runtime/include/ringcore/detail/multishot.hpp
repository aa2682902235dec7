// What every multishot request's state shares (Acceptor, RecvStream).
//
// One SQE, many CQEs: the kernel keeps the request while it sets IORING_CQE_F_MORE, and the CQE
// without it is the last. Until that CQE the kernel may still post to the state's address, so the
// state lives on the heap and belongs to whichever goes last: its owner (the Acceptor or
// RecvStream), or that final CQE. An owner that goes first orphans the state: the request is
// cancelled, and the final CQE frees it.
#pragma once

#include <liburing.h>

#include <coroutine>
#include <cstdint>

#include "ringcore/detail/op_state.hpp"

namespace ringcore::detail {

struct MultishotState : HandlerState {
  bool armed = false;     // the kernel holds the request: its final CQE is still due
  bool orphaned = false;  // the owner is gone: the final CQE frees the state
  std::coroutine_handle<> waiter;  // a next() waiting for something to hand out
  std::uint64_t cqes = 0, sqes = 0;

  // Every CQE first: counts it, and notes when it is the request's last.
  void count_cqe(std::uint32_t flags) noexcept {
    ++cqes;
    if (!(flags & IORING_CQE_F_MORE)) armed = false;
  }

  // Hands `sqe`, prepared by the caller, to the ring as this request.
  void submit_armed(io_uring_sqe* sqe);

  // Resumes the waiting next(), if there is one.
  void wake();

  // For the owner's destructor. True: nothing is due, delete the state now. False: the request is
  // cancelled and the final CQE (see `orphaned`) deletes the state.
  [[nodiscard]] bool orphan();
};

}  // namespace ringcore::detail
