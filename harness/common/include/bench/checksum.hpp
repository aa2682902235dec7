// The content checksum every file workload reports and the runner verifies.
// Linear in the data and weighted by position, so blocks may be added in any order (async backends
// complete out of order) and at any byte offset (short reads), and one wrong byte always changes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace bench {

class Checksum {
 public:
  // Adds the bytes that sit at file offset `offset`.
  void add(std::uint64_t offset, const void* data, std::size_t len) {
    const auto* p = static_cast<const unsigned char*>(data);
    while (len > 0 && (offset & 7) != 0) {  // unaligned head, byte by byte
      add_byte(offset++, *p++);
      --len;
    }
    std::uint64_t index = offset >> 3;
    std::uint64_t sum = 0;
    std::size_t words = len >> 3;
    for (std::size_t i = 0; i < words; ++i) {
      std::uint64_t w;
      std::memcpy(&w, p + 8 * i, 8);
      sum += w * (2 * (index + i) + 1);
    }
    h_ += sum;
    offset += 8 * words;
    p += 8 * words;
    len -= 8 * words;
    while (len > 0) {  // tail
      add_byte(offset++, *p++);
      --len;
    }
  }

  // Final value: a mixed form of the sum, so nearby sums print differently.
  std::uint64_t value() const {
    std::uint64_t x = h_ ^ 0x9E3779B97F4A7C15ULL;
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
  }

  void merge(const Checksum& other) { h_ += other.h_; }

 private:
  void add_byte(std::uint64_t offset, unsigned char b) {
    h_ += (std::uint64_t(b) << (8 * (offset & 7))) * (2 * (offset >> 3) + 1);
  }
  std::uint64_t h_ = 0;
};

// The data file's content: word i (little-endian) is splitmix64(i + seed), so any size is
// reproducible without storing the file.
inline std::uint64_t data_word(std::uint64_t index, std::uint64_t seed = 0) {
  std::uint64_t z = index + seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Fills buf with the data file's bytes at `offset` (a multiple of 8).
inline void fill_data(std::uint64_t offset, void* buf, std::size_t len, std::uint64_t seed = 0) {
  auto* p = static_cast<unsigned char*>(buf);
  std::uint64_t index = offset >> 3;
  for (std::size_t i = 0; i < len; i += 8, ++index) {
    std::uint64_t w = data_word(index, seed);
    std::memcpy(p + i, &w, len - i < 8 ? len - i : 8);
  }
}

}  // namespace bench
