// Proves a request with "Connection: close" is answered and then the server closes the connection.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using HttpConnectionClose = HttpServerTest;
constexpr std::string_view kGetClose = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

TEST_F(HttpConnectionClose, AnsweredThenClosed) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(client.send_all(kGetClose, error)) << error;
  std::string raw;
  ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << error;
  std::string after;
  ASSERT_TRUE(client.read_until_close(after, error)) << error;
  EXPECT_EQ(after, "") << "bytes after the response";
}

TEST_F(HttpConnectionClose, ExactlyTheSessionCloseResponse) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(client.send_all(kGetClose, error)) << error;
  std::string all;
  ASSERT_TRUE(client.read_until_close(all, error)) << error << "\n" << all;
  EXPECT_EQ(all, session_responses().close);
}

}  // namespace
}  // namespace conformance
