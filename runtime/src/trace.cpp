#include "ringcore/detail/trace.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "ringcore/ring.hpp"

namespace ringcore::detail {

bool trace_from_env() {
  const char* v = std::getenv("RINGCORE_TRACE");
  return v && *v && std::strcmp(v, "0") != 0;
}

const char* opcode_name(unsigned opcode) {
  switch (opcode) {
    case IORING_OP_NOP: return "NOP";
    case IORING_OP_READV: return "READV";
    case IORING_OP_WRITEV: return "WRITEV";
    case IORING_OP_FSYNC: return "FSYNC";
    case IORING_OP_READ_FIXED: return "READ_FIXED";
    case IORING_OP_WRITE_FIXED: return "WRITE_FIXED";
    case IORING_OP_POLL_ADD: return "POLL_ADD";
    case IORING_OP_POLL_REMOVE: return "POLL_REMOVE";
    case IORING_OP_SENDMSG: return "SENDMSG";
    case IORING_OP_RECVMSG: return "RECVMSG";
    case IORING_OP_TIMEOUT: return "TIMEOUT";
    case IORING_OP_TIMEOUT_REMOVE: return "TIMEOUT_REMOVE";
    case IORING_OP_ACCEPT: return "ACCEPT";
    case IORING_OP_ASYNC_CANCEL: return "ASYNC_CANCEL";
    case IORING_OP_LINK_TIMEOUT: return "LINK_TIMEOUT";
    case IORING_OP_CONNECT: return "CONNECT";
    case IORING_OP_OPENAT: return "OPENAT";
    case IORING_OP_CLOSE: return "CLOSE";
    case IORING_OP_STATX: return "STATX";
    case IORING_OP_READ: return "READ";
    case IORING_OP_WRITE: return "WRITE";
    case IORING_OP_SEND: return "SEND";
    case IORING_OP_RECV: return "RECV";
    case IORING_OP_SHUTDOWN: return "SHUTDOWN";
    case IORING_OP_SOCKET: return "SOCKET";
    default: return "OP";
  }
}

void trace_sqe(const io_uring_sqe* sqe) {
  std::fprintf(stderr, "[ringcore] sqe    %-12s fd=%d len=%u off=%lld flags=0x%x user_data=0x%llx\n",
               opcode_name(sqe->opcode), sqe->fd, sqe->len, (long long)sqe->off, unsigned(sqe->flags),
               (unsigned long long)sqe->user_data);
}

void trace_enter(unsigned to_submit, unsigned wait_nr, int result) {
  std::fprintf(stderr, "[ringcore] enter  to_submit=%u wait_nr=%u -> %d\n", to_submit, wait_nr, result);
}

void trace_cqe(const Completion& c) {
  std::fprintf(stderr, "[ringcore] cqe    user_data=0x%llx res=%d flags=0x%x%s\n", (unsigned long long)c.user_data,
               c.res, c.flags, (c.flags & IORING_CQE_F_MORE) ? " (more to come)" : "");
}

void trace_resume(std::coroutine_handle<> h, std::uint64_t user_data) {
  std::fprintf(stderr, "[ringcore] resume coroutine=%p (user_data=0x%llx)\n", h.address(),
               (unsigned long long)user_data);
}

void trace_note(const char* what, std::uint64_t value) {
  std::fprintf(stderr, "[ringcore] %s %llu\n", what, (unsigned long long)value);
}

}  // namespace ringcore::detail
