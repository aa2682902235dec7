// SendAllOp — io_uring_prep_send, repeated: sends every byte of a buffer. A short send is followed
// by another send of the rest straight from the completion handler, without resuming the caller or
// allocating anything; the caller resumes once, when all is sent or on the first error.
#pragma once

#include <sys/socket.h>

#include <coroutine>
#include <cstddef>

#include "ringcore/detail/current.hpp"
#include "ringcore/detail/op_state.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class SendAllOp : public detail::HandlerState {
 public:
  SendAllOp(int fd, const void* buf, std::size_t len, bool fixed_file)
      : fd_(fd), p_(static_cast<const char*>(buf)), left_(len), fixed_(fixed_file) {
    on_cqe = &handle;
  }
  SendAllOp(const SendAllOp&) = delete;
  SendAllOp& operator=(const SendAllOp&) = delete;

  bool await_ready() const noexcept { return left_ == 0; }
  void await_suspend(std::coroutine_handle<> h) {
    waiter_ = h;
    submit();
  }
  Result<void> await_resume() const {
    if (error_ != 0) return errno_code(error_);
    return {};
  }
  // Bytes sent so far (all of them unless an error stopped it).
  std::size_t sent() const { return sent_; }

 private:
  void submit();
  static void handle(detail::HandlerState* self, std::int32_t res, std::uint32_t flags);

  int fd_;
  const char* p_;
  std::size_t left_;
  std::size_t sent_ = 0;
  bool fixed_;
  int error_ = 0;
  std::coroutine_handle<> waiter_;
};

inline SendAllOp send_all(int fd, const void* buf, std::size_t len) { return SendAllOp(fd, buf, len, false); }

}  // namespace ringcore
