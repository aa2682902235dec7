// ringcore behind the backend contract: one thread, one ring, coroutines per connection / per read.
// `--ring-config NAME` (ring_config.hpp) picks a named ring configuration for the ablation.
#include <cstdio>

#include "commands.hpp"

namespace ringcore_backend {

int ring_setup_failed(const RingConfig& c, const std::system_error& e) {
  if (c.named || e.code() == std::errc::operation_not_permitted || e.code() == std::errc::function_not_supported)
    return bench::skip(std::string("ring configuration '") + c.name + "': " + e.what());
  return bench::fail(e.what());
}

void add_ring_report(bench::JsonLine& line, const RingConfig& c, const ringcore::Ring& ring, bool fixed_used,
                     bool bufring_used, bool linked_used, std::uint64_t enters_before) {
  const auto& s = ring.stats();
  line.add("ring_config", c.name)
      .add("ring_setup", ring.describe())
      .add("features", active_features(c, ring, fixed_used, bufring_used, linked_used))
      .add("enters", s.enters - enters_before)
      .add("sqes", s.sqes_submitted)
      .add("cqes", s.cqes_reaped);
}

}  // namespace ringcore_backend

int main(int argc, char** argv) {
  std::string error;
  if (!ringcore_backend::take_ring_config_flag(argc, argv, error)) {
    std::fprintf(stderr, "ringcore: %s (see --help)\n", error.c_str());
    return bench::kExitUsage;
  }
  return bench::backend_main(argc, argv,
                             bench::Backend{"ringcore", ringcore_backend::serve, ringcore_backend::file_read,
                                            ringcore_backend::copy_chain});
}
