// Fifo — the queue a multishot request's completions wait in until next() hands them out.
//
// std::deque would do the job, but it allocates a block when a queue moving through it crosses into
// a new one and frees the block it leaves: for a connection whose queue holds one item at a time,
// one malloc/free every 64 items, forever. Fifo is a circular array that keeps its storage: it
// allocates only when it must hold more items than ever before (first at 8, then doubling).
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

namespace ringcore::detail {

template <class T>
class Fifo {
  static_assert(std::is_trivially_copyable_v<T>, "items are moved around with plain copies");

 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return slots_.size(); }

  T& front() noexcept { return slots_[head_]; }

  void push_back(const T& item) {
    if (size_ == slots_.size()) grow();
    slots_[(head_ + size_) & mask()] = item;
    ++size_;
  }

  void pop_front() noexcept {
    head_ = (head_ + 1) & mask();
    --size_;
  }

  // Visits the items from the oldest to the newest.
  template <class F>
  void for_each(F&& visit) const {
    for (std::size_t i = 0; i < size_; ++i) visit(slots_[(head_ + i) & mask()]);
  }

  void clear() noexcept { head_ = size_ = 0; }

 private:
  std::size_t mask() const noexcept { return slots_.size() - 1; }  // the capacity is a power of two

  void grow() {
    std::vector<T> bigger(slots_.empty() ? 8 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = slots_[(head_ + i) & mask()];
    slots_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace ringcore::detail
