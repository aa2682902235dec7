// The std backend's three commands (see harness/README.md, "The backend contract").
#pragma once

#include "bench/backend.hpp"

namespace std_backend {

int serve(const bench::ServeOptions& options);
int file_read(const bench::FileReadOptions& options);
int copy_chain(const bench::CopyChainOptions& options);

}  // namespace std_backend
