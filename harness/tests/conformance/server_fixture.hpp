// A test with a backend server running for its duration: SetUp starts `serve` and waits for
// "ready N" (a backend that answers 77 skips the test with its reason); TearDown stops it with
// SIGTERM and expects a clean exit, so every test also checks that shutdown works.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend_under_test.hpp"
#include "child_process.hpp"

namespace conformance {

class ServerTest : public ::testing::Test {
 protected:
  // Starts `serve --proto <proto> --port 0 <extra...>`. Use from SetUp (or check IsSkipped() and
  // HasFatalFailure() after it): it skips or fails the test rather than returning an error.
  void start_server(const std::string& proto, const std::vector<std::string>& extra = {});

  // SIGTERM and a bounded wait; expects exit 0. Returns the lines printed after "ready N".
  // `whole_group`: SIGTERM to the server's process group, as the runner stops it.
  std::vector<std::string> stop_server(bool whole_group = false);

  void TearDown() override;

  std::uint16_t port() const { return port_; }

 private:
  std::unique_ptr<ChildProcess> server_;
  std::uint16_t port_ = 0;
  bool stopped_ = false;
};

// Servers per protocol, started for each test.
class EchoServerTest : public ServerTest {
 protected:
  void SetUp() override { start_server("echo"); }
};
class HttpServerTest : public ServerTest {
 protected:
  void SetUp() override { start_server("http"); }
};

}  // namespace conformance
