// link(op1, op2, ...): submit dependent requests as one IOSQE_IO_LINK chain, so the kernel runs
// them back to back from one io_uring_enter (e.g. read → write of the same buffer).
//
//   auto [r, w] = co_await ringcore::link(ringcore::read(in, buf, n, off), ringcore::write(out, buf, n));
//
// Each op sees its own result. If one fails, the kernel cancels the rest: they report ECANCELED.
// A read or write that transfers fewer bytes than asked also counts as failed for the chain (the
// kernel breaks the link on a short transfer), so a write after a short read reports ECANCELED and
// never writes stale bytes: handle the r bytes yourself (linked_cat shows how).
// The awaiter resumes only after every request of the chain has completed.
//
// Use it directly in a co_await expression: the ops are temporaries that live until the end of it.
#pragma once

#include <cstddef>
#include <tuple>
#include <utility>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/op_state.hpp"
#include "ringcore/ring.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore {

template <class... Ops>
class [[nodiscard]] LinkAwaiter {
 public:
  explicit LinkAwaiter(Ops&... ops) : ops_(ops...) {}
  LinkAwaiter(const LinkAwaiter&) = delete;
  LinkAwaiter& operator=(const LinkAwaiter&) = delete;

  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    Ring& ring = detail::current_ring();
    group_.pending = sizeof...(Ops);
    group_.waiter = h;
    ring.reserve(sizeof...(Ops));  // a chain split across two submits would not be linked
    // One read of the thread-local (GCC 12's UBSan check miscompiles a second one in some coroutines).
    if (Runtime* rt = detail::tl_runtime) rt->expect_completions(sizeof...(Ops));
    std::apply(
        [&](Ops&... op) {
          std::size_t i = 0;
          ((op.group = &group_, op.prepare(ring, ++i < sizeof...(Ops) ? IOSQE_IO_LINK : 0)), ...);
        },
        ops_);
  }
  auto await_resume() {
    return std::apply([](Ops&... op) { return std::make_tuple(op.result()...); }, ops_);
  }

 private:
  std::tuple<Ops&...> ops_;
  detail::CompletionGroup group_;
};

template <class... Ops>
LinkAwaiter<std::remove_reference_t<Ops>...> link(Ops&&... ops) {
  static_assert(sizeof...(Ops) >= 2, "a chain links at least two requests");
  return LinkAwaiter<std::remove_reference_t<Ops>...>(ops...);
}

}  // namespace ringcore
