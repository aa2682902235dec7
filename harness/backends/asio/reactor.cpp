#include "reactor.hpp"

#include <string>

#include "bench/backend.hpp"

namespace asio_backend {

std::optional<int> start_reactor(asio::io_context& context) {
  try {
    // Asio creates the reactor lazily, inside the first I/O object's constructor, and reports a
    // failure by throwing from there. A throwaway timer makes that happen here, before any work.
    Timer probe(context.get_executor());
    return std::nullopt;
  } catch (const boost::system::system_error& e) {
    if constexpr (kReactorIsIoUring) return bench::skip(std::string("io_uring unavailable: ") + e.what());
    return bench::fail(std::string("cannot start the epoll reactor: ") + e.what());
  }
}

}  // namespace asio_backend
