#include "data_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/checksum.hpp"

namespace workloads {
namespace {

constexpr std::size_t kChunk = 1 << 20;

std::runtime_error io_error(const std::string& what, const std::filesystem::path& path) {
  return std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

// Calls `each(offset, data, len)` for every chunk of the file; returns the bytes read.
template <class Each>
std::uint64_t read_chunks(const std::filesystem::path& path, Each&& each) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw io_error("cannot open", path);
  std::vector<char> buf(kChunk);
  std::uint64_t offset = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), off_t(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = io_error("cannot read", path);
      ::close(fd);
      throw e;
    }
    if (n == 0) break;
    each(offset, buf.data(), std::size_t(n));
    offset += std::uint64_t(n);
  }
  ::close(fd);
  return offset;
}

std::filesystem::path sidecar_of(const std::filesystem::path& data) { return data.string() + ".checksum"; }

// The sidecar holds "<size> <checksum hex>"; true when it describes `size` and the file has that size.
bool reusable(const std::filesystem::path& data, std::uint64_t size, std::uint64_t& checksum) {
  std::error_code ec;
  if (std::filesystem::file_size(data, ec) != size || ec) return false;
  std::ifstream in(sidecar_of(data));
  std::uint64_t recorded_size = 0;
  std::string hex;
  if (!(in >> recorded_size >> hex) || recorded_size != size || hex.size() != 16) return false;
  checksum = std::strtoull(hex.c_str(), nullptr, 16);
  return true;
}

DataFile generate(const std::filesystem::path& dir, std::uint64_t size) {
  std::filesystem::create_directories(dir);
  DataFile file;
  file.path = dir / ("data-" + std::to_string(size) + ".bin");
  file.size = size;
  if (reusable(file.path, size, file.checksum)) return file;

  std::fprintf(stderr, "generating %s (%" PRIu64 " bytes)\n", file.path.c_str(), size);
  std::filesystem::path tmp = file.path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error("cannot create", tmp);
  std::vector<unsigned char> buf(kChunk);
  bench::Checksum sum;
  for (std::uint64_t offset = 0; offset < size;) {
    std::size_t len = std::size_t(std::min<std::uint64_t>(kChunk, size - offset));
    bench::fill_data(offset, buf.data(), len);
    sum.add(offset, buf.data(), len);
    for (std::size_t done = 0; done < len;) {
      ssize_t n = ::write(fd, buf.data() + done, len - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        auto e = io_error("cannot write", tmp);
        ::close(fd);
        throw e;
      }
      done += std::size_t(n);
    }
    offset += len;
  }
  if (::close(fd) != 0) throw io_error("cannot write", tmp);
  std::filesystem::rename(tmp, file.path);
  file.checksum = sum.value();
  // The sidecar last: a file without one is regenerated, never trusted.
  std::ofstream(sidecar_of(file.path)) << size << ' ' << checksum_hex(file.checksum) << '\n';
  return file;
}

}  // namespace

const DataFile& data_file(const std::filesystem::path& dir, std::uint64_t size) {
  static std::map<std::pair<std::filesystem::path, std::uint64_t>, DataFile> made;
  auto key = std::make_pair(dir, size);
  auto it = made.find(key);
  if (it == made.end()) it = made.emplace(key, generate(dir, size)).first;
  return it->second;
}

void warm_page_cache(const std::filesystem::path& path) {
  read_chunks(path, [](std::uint64_t, const char*, std::size_t) {});
}

FileSum checksum_file(const std::filesystem::path& path) {
  bench::Checksum sum;
  FileSum result;
  result.bytes = read_chunks(path, [&](std::uint64_t offset, const char* data, std::size_t len) { sum.add(offset, data, len); });
  result.checksum = sum.value();
  return result;
}

std::string checksum_hex(std::uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, value);
  return buf;
}

}  // namespace workloads
