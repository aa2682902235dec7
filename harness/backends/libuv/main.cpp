// backend-libuv: the backend contract (harness/README.md) written the way libuv's own code is.
#include "bench/backend.hpp"
#include "commands.hpp"

int main(int argc, char** argv) {
  using namespace libuv_backend;
  return bench::backend_main(argc, argv, bench::Backend{"libuv", serve, file_read, copy_chain});
}
