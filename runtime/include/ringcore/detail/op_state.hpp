// What the kernel's user_data points at. Every in-flight request's user_data is the address of its
// state (no lookup table), with a tag in the low bits saying what kind of state it is.
#pragma once

#include <coroutine>
#include <cstdint>

namespace ringcore::detail {

// A coroutine waiting for several completions at once (a linked chain, an op with its link
// timeout): it resumes when the last of them arrives, so every state outlives its own CQE.
struct CompletionGroup {
  unsigned pending = 0;
  std::coroutine_handle<> waiter;
};

// One single-shot request: its result lands here, then its waiter resumes.
struct alignas(8) OpState {
  std::coroutine_handle<> waiter;
  std::int32_t res = 0;
  std::uint32_t cqe_flags = 0;
  CompletionGroup* group = nullptr;
  bool done = false;  // the CQE has arrived (a late cancel request must not target a reused address)
};

// A request that handles its own CQEs through a plain function pointer (no allocation, no
// std::function): multishot requests (many CQEs; owned until a CQE without IORING_CQE_F_MORE) and
// composed ops that resubmit themselves (send_all after a short send) before resuming anyone.
struct alignas(8) HandlerState {
  void (*on_cqe)(HandlerState* self, std::int32_t res, std::uint32_t flags) = nullptr;
};

enum UserDataTag : std::uint64_t {
  kTagOp = 0,         // OpState*
  kTagHandler = 1,    // HandlerState*
  kTagIgnore = 2,     // nobody waits (cancel requests, fire-and-forget closes)
  kTagMask = 7,
};
static_assert(alignof(OpState) >= 8 && alignof(HandlerState) >= 8, "user_data tags need 3 free low bits");

inline std::uint64_t user_data_of(OpState* op) { return reinterpret_cast<std::uintptr_t>(op) | kTagOp; }
inline std::uint64_t user_data_of(HandlerState* op) {
  return reinterpret_cast<std::uintptr_t>(op) | kTagHandler;
}
inline constexpr std::uint64_t kIgnoredUserData = kTagIgnore;

}  // namespace ringcore::detail
