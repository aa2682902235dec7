// A connection's input bytes: read into the free tail, parse from the front, keep what is left.
// Reused for every request of the connection; grows only while one request is larger than it
// (bounded: the HTTP parser refuses requests beyond its limits).
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace bench {

class InputBuffer {
 public:
  explicit InputBuffer(std::size_t capacity)
      : data_(std::make_unique_for_overwrite<char[]>(capacity)), capacity_(capacity) {}

  char* tail() { return data_.get() + size_; }
  // Free bytes after the data; doubles the capacity first when there are none.
  std::size_t space() {
    if (size_ == capacity_) grow();
    return capacity_ - size_;
  }
  void commit(std::size_t n) { size_ += n; }
  std::string_view view() const { return {data_.get(), size_}; }
  // Drops `n` bytes from the front; the rest (a partial request) moves to the start.
  void clear() { size_ = 0; }
  void consume(std::size_t n) {
    size_ -= n;
    if (size_ > 0 && n > 0) std::memmove(data_.get(), data_.get() + n, size_);
  }

 private:
  void grow() {
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity_ * 2);
    std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ *= 2;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

}  // namespace bench
