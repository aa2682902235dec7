// The ringcore backend's three commands (see harness/README.md, "The backend contract").
#pragma once

#include "bench/backend.hpp"
#include "ringcore/ring.hpp"

namespace ringcore_backend {

int serve(const bench::ServeOptions& options);
int file_read(const bench::FileReadOptions& options);
int copy_chain(const bench::CopyChainOptions& options);

// The ring every command uses: SINGLE_ISSUER|DEFER_TASKRUN where the kernel has them (completions
// are processed only when we wait, no interrupts), a 1024-entry SQ, a 4096-entry CQ.
ringcore::RingOptions ring_options();

}  // namespace ringcore_backend
