// Proves a request whose headers exceed the limits gets exactly proto's 431 response and then a close.
#include <gtest/gtest.h>

#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

using HttpOversizedHeaders = HttpServerTest;

void expect_431(std::uint16_t port, const std::string& request) {
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port, kSocketTimeoutMs, error)) << error;
  // The server may answer and close before reading all of it; a failed send is then expected.
  (void)client.send_all(request, error);
  std::string all;
  error.clear();
  bool closed = client.read_until_close(all, error);
  EXPECT_EQ(all, error_response(431)) << (closed ? "" : error);
}

TEST_F(HttpOversizedHeaders, OneHugeHeaderGets431) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  proto::HttpLimits limits;
  std::string request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + std::string(limits.max_header_bytes + 100, 'a') +
                        "\r\n\r\n";
  expect_431(port(), request);
}

TEST_F(HttpOversizedHeaders, TooManyHeadersGet431) {
  if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
  proto::HttpLimits limits;
  std::string request = "GET / HTTP/1.1\r\n";
  for (std::size_t i = 0; i <= limits.max_headers; ++i) request += "X-H" + std::to_string(i) + ": v\r\n";
  request += "\r\n";
  expect_431(port(), request);
}

}  // namespace
}  // namespace conformance
