// The echo payload: byte i of request r on connection c. Every (c, r) pair gets its own
// pseudo-random stream, so a reply that belongs to another connection or another request
// (cross-talk, reordering, a stale buffer) differs within the first few bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace loadgen {

inline std::uint64_t splitmix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class EchoPattern {
 public:
  EchoPattern(std::uint64_t connection, std::uint64_t request)
      : seed_(splitmix64((connection << 40) ^ request ^ 0x5EED'0000'0000'0000ULL)) {}

  // Writes the bytes at [offset, offset + len) of this request's payload into out.
  void fill(std::uint64_t offset, unsigned char* out, std::size_t len) const {
    std::uint64_t word = offset >> 3;
    std::size_t skip = offset & 7;
    while (len > 0) {
      std::uint64_t w = splitmix64(seed_ + word++);
      unsigned char bytes[8];
      std::memcpy(bytes, &w, 8);
      std::size_t n = 8 - skip < len ? 8 - skip : len;
      std::memcpy(out, bytes + skip, n);
      out += n;
      len -= n;
      skip = 0;
    }
  }

  unsigned char at(std::uint64_t offset) const {
    unsigned char b;
    fill(offset, &b, 1);
    return b;
  }

 private:
  std::uint64_t seed_;
};

}  // namespace loadgen
