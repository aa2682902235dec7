// Proves ten requests sent in one write are answered in order with ten responses and nothing more.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using HttpPipelining = HttpServerTest;
constexpr int kPipelined = 10;

TEST_F(HttpPipelining, TenGetsInOneWriteGetTenResponses) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  std::string requests;
  for (int i = 0; i < kPipelined; ++i) requests += kGet;
  ASSERT_TRUE(client.send_all(requests, error)) << error;
  std::string raw;
  ASSERT_TRUE(read_hello_responses(client, kPipelined, raw, error)) << error;
  // Still open and serving afterwards.
  ASSERT_TRUE(client.send_all(kGet, error)) << error;
  raw.clear();
  ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << "the request after the pipeline: " << error;
}

// GET and HEAD alternate, so a server that answered out of order would send different bytes.
TEST_F(HttpPipelining, ResponsesAreExactAndInRequestOrder) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  const std::string& full = session_responses().keep_alive;
  const std::string head_only = full.substr(0, full.find("\r\n\r\n") + 4);
  std::string requests, expected;
  for (int i = 0; i < kPipelined; ++i) {
    requests += i % 2 == 0 ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" : "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    expected += i % 2 == 0 ? full : head_only;
  }
  ASSERT_TRUE(client.send_all(requests, error)) << error;
  std::string responses;
  ASSERT_TRUE(client.read_exact(expected.size(), responses, error)) << error << "\n" << responses;
  EXPECT_EQ(responses, expected);
}

}  // namespace
}  // namespace conformance
