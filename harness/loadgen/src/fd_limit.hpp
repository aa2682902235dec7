// Open-file limit: a run with C connections needs C descriptors plus a few of its own.
#pragma once

#include <cstdint>
#include <string>

namespace loadgen {

// Raises the soft RLIMIT_NOFILE to the hard limit; false (with the reason) when `needed`
// descriptors still do not fit.
bool ensure_fd_limit(std::uint64_t needed, std::string& error);

}  // namespace loadgen
