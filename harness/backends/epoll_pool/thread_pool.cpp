#include "thread_pool.hpp"

#include <algorithm>

namespace epoll_pool {

ThreadPool::ThreadPool(unsigned threads) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

unsigned ThreadPool::default_size() { return std::max(2u, std::thread::hardware_concurrency()); }

void ThreadPool::submit(Task& task) {
  task.next = nullptr;
  {
    std::lock_guard lock(queue_mutex_);
    (queue_tail_ ? queue_tail_->next : queue_head_) = &task;
    queue_tail_ = &task;
  }
  // After unlocking, so the woken worker does not block on the mutex we still hold. Without a
  // sleeping worker this costs no syscall.
  queue_ready_.notify_one();
}

ThreadPool::Task* ThreadPool::wait_completed() {
  std::unique_lock lock(done_mutex_);
  done_ready_.wait(lock, [this] { return done_head_ != nullptr; });
  Task* finished = done_head_;
  done_head_ = nullptr;
  return finished;
}

void ThreadPool::work() {
  for (;;) {
    Task* task;
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return queue_head_ != nullptr || stopping_; });
      if (queue_head_ == nullptr) return;  // stopping, and nothing left to run
      task = queue_head_;
      queue_head_ = task->next;
      if (queue_head_ == nullptr) queue_tail_ = nullptr;
    }
    task->run(*task);
    {
      std::lock_guard lock(done_mutex_);
      task->next = done_head_;
      done_head_ = task;
    }
    done_ready_.notify_one();
  }
}

}  // namespace epoll_pool
