// How the load generator's own tests start a run: the suite's message sizes (the 13-byte hello body,
// 64-byte echo messages), a timeout no healthy run reaches, and a run whose failure fails the test.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>

#include <cstdint>
#include <memory>
#include <string>

#include "engine.hpp"

namespace loadgen::testing {

// Options for `connections` connections to 127.0.0.1:port; the test sets requests, rate, duration.
inline Options test_options(std::uint16_t port, Proto proto, std::uint32_t connections) {
  Options o;
  o.port = port;
  o.proto = proto;
  o.size = proto == Proto::http ? 13 : 64;
  o.connections = connections;
  o.timeout_ms = 20'000;
  return o;
}

// Runs `o` into `result`; checks it ran and that every answered request has one latency from its send.
inline std::unique_ptr<Latencies> run_checked(const Options& o, RunResult& result) {
  ::signal(SIGPIPE, SIG_IGN);  // a test server that hangs up gives EPIPE, not a dead test
  auto latencies = std::make_unique<Latencies>();
  std::string error;
  EXPECT_TRUE(run_load(o, *latencies, result, error)) << error;
  EXPECT_EQ(latencies->from_send.count(), result.requests);
  return latencies;
}

}  // namespace loadgen::testing
