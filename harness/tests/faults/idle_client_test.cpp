// Proves a client that connects and sends nothing neither blocks nor is dropped: 100 other requests
// (on 100 fresh connections) are served meanwhile, and the idle one, still open, is then answered.
#include <gtest/gtest.h>

#include <string>

#include "exchange.hpp"
#include "fault_server.hpp"
#include "misbehaving_peer.hpp"

namespace faults {
namespace {

using IdleClient = ProtoFaultTest;

constexpr int kOtherRequests = 100;

TEST_P(IdleClient, StaysConnectedWhileOthersAreServed) {
  Exchange exchange(proto());
  TcpClient idle;
  std::string error;
  ASSERT_TRUE(idle.connect(port(), kSocketTimeoutMs, error)) << error;

  for (int i = 0; i < kOtherRequests; ++i)
    ASSERT_TRUE(exchange.fresh_round_trip(port(), i, error)) << "request " << i << " beside the idle client: " << error;

  EXPECT_TRUE(quiet_and_open(idle)) << "the server sent something to, or closed, the idle connection";
  ASSERT_TRUE(exchange.round_trip(idle, kOtherRequests, error)) << "the idle client, finally asking: " << error;

  idle.close();
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> answered;
  if (exchange.is_http()) answered = kOtherRequests + 1;
  expect_counters(stop_server(), {.connections = kOtherRequests + 1, .errors = 0, .requests = answered});
}

INSTANTIATE_TEST_SUITE_P(Protocols, IdleClient, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
