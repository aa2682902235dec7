// WaitGroup: one task waits until N others have finished (Go's sync.WaitGroup, single-threaded).
//   WaitGroup wg; wg.add(n); spawn(worker(wg))...  (each worker calls wg.done())  co_await wg.wait();
#pragma once

#include <coroutine>
#include <cstddef>

#include "ringcore/runtime.hpp"

namespace ringcore {

class WaitGroup {
 public:
  void add(std::size_t n = 1) { count_ += n; }
  void done() {
    if (count_ > 0 && --count_ == 0 && waiter_) {
      auto h = waiter_;
      waiter_ = {};
      Runtime::current().schedule(h);
    }
  }
  std::size_t count() const { return count_; }

  struct Awaiter {
    WaitGroup& wg;
    bool await_ready() const noexcept { return wg.count_ == 0; }
    void await_suspend(std::coroutine_handle<> h) noexcept { wg.waiter_ = h; }
    void await_resume() const noexcept {}
  };
  // Completes when the count is zero. One waiter at a time.
  Awaiter wait() { return Awaiter{*this}; }

 private:
  std::size_t count_ = 0;
  std::coroutine_handle<> waiter_;
};

}  // namespace ringcore
