// The three commands of the backend contract (harness/README.md), each in its own file.
#pragma once

#include "bench/backend.hpp"

namespace asio_backend {

int serve(const bench::ServeOptions& options);           // serve.cpp
int file_read(const bench::FileReadOptions& options);    // file_read.cpp
int copy_chain(const bench::CopyChainOptions& options);  // copy_chain.cpp

}  // namespace asio_backend
