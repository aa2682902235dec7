// The ringcore backend's three commands (see harness/README.md, "The backend contract").
#pragma once

#include <system_error>

#include "bench/backend.hpp"
#include "ring_config.hpp"
#include "ringcore/ring.hpp"

namespace ringcore_backend {

int serve(const bench::ServeOptions& options);
int file_read(const bench::FileReadOptions& options);
int copy_chain(const bench::CopyChainOptions& options);

// The ring setup failed. Under a named configuration the kernel refused what was asked for: not
// supported here (77, with the reason); otherwise only missing privileges or io_uring are a skip.
int ring_setup_failed(const RingConfig& c, const std::system_error& e);

// The JSON keys every command adds: its configuration, what was active, and the ring's counters
// (`enters`: io_uring_enter calls since `enters_before`, the ring's own count).
void add_ring_report(bench::JsonLine& line, const RingConfig& c, const ringcore::Ring& ring, bool fixed_used,
                     bool bufring_used, bool linked_used, std::uint64_t enters_before = 0);

}  // namespace ringcore_backend
