#include "ringcore/runtime.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <system_error>

#include "ringcore/detail/op_state.hpp"
#include "ringcore/detail/trace.hpp"

namespace ringcore {

namespace detail {

thread_local Runtime* tl_runtime = nullptr;
thread_local Ring* tl_ring = nullptr;

Ring& current_ring() {
  if (tl_ring == nullptr) [[unlikely]]
    throw std::logic_error("ringcore: an operation was awaited on a thread without a running ringcore::Runtime");
  return *tl_ring;
}

bool orphan(PromiseBase& p, std::coroutine_handle<> h) noexcept {
  Runtime* rt = tl_runtime;
  if (rt == nullptr || rt->shutting_down()) return false;  // nothing in flight can outlive the drain
  p.continuation = {};
  p.self = h;
  rt->adopt(p);
  return true;
}

void detached_done(PromiseBase& p) noexcept {
  if (Runtime* rt = tl_runtime) rt->forget(p);
  if (p.exception) {
    try {
      std::rethrow_exception(p.exception);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ringcore: a spawned task ended with an exception: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "ringcore: a spawned task ended with an unknown exception\n");
    }
  }
}

void request_cancel(OpState* op) noexcept {
  if (op->done || tl_ring == nullptr) return;
  try {
    io_uring_sqe* sqe = tl_ring->get_sqe();
    io_uring_prep_cancel64(sqe, user_data_of(op), 0);
    io_uring_sqe_set_data64(sqe, kIgnoredUserData);
    if (tl_ring->tracing()) trace_sqe(sqe);
  } catch (...) {
    // get_sqe only throws when the kernel refuses submissions; the op then completes on its own.
  }
}

}  // namespace detail

Runtime::Runtime(const RingOptions& options) : ring_(options), batch_wait_us_(options.batch_wait_us) {
  if (detail::tl_runtime != nullptr)
    throw std::logic_error("ringcore: a thread can run only one ringcore::Runtime at a time");
  previous_ = detail::tl_runtime;
  detail::tl_runtime = this;
  detail::tl_ring = &ring_;
  ready_.reserve(64);
  running_.reserve(64);
}

Runtime::~Runtime() {
  shutting_down_ = true;
  ready_.clear();
  drain_in_flight();
  if (ring_.in_flight() == 0) {
    // Safe now: no request can complete into these frames any more.
    while (detached_ != nullptr) {
      detail::PromiseBase* p = detached_;
      forget(*p);
      p->detached = false;
      p->self.destroy();
    }
    buffer_rings_.clear();
  } else {
    std::fprintf(stderr, "ringcore: %zu request(s) would not complete at shutdown; their tasks are leaked, not freed\n",
                 ring_.in_flight());
    for (auto& br : buffer_rings_) br.release();  // the kernel may still write there: leak, never free
  }
  detail::tl_runtime = previous_;
  detail::tl_ring = previous_ ? &previous_->ring() : nullptr;
}

Runtime& Runtime::current() {
  if (detail::tl_runtime == nullptr) throw std::logic_error("ringcore: no ringcore::Runtime on this thread");
  return *detail::tl_runtime;
}

void spawn(task<void> t) { Runtime::current().spawn(std::move(t)); }

Result<BufferRing*> Runtime::make_buffer_ring(std::uint16_t group, unsigned count, unsigned size) {
  auto br = BufferRing::create(ring_, group, count, size);
  if (!br) return br.error();
  buffer_rings_.push_back(std::move(*br));
  return buffer_rings_.back().get();
}

void Runtime::spawn(task<void> t) {
  auto h = t.release_handle();
  if (!h) return;
  h.promise().started = true;
  adopt(h.promise());
  ++stats_.spawned;
  schedule(h);
}

void Runtime::adopt(detail::PromiseBase& p) {
  p.detached = true;
  p.prev = nullptr;
  p.next = detached_;
  if (detached_) detached_->prev = &p;
  detached_ = &p;
}

void Runtime::forget(detail::PromiseBase& p) noexcept {
  if (p.exception) ++stats_.task_exceptions;
  if (p.prev) p.prev->next = p.next;
  else if (detached_ == &p) detached_ = p.next;
  if (p.next) p.next->prev = p.prev;
  p.prev = p.next = nullptr;
}

