// Page-aligned I/O buffers: O_DIRECT needs them, and buffered reads do not mind them.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace libuv_backend {

inline constexpr std::size_t kDirectAlignment = 4096;

struct FreeDeleter {
  void operator()(char* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char, FreeDeleter>;

inline AlignedBuffer make_aligned_buffer(std::size_t size) {
  std::size_t rounded = (size + kDirectAlignment - 1) / kDirectAlignment * kDirectAlignment;
  auto* p = static_cast<char*>(std::aligned_alloc(kDirectAlignment, rounded));
  if (p == nullptr) throw std::bad_alloc();
  return AlignedBuffer(p);
}

}  // namespace libuv_backend
