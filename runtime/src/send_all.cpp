#include "ringcore/ops/send_all.hpp"

#include <liburing.h>

#include "ringcore/detail/trace.hpp"
#include "ringcore/ring.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore {

void SendAllOp::submit() {
  Ring& ring = detail::current_ring();
  io_uring_sqe* sqe = ring.get_sqe();
  io_uring_prep_send(sqe, fd_, p_, clamp_io_len(left_), MSG_NOSIGNAL);  // EPIPE as a result, never SIGPIPE
  if (fixed_) sqe->flags |= IOSQE_FIXED_FILE;
  io_uring_sqe_set_data64(sqe, detail::user_data_of(static_cast<detail::HandlerState*>(this)));
  if (ring.tracing()) [[unlikely]] detail::trace_sqe(sqe);
}

void SendAllOp::handle(detail::HandlerState* base, std::int32_t res, std::uint32_t) {
  auto* self = static_cast<SendAllOp*>(base);
  Runtime& rt = Runtime::current();
  if (res > 0) {
    self->p_ += res;
    self->left_ -= std::size_t(res);
    self->sent_ += std::size_t(res);
    // The rest of a short send goes out from here; not while the runtime is shutting down.
    if (self->left_ > 0 && !rt.shutting_down()) {
      self->submit();
      return;
    }
  } else {
    self->error_ = res < 0 ? -res : EPIPE;  // 0 bytes for a non-empty send: the peer is gone
  }
  rt.resume(self->waiter_);
}

}  // namespace ringcore
