// The input file the file workloads read and copy: `<data dir>/data-<size>.bin`, filled with
// bench::fill_data, generated once and reused while its size matches and its checksum sidecar
// (`.checksum`) agrees, so a run does not rewrite 100 MiB every time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace workloads {

struct DataFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::uint64_t checksum = 0;  // bench::Checksum::value() of the whole content
};

// Generates the file when needed. Throws std::runtime_error on an I/O failure.
const DataFile& data_file(const std::filesystem::path& dir, std::uint64_t size);

// Reads the file once through the page cache, so a "warm" run finds every page cached.
void warm_page_cache(const std::filesystem::path& path);

struct FileSum {
  std::uint64_t bytes = 0;
  std::uint64_t checksum = 0;
};
// Size and bench::Checksum of a file's content (how the runner validates a copy).
FileSum checksum_file(const std::filesystem::path& path);

// 16 lowercase hex digits, as the backends print `checksum`.
std::string checksum_hex(std::uint64_t value);

}  // namespace workloads
