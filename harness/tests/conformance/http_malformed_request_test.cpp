// Proves a malformed request gets exactly proto's 400 response and then a close, and the server keeps serving.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using HttpMalformedRequest = HttpServerTest;

TEST_F(HttpMalformedRequest, Gets400ThenClose) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  for (std::string_view request : {std::string_view("GET / HTTP/1.1\r\nA header line without a colon\r\n\r\n"),
                                   std::string_view("GET  / HTTP/1.1\r\n\r\n"),
                                   std::string_view("GET / HTTP/1.1\nHost: bare-lf\n\n")}) {
    TcpClient client;
    std::string error;
    ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
    ASSERT_TRUE(client.send_all(request, error)) << error;
    std::string all;
    ASSERT_TRUE(client.read_until_close(all, error)) << error << "\n" << all;
    EXPECT_EQ(all, error_response(400)) << "request: " << request;
  }
  // The errors ended those connections only.
  TcpClient client;
  std::string error, raw;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  ASSERT_TRUE(client.send_all(kGet, error)) << error;
  ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << "a GET after the bad requests: " << error;
}

}  // namespace
}  // namespace conformance
