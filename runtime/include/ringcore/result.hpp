// ringcore::Result<T>: a value or a std::error_code. What every operation returns: the kernel's
// negative errno never reaches user code raw.
#pragma once

#include <cerrno>
#include <optional>
#include <system_error>
#include <utility>

namespace ringcore {

inline std::error_code errno_code(int err) { return {err, std::system_category()}; }

// io_uring takes 32-bit lengths; Linux itself never moves more than this in one call.
inline unsigned clamp_io_len(std::size_t len) { return unsigned(len < 0x7ffff000 ? len : 0x7ffff000); }

namespace detail {
// The error half of a Result. Kept as a value and a category pointer rather than a std::error_code:
// a default std::error_code calls std::system_category() out of line, on every successful op.
class ErrorSlot {
 public:
  ErrorSlot() = default;
  ErrorSlot(std::error_code e) : value_(e.value()), category_(e ? &e.category() : nullptr) {}
  explicit operator bool() const noexcept { return value_ != 0; }
  std::error_code code() const noexcept { return value_ ? std::error_code(value_, *category_) : std::error_code(); }

 private:
  int value_ = 0;
  const std::error_category* category_ = nullptr;
};
}  // namespace detail

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}
  Result(std::error_code error) : error_(error) {}

  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_.code(); }

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
    if (error_) throw std::system_error(error_.code());
  }
  std::optional<T> value_;
  detail::ErrorSlot error_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(std::error_code error) : error_(error) {}
  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  std::error_code error() const noexcept { return error_.code(); }
  void value() const {
    if (error_) throw std::system_error(error_.code());
  }

 private:
  detail::ErrorSlot error_;
};

// A CQE's res as a byte count or an error.
inline Result<std::size_t> bytes_or_error(int res) {
  if (res < 0) [[unlikely]] return errno_code(-res);
  return std::size_t(res);
}

inline Result<void> void_or_error(int res) {
  if (res < 0) [[unlikely]] return errno_code(-res);
  return {};
}

}  // namespace ringcore
