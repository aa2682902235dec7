// A copy of some bytes in a heap block of exactly that size, so AddressSanitizer reports a read even
// one byte past the end. A view into the middle of libFuzzer's input, or a std::string (whose
// terminating NUL and spare capacity are readable), would let such a read pass unnoticed. Empty
// bytes get no block at all: any read through the null pointer faults.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

class ExactCopy {
 public:
  explicit ExactCopy(std::string_view bytes)
      : size_(bytes.size()), data_(bytes.empty() ? nullptr : new char[bytes.size()]) {
    if (!bytes.empty()) std::memcpy(data_.get(), bytes.data(), bytes.size());
  }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::size_t size_;
  std::unique_ptr<char[]> data_;
};
