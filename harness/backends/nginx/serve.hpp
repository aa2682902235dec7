// serve --proto http: runs nginx until SIGTERM/SIGINT and reports its counters.
#pragma once

#include "bench/backend.hpp"

namespace nginx_backend {

int serve(const bench::ServeOptions& options);

}  // namespace nginx_backend
