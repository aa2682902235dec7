// A test with one backend server running for its duration, like conformance::ServerTest, plus what
// fault tests need: the server's pid (to read its CPU, memory and descriptors from /proc, and to
// suspend it), a chosen RLIMIT_NOFILE for it, and its counters line at the SIGTERM every test ends with.
#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "backend_under_test.hpp"
#include "bench/json.hpp"
#include "child_process.hpp"

namespace faults {

using conformance::backend;
using conformance::kSocketTimeoutMs;

class FaultServerTest : public ::testing::Test {
 protected:
  // Starts `serve --proto <proto> --port 0`, under a soft RLIMIT_NOFILE of `open_file_limit` when given
  // (set in the child before it execs the backend; see fd_limit_exec.cpp). Skips the test when the
  // backend answers 77 (nginx and echo), fails it when no "ready N" comes. Check HasFatalFailure() and
  // IsSkipped() after it, or call it through ASSERT_NO_FATAL_FAILURE and return on IsSkipped().
  void start_server(const std::string& proto, std::optional<std::uint64_t> open_file_limit = std::nullopt);

  // SIGTERM and a bounded wait; expects exit 0 and exactly one line after "ready N": the JSON counters
  // line, returned parsed (nullopt, with the failure recorded, otherwise).
  std::optional<bench::JsonObject> stop_server();

  void TearDown() override;

  // Waits (up to `timeout`) until the server holds no more descriptors than it did right after
  // "ready": every connection the test closed is closed (and so counted) on the server's side too.
  // A failure names the count it stayed at: a descriptor leaked, or a connection never noticed.
  // Up to `half_open_allowed` descriptors may remain as half_open_connections() (proc_stats.hpp):
  // connections the client saw reset although the server's socket never was, which no server can
  // tell from a live idle client. Only a test that counted such resets passes more than 0.
  ::testing::AssertionResult connections_released(std::chrono::milliseconds timeout = std::chrono::seconds(10),
                                                  int half_open_allowed = 0);

  // SIGSTOP / SIGCONT to every process of the server: while suspended, whatever a client sends
  // arrives in the kernel but is seen by the server only at once, after resume_server().
  void suspend_server();
  void resume_server();

  // Waits (bounded) until the server has read everything `client_port` sent it.
  ::testing::AssertionResult server_read_everything_from(std::uint16_t client_port,
                                                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::uint16_t port() const { return port_; }
  pid_t server_pid() const;
  const std::string& proto() const { return proto_; }
  int descriptors_at_ready() const { return descriptors_at_ready_; }

 private:
  std::unique_ptr<conformance::ChildProcess> server_;
  std::uint16_t port_ = 0;
  std::string proto_;
  bool stopped_ = false;
  int descriptors_at_ready_ = -1;
  std::string descriptor_list_at_ready_;
};

// The counters line checked against what the test did. nginx (the reference server) counts with
// stub_status: its connections are compared, its requests and errors are not.
struct ExpectedCounters {
  std::uint64_t connections = 0;
  std::optional<std::uint64_t> errors;    // compared when set
  std::optional<std::uint64_t> requests;  // compared when set
};
void expect_counters(const std::optional<bench::JsonObject>& counters, const ExpectedCounters& want);

// The protocols every fault is tried with, as a test parameter.
class ProtoFaultTest : public FaultServerTest, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override { start_server(GetParam()); }
};

inline std::string proto_name(const ::testing::TestParamInfo<const char*>& info) { return info.param; }

}  // namespace faults
