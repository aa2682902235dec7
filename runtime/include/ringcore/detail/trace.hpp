// The opt-in trace (RINGCORE_TRACE=1): every SQE queued, every io_uring_enter, every CQE reaped and
// every coroutine resumed, on stderr. Off by default; when off each call site costs one predictable branch.
#pragma once

#include <liburing.h>

#include <coroutine>
#include <cstdint>

namespace ringcore {
struct Completion;
}

namespace ringcore::detail {

bool trace_from_env();
const char* opcode_name(unsigned opcode);
void trace_sqe(const io_uring_sqe* sqe);
void trace_enter(unsigned to_submit, unsigned wait_nr, int result);
void trace_cqe(const Completion& c);
void trace_resume(std::coroutine_handle<> h, std::uint64_t user_data);
void trace_note(const char* what, std::uint64_t value);

}  // namespace ringcore::detail
