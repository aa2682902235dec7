// Proves the echo server sends back every message byte for byte, from 1 byte to 1 MiB, and keeps the connection.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "data_file.hpp"
#include "server_fixture.hpp"
#include "tcp_client.hpp"

namespace conformance {
namespace {

class EchoRoundTrip : public EchoServerTest, public ::testing::WithParamInterface<std::size_t> {};

// Sends `message` from a second thread while this one reads the echo: a client that wrote 1 MiB
// before reading would deadlock against a server whose replies fill the socket buffers.
void round_trip(TcpClient& client, const std::string& message) {
  std::string send_error;
  bool sent = false;
  std::thread writer([&] { sent = client.send_all(message, send_error); });
  std::string echoed, read_error;
  bool received = client.read_exact(message.size(), echoed, read_error);
  writer.join();
  ASSERT_TRUE(sent) << send_error;
  ASSERT_TRUE(received) << read_error;
  ASSERT_EQ(echoed.size(), message.size());
  std::size_t first_difference = 0;
  while (first_difference < message.size() && echoed[first_difference] == message[first_difference]) ++first_difference;
  EXPECT_EQ(first_difference, message.size()) << "echo differs from the message at byte " << first_difference;
}

TEST_P(EchoRoundTrip, ReturnsEveryByte) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  std::size_t size = GetParam();
  // Twice on one connection, different contents: the second must not see the first's bytes.
  ASSERT_NO_FATAL_FAILURE(round_trip(client, data_bytes(size, size)));
  ASSERT_NO_FATAL_FAILURE(round_trip(client, data_bytes(size, size + 1)));
}

INSTANTIATE_TEST_SUITE_P(Sizes, EchoRoundTrip, ::testing::Values(1, 64, 4096, 65536, 1 << 20),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           return std::to_string(info.param) + "B";
                         });

}  // namespace
}  // namespace conformance
