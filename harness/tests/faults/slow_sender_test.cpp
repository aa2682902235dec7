// Proves a request that arrives one byte at a time (a slowloris-like client, 2 ms between bytes) is
// answered exactly once it is complete, and that another client is served normally between its bytes.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "exchange.hpp"
#include "fault_server.hpp"

namespace faults {
namespace {

using SlowSender = ProtoFaultTest;

constexpr std::chrono::milliseconds kPause{2};

TEST_P(SlowSender, ByteByByteRequestIsAnsweredWhileOthersAreServed) {
  Exchange exchange(proto());
  // http: a GET with a few more headers than the usual one, so the parser waits through many reads.
  std::string request = exchange.is_http()
                            ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-sender\r\nAccept: */*\r\n\r\n"
                            : exchange.request(0);
  TcpClient slow, fast;
  std::string error;
  ASSERT_TRUE(slow.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(fast.connect(port(), kSocketTimeoutMs, error)) << error;

  // TCP_NODELAY (set by TcpClient) sends each byte as its own segment.
  for (std::size_t i = 0; i < request.size(); ++i) {
    ASSERT_TRUE(slow.send_all(request.substr(i, 1), error)) << "byte " << i << ": " << error;
    std::this_thread::sleep_for(kPause);
    ASSERT_TRUE(exchange.round_trip(fast, int(i) + 1, error)) << "the other client, after slow byte " << i << ": " << error;
  }
  ASSERT_TRUE(exchange.read_replies(slow, request, 1, error)) << error;
  // The same connection then works at normal speed: the byte-wise request left no state behind.
  ASSERT_TRUE(exchange.round_trip(slow, 1000, error)) << error;

  slow.close();
  fast.close();
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> answered;
  if (exchange.is_http()) answered = request.size() + 2;
  expect_counters(stop_server(), {.connections = 2, .errors = 0, .requests = answered});
}

INSTANTIATE_TEST_SUITE_P(Protocols, SlowSender, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
