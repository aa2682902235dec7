// The conformance suite's entry point: which backend to check comes from the command line,
//   conformance_test --backend build/backends/backend-<name> [--name <name>] --loadgen build/harness/loadgen/loadgen
// plus any GoogleTest flags. CTest runs it once per backend (see CMakeLists.txt).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <string>

#include "backend_under_test.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  std::optional<conformance::BackendUnderTest> parsed =
      conformance::parse_backend_args(argc, argv, "--backend PATH [--name NAME] --loadgen PATH [gtest flags]");
  if (!parsed) return 2;
  const conformance::BackendUnderTest& b = *parsed;
  conformance::set_backend(b);
  conformance::raise_fd_limit();   // the 1,000-connection servers and loadgen inherit it
  ::signal(SIGPIPE, SIG_IGN);      // a server that closes early gives EPIPE, not a dead test
  std::printf("conformance: backend %s (%s)\n", b.name.c_str(), b.path.c_str());
  return RUN_ALL_TESTS();
}
