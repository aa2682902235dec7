// The ring of the runtime running on this thread. One runtime (and ring) per thread.
#pragma once

namespace ringcore {
class Ring;
class Runtime;
}  // namespace ringcore

namespace ringcore::detail {

extern thread_local Runtime* tl_runtime;
extern thread_local Ring* tl_ring;

// Throws std::logic_error when no runtime runs on this thread (an op awaited outside run()).
Ring& current_ring();

}  // namespace ringcore::detail
