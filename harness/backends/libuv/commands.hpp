// The three commands of the backend contract, each on its own uv_loop.
#pragma once

#include "bench/backend.hpp"

namespace libuv_backend {

int serve(const bench::ServeOptions& options);           // server.cpp
int file_read(const bench::FileReadOptions& options);    // file_read.cpp
int copy_chain(const bench::CopyChainOptions& options);  // copy_chain.cpp

}  // namespace libuv_backend
