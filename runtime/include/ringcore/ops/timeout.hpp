// TimeoutOp — io_uring_prep_timeout: completes after a duration, with no file involved. The
// kernel's -ETIME means "the time passed", which is success here; -ECANCELED means it was cancelled.
#pragma once

#include <chrono>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

inline __kernel_timespec to_timespec(std::chrono::nanoseconds d) {
  if (d.count() < 0) d = std::chrono::nanoseconds(0);
  __kernel_timespec ts{};
  ts.tv_sec = d.count() / 1'000'000'000;
  ts.tv_nsec = d.count() % 1'000'000'000;
  return ts;
}

class TimeoutOp : public detail::Op<TimeoutOp> {
 public:
  explicit TimeoutOp(std::chrono::nanoseconds d) : ts_(to_timespec(d)) {}
  void prep(io_uring_sqe* sqe) { io_uring_prep_timeout(sqe, &ts_, 0, 0); }
  Result<void> result() const { return res == -ETIME ? Result<void>() : void_or_error(res); }

 private:
  __kernel_timespec ts_;  // read by the kernel at submission; kept here for the op's lifetime anyway
};

}  // namespace ringcore
