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
  conformance::BackendUnderTest b;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 < argc && (flag == "--backend" || flag == "--name" || flag == "--loadgen")) {
      std::string value = argv[++i];
      (flag == "--backend" ? b.path : flag == "--name" ? b.name : b.loadgen) = value;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (see the top of faults/main.cpp)\n", argv[0], argv[i]);
      return 2;
    }
  }
  if (b.path.empty() || b.loadgen.empty()) {
    std::fprintf(stderr, "usage: %s --backend PATH [--name NAME] --loadgen PATH [gtest flags]\n", argv[0]);
    return 2;
  }
  if (b.name.empty()) {  // backend-<name>
    std::string base = b.path.substr(b.path.find_last_of('/') + 1);
    b.name = base.rfind("backend-", 0) == 0 ? base.substr(8) : base;
  }
  conformance::set_backend(b);
  ::signal(SIGPIPE, SIG_IGN);  // a server that resets us gives EPIPE, not a dead test
  std::printf("%s: backend %s (%s)\n", argv[0], b.name.c_str(), b.path.c_str());
  return RUN_ALL_TESTS();
}
