// The ringcore backend's three commands (see harness/README.md, "The backend contract").
#pragma once

#include "bench/backend.hpp"
#include "ringcore/ring.hpp"

namespace ringcore_backend {

int serve(const bench::ServeOptions& options);
int file_read(const bench::FileReadOptions& options);
int copy_chain(const bench::CopyChainOptions& options);

// The ring each command uses (1024-entry SQ, 4096-entry CQ).
//  - serve: SINGLE_ISSUER|DEFER_TASKRUN where the kernel has them: completions are processed only
//    when we wait, with no interrupts of the running loop (the fastest setup for sockets).
//  - file commands: COOP_TASKRUN. With DEFER_TASKRUN every storage completion wakes the waiting
//    loop on its own (about 3x the io_uring_enter calls at 4 KiB O_DIRECT, depth 16) and measured
//    ~10% slower here; COOP_TASKRUN lets completions gather between enters.
enum class Workload { network, files };
ringcore::RingOptions ring_options(Workload w);

}  // namespace ringcore_backend
