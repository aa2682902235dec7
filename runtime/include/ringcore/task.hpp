// task<T>: a lazy coroutine. Nothing runs until it is awaited (or spawned / run); when it finishes it
// transfers control straight back to its awaiter (symmetric transfer: no stack growth, no queue),
// and an exception thrown inside reaches the awaiter.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "ringcore/detail/frame_pool.hpp"

namespace ringcore {

class Runtime;

namespace detail {

struct PromiseBase;
// Implemented by the runtime: what happens to tasks nobody awaits any more (see task's destructor).
bool orphan(PromiseBase& p, std::coroutine_handle<> h) noexcept;
void detached_done(PromiseBase& p) noexcept;

struct PromiseBase {
  std::coroutine_handle<> continuation;
  std::exception_ptr exception;
  bool started = false;
  bool detached = false;  // owned by the runtime (spawned or orphaned): destroys itself when done
  // The runtime's list of detached tasks, destroyed at shutdown once no request is in flight.
  PromiseBase* prev = nullptr;
  PromiseBase* next = nullptr;
  std::coroutine_handle<> self;

  // Frames are recycled per thread (detail/frame_pool.hpp): a task per request allocates nothing.
  static void* operator new(std::size_t size) { return allocate_frame(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { release_frame(frame, size); }

  struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      PromiseBase& p = h.promise();
      if (p.detached) {
        detached_done(p);
        h.destroy();
        return std::noop_coroutine();
      }
      return p.continuation ? p.continuation : std::noop_coroutine();
    }
    void await_resume() const noexcept {}
  };

  std::suspend_always initial_suspend() const noexcept { return {}; }
  FinalAwaiter final_suspend() const noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() {
    if (exception) std::rethrow_exception(exception);
    return std::move(*value);
  }
};

template <>
struct Promise<void> : PromiseBase {
  void return_void() const noexcept {}
  void take() const {
    if (exception) std::rethrow_exception(exception);
  }
};

}  // namespace detail

template <class T = void>
class [[nodiscard]] task {
 public:
  struct promise_type : detail::Promise<T> {
    task get_return_object() noexcept {
      auto h = std::coroutine_handle<promise_type>::from_promise(*this);
      this->self = h;
      return task(h);
    }
  };
  using handle_type = std::coroutine_handle<promise_type>;

  task() = default;
  task(task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  task& operator=(task&& o) noexcept {
    if (this != &o) {
      release();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  task(const task&) = delete;
  task& operator=(const task&) = delete;
  ~task() { release(); }

  struct Awaiter {
    handle_type h;
    bool await_ready() const noexcept { return !h || h.done(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
      h.promise().continuation = awaiting;
      h.promise().started = true;
      return h;  // start the task now, on this thread, without a trip through the scheduler
    }
    T await_resume() { return h.promise().take(); }
  };
  Awaiter operator co_await() & noexcept { return Awaiter{h_}; }
  Awaiter operator co_await() && noexcept { return Awaiter{h_}; }

  bool done() const noexcept { return !h_ || h_.done(); }
  handle_type handle() const noexcept { return h_; }
  // Gives up ownership of the coroutine (the runtime takes it for spawn()).
  handle_type release_handle() noexcept { return std::exchange(h_, {}); }

 private:
  explicit task(handle_type h) : h_(h) {}

  void release() noexcept {
    if (!h_) return;
    // A task that started but has not finished may have a request in flight whose CQE will write into
    // its frame: hand it to the runtime to finish on its own instead of freeing that memory now.
    if (h_.promise().started && !h_.done() && detail::orphan(h_.promise(), h_)) {
      h_ = {};
      return;
    }
    h_.destroy();
    h_ = {};
  }

  handle_type h_;
};

}  // namespace ringcore
