// backend-nginx: nginx as the HTTP reference point. It serves HTTP only; everything else is a skip.
#include "bench/backend.hpp"
#include "serve.hpp"

namespace {

constexpr const char* kHttpOnly = "nginx is an HTTP-only reference";

int file_read(const bench::FileReadOptions&) { return bench::skip(kHttpOnly); }
int copy_chain(const bench::CopyChainOptions&) { return bench::skip(kHttpOnly); }

}  // namespace

int main(int argc, char** argv) {
  return bench::backend_main(argc, argv, bench::Backend{"nginx", nginx_backend::serve, file_read, copy_chain});
}
