// A fixed pool of threads for blocking work (file I/O), the way runtimes without io_uring do it
// (libuv's threadpool, Tokio's blocking pool): the caller submits tasks and later collects them
// finished. Tasks are intrusive, so submitting allocates nothing.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace epoll_pool {

class ThreadPool {
 public:
  // One unit of blocking work. Embed it in the job's own struct: `run` is called on a pool thread
  // with the task, and the task comes back from wait_completed(). The submitter owns the memory.
  struct Task {
    void (*run)(Task&) = nullptr;
    Task* next = nullptr;  // the pool's, between submit() and wait_completed()
  };

  explicit ThreadPool(unsigned threads);
  ~ThreadPool();  // finishes the queued tasks, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // max(2, hardware threads): enough to keep blocking calls overlapping on any machine.
  static unsigned default_size();

  void submit(Task& task);
  // Blocks until at least one task has run; returns every finished one, linked through `next`
  // (read a task's `next` before submitting it again).
  Task* wait_completed();

 private:
  void work();

  // Two locks, so workers finishing tasks do not contend with the submitter queueing new ones.
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  Task* queue_head_ = nullptr;
  Task* queue_tail_ = nullptr;
  bool stopping_ = false;

  // The caller waits on a condition variable, not an eventfd: it has nothing else to wait for.
  // (A loop that must also watch sockets would put an eventfd in its epoll set, as libuv does.)
  std::mutex done_mutex_;
  std::condition_variable done_ready_;
  Task* done_head_ = nullptr;

  std::vector<std::thread> threads_;
};

}  // namespace epoll_pool
