// NopOp — io_uring_prep_nop: a request that does nothing; the cost of one trip through the ring.
#pragma once

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class NopOp : public detail::Op<NopOp> {
 public:
  void prep(io_uring_sqe* sqe) { io_uring_prep_nop(sqe); }
  Result<void> result() const { return void_or_error(res); }
};

inline NopOp nop() { return {}; }

}  // namespace ringcore