void Runtime::resume(std::coroutine_handle<> h, std::uint64_t user_data) {
  if (shutting_down_) return;
  ++stats_.resumes;
  if (ring_.tracing()) [[unlikely]] detail::trace_resume(h, user_data);
  h.resume();
}

void Runtime::run_ready() {
  // Swap so that tasks scheduled while these run wait for the next turn (fairness with I/O).
  running_.swap(ready_);
  for (auto h : running_) resume(h);
  running_.clear();
}

void Runtime::poll(bool may_wait) {
  ++stats_.loop_turns;
  int r;
  if (may_wait) {
    if (ring_.in_flight() == 0)
      throw std::logic_error("ringcore::Runtime::run: the root task is waiting, but no request is in flight and no task "
                             "is ready (a deadlock)");
    // The hint counts only when the chain's requests are all that is in flight. With anything else
    // in flight, a wait for n completions would sleep through that other completion until the chain
    // finished, and a chain waiting on the network may need that very completion to finish.
    unsigned wait_nr = ring_.in_flight() <= wait_hint_ ? unsigned(ring_.in_flight()) : 1;
    if (batch_wait_us_ > 0 && wait_hint_ <= 1 && last_batch_ > 1) {
      // As many as the last turn brought: under load one wake-up then serves a whole batch; the
      // kernel returns after batch_wait_us_ with whatever is ready, so a lull costs at most that.
      r = ring_.submit_and_wait_batch(unsigned(std::min<std::size_t>(last_batch_, ring_.in_flight())), batch_wait_us_);
    } else {
      r = ring_.submit_and_wait(wait_nr);  // at least 1: something is in flight (checked above)
    }
  } else {
    r = ring_.submit_and_wait(0);
  }
  if (r < 0 && r != -EINTR && r != -ETIME && r != -EBUSY && r != -EAGAIN)
    throw std::system_error(-r, std::system_category(), "io_uring_enter");
  wait_hint_ = 1;
  std::size_t reaped = ring_.reap([this](const Completion& c) { dispatch(c); });
  if (may_wait) last_batch_ = std::min<std::size_t>(reaped, kMaxBatch);
}

void Runtime::dispatch(const Completion& c) {
  switch (c.user_data & detail::kTagMask) {
    case detail::kTagOp: {
      auto* op = reinterpret_cast<detail::OpState*>(c.user_data & ~detail::kTagMask);
      op->res = c.res;
      op->cqe_flags = c.flags;
      op->done = true;
      std::coroutine_handle<> h = op->waiter;
      if (detail::CompletionGroup* g = op->group) {
        if (--g->pending != 0) return;  // the others of the chain are still owed
        h = g->waiter;
      }
      // dispatch() never runs during the shutdown drain for single-shot ops: resume directly.
      ++stats_.resumes;
      if (ring_.tracing()) [[unlikely]] detail::trace_resume(h, c.user_data);
      h.resume();
      return;
    }
    case detail::kTagHandler: {
      auto* ms = reinterpret_cast<detail::HandlerState*>(c.user_data & ~detail::kTagMask);
      ms->on_cqe(ms, c.res, c.flags);
      return;
    }
    default:
      return;  // cancel requests and other fire-and-forget requests
  }
}

void Runtime::drain_in_flight() {
  using namespace std::chrono;
  auto deadline = steady_clock::now() + seconds(10);
  bool cancel_sent = false;
  auto last_cancel = steady_clock::now();
  while (ring_.in_flight() > 0 && steady_clock::now() < deadline) {
    if (!cancel_sent || steady_clock::now() - last_cancel > milliseconds(200)) {
      // One request cancels everything in flight (IORING_ASYNC_CANCEL_ANY, Linux 5.19+).
      io_uring_sqe* sqe = ring_.get_sqe();
      io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
      io_uring_sqe_set_data64(sqe, detail::kIgnoredUserData);
      cancel_sent = true;
      last_cancel = steady_clock::now();
    }
    ring_.submit_and_wait_timeout(1, 50'000'000);
    ring_.reap([this](const Completion& c) {
      // Multishot owners still see their CQEs so they can close what they were given; nobody resumes.
      if ((c.user_data & detail::kTagMask) == detail::kTagHandler) dispatch(c);
      else if ((c.user_data & detail::kTagMask) == detail::kTagOp)
        reinterpret_cast<detail::OpState*>(c.user_data & ~detail::kTagMask)->done = true;
    });
  }
}

}  // namespace ringcore
