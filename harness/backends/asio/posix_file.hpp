// The POSIX side of the file commands: opening with exact flags, the size, page-aligned buffers.
// The backend opens files itself (instead of random_access_file::open) so that both builds open them
// exactly like every other backend: Asio's open would also apply posix_fadvise(POSIX_FADV_RANDOM),
// which turns off kernel readahead and would make a sequential read unfairly slow.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

namespace asio_backend {

// An owned file descriptor; -1 when empty.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC added. Empty on failure, with errno set.
UniqueFd open_file(const std::string& path, int flags, mode_t mode = 0644);

// fstat's st_size; false (errno set) on failure.
bool file_size(int fd, std::uint64_t& size);

// "<what> <path>: <strerror(err)>", the one-line reason bench::fail prints.
std::string io_failure(const char* what, const std::string& path, int err);

// O_DIRECT needs buffers (and lengths and offsets) aligned to the logical block; 4096 covers all.
inline constexpr std::size_t kDirectAlignment = 4096;
constexpr std::size_t align_up(std::size_t n) {
  return (n + kDirectAlignment - 1) / kDirectAlignment * kDirectAlignment;
}

// Page-aligned bytes, uninitialised; data() is null if the allocation failed.
class AlignedBuffer {
 public:
  explicit AlignedBuffer(std::size_t bytes)
      : data_(static_cast<char*>(std::aligned_alloc(kDirectAlignment, align_up(bytes == 0 ? 1 : bytes)))) {}
  char* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> data_;
};

}  // namespace asio_backend
