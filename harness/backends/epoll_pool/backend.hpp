// The epoll_pool backend's three commands (see harness/README.md, "The backend contract").
#pragma once

#include "bench/backend.hpp"

namespace epoll_pool {

int serve(const bench::ServeOptions& options);
int file_read(const bench::FileReadOptions& options);
int copy_chain(const bench::CopyChainOptions& options);

}  // namespace epoll_pool
