// backend-asio and backend-asio_uring: Boost.Asio behind the backend contract (harness/README.md).
#include "bench/backend.hpp"
#include "commands.hpp"
#include "reactor.hpp"

int main(int argc, char** argv) {
  const bench::Backend backend{asio_backend::kBackendName, &asio_backend::serve, &asio_backend::file_read,
                               &asio_backend::copy_chain};
  return bench::backend_main(argc, argv, backend);
}
