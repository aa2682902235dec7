// ringcore behind the backend contract: one thread, one ring, coroutines per connection / per read.
#include "commands.hpp"

namespace ringcore_backend {

ringcore::RingOptions ring_options(Workload w) {
  ringcore::RingOptions o;
  o.entries = 1024;
  o.taskrun = w == Workload::network ? ringcore::TaskRun::automatic : ringcore::TaskRun::coop;
  return o;
}

}  // namespace ringcore_backend

int main(int argc, char** argv) {
  return bench::backend_main(argc, argv,
                             bench::Backend{"ringcore", ringcore_backend::serve, ringcore_backend::file_read,
                                            ringcore_backend::copy_chain});
}
