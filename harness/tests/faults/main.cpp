// The fault and soak suites' entry point: which backend to attack comes from the command line,
//   faults_test --backend build/backends/backend-<name> [--name <name>] --loadgen build/harness/loadgen/loadgen
// plus any GoogleTest flags. CTest runs it once per backend (see CMakeLists.txt).
// Unlike the conformance suite it does not raise this process's descriptor limit for the servers:
// the tests that need a particular limit give it to the server they start (fd_limit_exec).
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
  ::signal(SIGPIPE, SIG_IGN);  // a server that resets us gives EPIPE, not a dead test
  std::printf("%s: backend %s (%s)\n", argv[0], b.name.c_str(), b.path.c_str());
  return RUN_ALL_TESTS();
}
