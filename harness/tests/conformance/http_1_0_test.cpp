// Proves an HTTP/1.0 request without keep-alive is answered and then the server closes the connection.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using Http10 = HttpServerTest;
constexpr std::string_view kGet10 = "GET / HTTP/1.0\r\n\r\n";

TEST_F(Http10, AnsweredThenClosed) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(client.send_all(kGet10, error)) << error;
  std::string raw;
  ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << error;
  std::string after;
  ASSERT_TRUE(client.read_until_close(after, error)) << error;
  EXPECT_EQ(after, "") << "bytes after the response";
}

TEST_F(Http10, ExactlyTheSessionCloseResponse) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(client.send_all(kGet10, error)) << error;
  std::string all;
  ASSERT_TRUE(client.read_until_close(all, error)) << error << "\n" << all;
  EXPECT_EQ(all, session_responses().close);
}

}  // namespace
}  // namespace conformance
