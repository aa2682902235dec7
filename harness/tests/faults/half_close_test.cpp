// Proves a client that sends complete requests and then shuts down its sending side (SHUT_WR) still
// gets every reply in full, followed by the server's close: echo returns all of 1 MiB, http answers
// three pipelined GETs; the server counts no error.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>
#include <thread>

#include "exchange.hpp"
#include "fault_server.hpp"

namespace faults {
namespace {

using HalfClose = ProtoFaultTest;

TEST_P(HalfClose, EveryReplyArrivesThenTheServerCloses) {
  Exchange exchange(proto());
  const std::size_t count = exchange.is_http() ? 3 : 1;
  // echo: 1 MiB, more than the socket buffers hold, so the server is still echoing when the FIN comes.
  std::string requests = exchange.is_http() ? exchange.request(0) + exchange.request(1) + exchange.request(2)
                                            : conformance::data_bytes(1 << 20, 3);
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;

  // Written from a second thread while this one reads: 1 MiB written before reading could deadlock
  // against the echo filling our receive buffer.
  std::string send_error;
  bool sent = false;
  int shutdown_result = -1;
  std::thread writer([&] {
    sent = client.send_all(requests, send_error);
    if (sent) shutdown_result = ::shutdown(client.fd(), SHUT_WR);
  });
  bool replies_ok = exchange.read_replies(client, requests, count, error);
  std::string after, close_error;
  bool closed = replies_ok && client.read_until_close(after, close_error);
  writer.join();

  ASSERT_TRUE(sent) << send_error;
  ASSERT_EQ(shutdown_result, 0);
  ASSERT_TRUE(replies_ok) << error;
  EXPECT_TRUE(closed) << "no close after the replies: " << close_error;
  EXPECT_EQ(after.size(), 0u) << "bytes after the last reply: '" << after.substr(0, 200) << "'";
  client.close();
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> answered;
  if (exchange.is_http()) answered = count;
  expect_counters(stop_server(), {.connections = 1, .errors = 0, .requests = answered});
}

INSTANTIATE_TEST_SUITE_P(Protocols, HalfClose, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
