// Runtime: the single-threaded executor. It owns one Ring and drives the loop of the README:
//   resume ready tasks → submit the queued SQEs and wait for at least one completion → resume the
//   tasks whose completions arrived → ...  until the root task passed to run() finishes.
// It only schedules: the ring talks to the kernel, the ops own their requests.
#pragma once

#include <coroutine>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "ringcore/buffer_ring.hpp"
#include "ringcore/detail/current.hpp"
#include "ringcore/ring.hpp"
#include "ringcore/task.hpp"

namespace ringcore {

struct RuntimeStats {
  std::uint64_t resumes = 0;          // coroutines resumed by a completion or from the ready queue
  std::uint64_t spawned = 0;          // tasks started with spawn()
  std::uint64_t task_exceptions = 0;  // spawned tasks that ended with an exception (printed to stderr)
  std::uint64_t loop_turns = 0;       // trips around the loop
};

class Runtime {
 public:
  // Sets up the ring (throws std::system_error with a clear message if the kernel refuses) and
  // makes this the runtime of the calling thread. One runtime per thread.
  explicit Runtime(const RingOptions& options = {});
  // Cancels whatever is still in flight, waits for every CQE (so no kernel write lands in freed
  // memory), then destroys the spawned tasks that never finished.
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs `root` to completion, driving every other task meanwhile; returns its value or rethrows.
  template <class T>
  T run(task<T> root) {
    auto h = root.handle();
    if (!h) throw std::invalid_argument("ringcore::Runtime::run: empty task");
    h.promise().started = true;
    schedule(h);
    while (!h.done()) {
      run_ready();
      if (h.done()) break;
      poll(/*may_wait=*/ready_.empty());
    }
    return h.promise().take();
  }

  // Starts `t` detached: the runtime owns it. An exception escaping it is printed and counted.
  void spawn(task<void> t);
  // Queues a coroutine to be resumed on the next turn of the loop.
  void schedule(std::coroutine_handle<> h) { ready_.push_back(h); }

  // A task is about to wait for the `n` completions of a linked chain: if those n requests are all
  // that is in flight, the next wait asks the kernel for all n at once instead of returning after
  // the first, saving an io_uring_enter per extra completion (a file copy's read → write). With
  // anything else in flight the loop waits for one, as always: see Runtime::poll.
  void expect_completions(unsigned n) {
    if (n > wait_hint_) wait_hint_ = n;
  }

  Ring& ring() { return ring_; }
  // A provided-buffer ring owned by the runtime: it outlives every task, and is unregistered only
  // after the shutdown drain, so no in-flight recv can land in (or recycle into) a freed ring.
  Result<BufferRing*> make_buffer_ring(std::uint16_t group, unsigned count, unsigned size);
  const RuntimeStats& stats() const { return stats_; }
  bool shutting_down() const { return shutting_down_; }
  // Resumes a coroutine whose completion arrived (not during shutdown: then nothing resumes).
  void resume(std::coroutine_handle<> h, std::uint64_t user_data = 0);

  // The runtime of this thread; throws std::logic_error if there is none.
  static Runtime& current();

  // Internal (task.hpp): detached-task bookkeeping.
  void adopt(detail::PromiseBase& p);
  void forget(detail::PromiseBase& p) noexcept;

 private:
  void run_ready();
  void poll(bool may_wait);
  void dispatch(const Completion& c);
  void drain_in_flight();

  Ring ring_;
  std::vector<std::unique_ptr<BufferRing>> buffer_rings_;  // destroyed before ring_, after the drain
  std::vector<std::coroutine_handle<>> ready_;
  std::vector<std::coroutine_handle<>> running_;
  detail::PromiseBase* detached_ = nullptr;  // head of the list of detached tasks
  RuntimeStats stats_;
  bool shutting_down_ = false;
  unsigned wait_hint_ = 1;
  // Batched waits (RingOptions::batch_wait_us): completions the last wait brought, capped.
  static constexpr std::size_t kMaxBatch = 256;
  unsigned batch_wait_us_ = 0;
  std::size_t last_batch_ = 0;
  Runtime* previous_ = nullptr;
};

// spawn() on this thread's runtime.
void spawn(task<void> t);

// Creates a runtime, runs `root` on it, tears it down.
template <class T>
T block_on(task<T> root, const RingOptions& options = {}) {
  Runtime rt(options);
  return rt.run(std::move(root));
}

// Gives other ready tasks a turn: `co_await ringcore::yield();`
struct yield {
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) const { Runtime::current().schedule(h); }
  void await_resume() const noexcept {}
};

}  // namespace ringcore
