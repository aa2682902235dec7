// Test files with the suite's data content (bench::fill_data) and their expected checksums.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "bench/checksum.hpp"

namespace conformance {

// `size` bytes of the data file's content (seeded, so different files differ).
inline std::string data_bytes(std::uint64_t size, std::uint64_t seed = 0) {
  std::string bytes(size, '\0');
  bench::fill_data(0, bytes.data(), bytes.size(), seed);
  return bytes;
}

inline bool write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), std::streamsize(bytes.size()));
  return bool(f.flush());
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// The checksum as the backends print it: 16 lowercase hex digits of bench::Checksum::value().
inline std::string checksum_hex(const std::string& bytes) {
  bench::Checksum sum;
  sum.add(0, bytes.data(), bytes.size());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(sum.value()));
  return hex;
}

}  // namespace conformance
