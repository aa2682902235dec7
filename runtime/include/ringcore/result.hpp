// ringcore::Result<T>: a value or a std::error_code. What every operation returns: the kernel's
// negative errno never reaches user code raw.
#pragma once

#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

namespace ringcore {

inline std::error_code errno_code(int err) { return {err, std::system_category()}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(std::error_code error) : error_(error) {}

  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_; }

  // Throws std::system_error when this holds an error.
  T& value() & { check(); return *value_; }
  const T& value() const& { check(); return *value_; }
  T&& value() && { check(); return std::move(*value_); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  T value_or(T other) const { return has_value() ? *value_ : other; }

 private:
  void check() const {
    if (error_) throw std::system_error(error_);
  }
  std::optional<T> value_;
  std::error_code error_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(std::error_code error) : error_(error) {}
  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_; }
  void value() const {
    if (error_) throw std::system_error(error_);
  }

 private:
  std::error_code error_;
};

// A CQE's res as a byte count or an error.
inline Result<std::size_t> bytes_or_error(int res) {
  if (res < 0) return errno_code(-res);
  return std::size_t(res);
}

inline Result<void> void_or_error(int res) {
  if (res < 0) return errno_code(-res);
  return {};
}

}  // namespace ringcore
