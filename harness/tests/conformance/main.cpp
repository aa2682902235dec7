// The conformance suite's entry point: which backend to check comes from the command line,
//   conformance_test --backend build/backends/backend-<name> [--name <name>] --loadgen build/harness/loadgen/loadgen
// plus any GoogleTest flags. CTest runs it once per backend (see CMakeLists.txt).
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <cstring>
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
      std::fprintf(stderr, "conformance_test: unknown argument '%s' (see the top of main.cpp)\n", argv[i]);
      return 2;
    }
  }
  if (b.path.empty() || b.loadgen.empty()) {
    std::fprintf(stderr, "usage: conformance_test --backend PATH [--name NAME] --loadgen PATH [gtest flags]\n");
    return 2;
  }
  if (b.name.empty()) {  // backend-<name>
    std::string base = b.path.substr(b.path.find_last_of('/') + 1);
    b.name = base.rfind("backend-", 0) == 0 ? base.substr(8) : base;
  }
  conformance::set_backend(b);
  conformance::raise_fd_limit();   // the 1,000-connection servers and loadgen inherit it
  ::signal(SIGPIPE, SIG_IGN);      // a server that closes early gives EPIPE, not a dead test
  std::printf("conformance: backend %s (%s)\n", b.name.c_str(), b.path.c_str());
  return RUN_ALL_TESTS();
}
