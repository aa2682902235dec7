// Proves keep-alive GETs are answered, one after another on one connection, with exactly proto::HttpSession's response.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using HttpKeepAlive = HttpServerTest;

TEST_F(HttpKeepAlive, GetsAnswerWithTheHelloBodyOnOneConnection) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send_all(kGet, error)) << "request " << i << ": " << error;
    std::string raw;
    ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << "request " << i << ": " << error << "\n" << raw;
  }
}

TEST_F(HttpKeepAlive, GetIsAnsweredWithExactlyTheSessionResponse) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  const std::string& expected = session_responses().keep_alive;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.send_all(kGet, error)) << error;
    std::string response;
    ASSERT_TRUE(client.read_exact(expected.size(), response, error)) << "request " << i << ": " << error << "\n"
                                                                    << response;
    EXPECT_EQ(response, expected) << "request " << i;
  }
}

}  // namespace
}  // namespace conformance
