// Proves a client that resets its connection (SO_LINGER {1,0}, then close) in the middle of a request
// or of a response costs only that connection: the next client is served byte for byte, and SIGTERM
// still ends the server with exit 0 and a counters line with both connections and exactly one error.
#include <gtest/gtest.h>

#include <string>

#include "exchange.hpp"
#include "fault_server.hpp"
#include "misbehaving_peer.hpp"

namespace faults {
namespace {

using namespace std::chrono_literals;

using PeerReset = ProtoFaultTest;

constexpr int kRequestsAfterReset = 3;

// A connection the server has accepted and served once, so that the reset reaches a connection it
// owns rather than one still waiting in the accept queue.
void open_served_connection(std::uint16_t port, const Exchange& exchange, TcpClient& client) {
  std::string error;
  ASSERT_TRUE(client.connect(port, kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(exchange.round_trip(client, 0, error)) << error;
}

// After the reset: a new client gets kRequestsAfterReset exact replies on one connection.
void expect_next_client_served(std::uint16_t port, const Exchange& exchange) {
  TcpClient next;
  std::string error;
  ASSERT_TRUE(next.connect(port, kSocketTimeoutMs, error)) << error;
  for (int i = 1; i <= kRequestsAfterReset; ++i)
    ASSERT_TRUE(exchange.round_trip(next, i, error)) << "request " << i << " after the reset: " << error;
}

TEST_P(PeerReset, HalfARequestThenResetLeavesTheServerServing) {
  Exchange exchange(proto());
  TcpClient doomed;
  ASSERT_NO_FATAL_FAILURE(open_served_connection(port(), exchange, doomed));
  std::string request = exchange.request(1), error;
  ASSERT_TRUE(doomed.send_all(request.substr(0, request.size() / 2), error)) << error;
  // The server has read the half request and waits for the rest when the reset comes.
  ASSERT_TRUE(server_read_everything_from(local_port(doomed)));
  reset_connection(doomed);

  ASSERT_NO_FATAL_FAILURE(expect_next_client_served(port(), exchange));
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> requests;
  if (exchange.is_http()) requests = 1 + kRequestsAfterReset;
  expect_counters(stop_server(), {.connections = 2, .errors = 1, .requests = requests});
}

// The same, but the half request and the reset reach the server together: it is suspended (SIGSTOP)
// while both arrive, so its first look at the socket finds data, then the reset, at once. A server
// whose event loop takes that hang-up for an orderly end of stream counts no error.
TEST_P(PeerReset, HalfARequestAndResetArrivingTogetherCountOneError) {
  Exchange exchange(proto());
  TcpClient doomed;
  ASSERT_NO_FATAL_FAILURE(open_served_connection(port(), exchange, doomed));
  std::string request = exchange.request(1), error;
  suspend_server();
  ASSERT_TRUE(doomed.send_all(request.substr(0, request.size() / 2), error)) << error;
  reset_connection(doomed);
  resume_server();

  ASSERT_NO_FATAL_FAILURE(expect_next_client_served(port(), exchange));
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> requests;
  if (exchange.is_http()) requests = 1 + kRequestsAfterReset;
  expect_counters(stop_server(), {.connections = 2, .errors = 1, .requests = requests});
}

// The client writes without reading until the server, whose replies have nowhere to go, stops
// taking more (echo: up to 1 MiB; http: up to 50,000 pipelined GETs), then resets: the server is
// in the middle of a response that can never be delivered.
TEST_P(PeerReset, ResetWhileRepliesAreOwedLeavesTheServerServing) {
  Exchange exchange(proto());
  TcpClient doomed;
  ASSERT_NO_FATAL_FAILURE(open_served_connection(port(), exchange, doomed));
  shrink_receive_buffer(doomed);
  std::string flood;
  if (exchange.is_http()) {
    for (int i = 0; i < 50'000; ++i) flood += exchange.request(i);
  } else {
    flood = conformance::data_bytes(1 << 20, 7);
  }
  long long sent = send_without_reading(doomed, flood, 300ms);
  ASSERT_GT(sent, 0) << "the server took nothing";
  reset_connection(doomed);

  ASSERT_NO_FATAL_FAILURE(expect_next_client_served(port(), exchange));
  ASSERT_TRUE(connections_released());
  expect_counters(stop_server(), {.connections = 2, .errors = 1, .requests = std::nullopt});
}

INSTANTIATE_TEST_SUITE_P(Protocols, PeerReset, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
