// Proves the shared HTTP parser and session answer exactly: complete/incomplete/error per input,
// the limits' boundaries (a line of exactly the limit is fine, one byte more is 414, however the
// reads split it), keep-alive rules, pipelining in order, and HEAD without a body.
#include <gtest/gtest.h>

#include <string>

#include "protocol/http.hpp"

using namespace proto;

namespace {

std::string line_of(std::size_t total) {  // "GET /aaa... HTTP/1.1" of exactly `total` bytes
  std::string head = "GET /", tail = " HTTP/1.1";
  return head + std::string(total - head.size() - tail.size(), 'a') + tail;
}

TEST(HttpParser, CompleteIncompleteAndErrors) {
  auto r = parse_request("GET /x HTTP/1.1\r\nHost: a\r\n\r\nrest");
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.request.method, "GET");
  EXPECT_EQ(r.request.target, "/x");
  EXPECT_EQ(r.request.length, 28u);
  EXPECT_TRUE(r.request.keep_alive);
  EXPECT_EQ(parse_request("GET /x HTTP/1.1\r\nHost: a\r\n").status, ParseStatus::incomplete);
  EXPECT_EQ(parse_request("GET /x HTTP/1.1\r\nHost a\r\n\r\n").error_status, 400);
  EXPECT_EQ(parse_request("GET /x HTTP/2.0\r\n\r\n").error_status, 505);
  EXPECT_EQ(parse_request("GET /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").error_status, 501);
  EXPECT_EQ(parse_request("GET /x HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n").error_status, 413);
  EXPECT_EQ(parse_request("GET /x HTTP/1.1\n\n").error_status, 400);
}

TEST(HttpParser, BodyByContentLengthIsPartOfTheRequest) {
  auto r = parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(r.status, ParseStatus::complete);
  EXPECT_EQ(r.request.length, 43u);
  EXPECT_EQ(parse_request("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhell").status, ParseStatus::incomplete);
}

TEST(HttpParser, RequestLineLimitHoldsWhateverTheReadBoundary) {
  HttpLimits limits;
  limits.max_request_line = 64;
  std::string ok = line_of(64) + "\r\n\r\n";
  EXPECT_EQ(parse_request(ok, limits).status, ParseStatus::complete);
  // A read that ends between the line's CR and LF must not turn an acceptable line into a 414.
  EXPECT_EQ(parse_request(ok.substr(0, 65), limits).status, ParseStatus::incomplete);
  EXPECT_EQ(parse_request(line_of(65) + "\r\n\r\n", limits).error_status, 414);
  EXPECT_EQ(parse_request(line_of(65), limits).error_status, 414);
}

TEST(HttpParser, HeaderLimitIs431) {
  HttpLimits limits;
  limits.max_header_bytes = 100;
  std::string big = "GET / HTTP/1.1\r\nX: " + std::string(200, 'v') + "\r\n\r\n";
  EXPECT_EQ(parse_request(big, limits).error_status, 431);
  EXPECT_EQ(parse_request(big.substr(0, 150), limits).error_status, 431);
}

TEST(HttpParser, KeepAliveRules) {
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(parse_request("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(parse_request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(parse_request("GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n").request.keep_alive);
}

TEST(HttpSession, PipelinedRequestsAnsweredInOrderThenClose) {
  HttpSession::Responses responses;
  HttpSession session(responses);
  std::string out;
  std::string in = "GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\nConnection: close\r\n\r\nGET /4";
  auto step = session.on_data(in, out);
  EXPECT_EQ(step.responses, 3u);
  EXPECT_TRUE(step.close);
  EXPECT_FALSE(step.error);
  std::string head_only = responses.keep_alive.substr(0, responses.keep_alive.find("\r\n\r\n") + 4);
  EXPECT_EQ(out, responses.keep_alive + head_only + responses.close);
  EXPECT_NE(responses.keep_alive.find("Content-Length: 13\r\n"), std::string::npos);
  EXPECT_EQ(responses.keep_alive.substr(responses.keep_alive.size() - 13), "Hello, World!");
}

TEST(HttpSession, ErrorsAreAnsweredAndClose) {
  HttpSession::Responses responses;
  HttpSession session(responses);
  std::string out;
  auto step = session.on_data("BREW /pot HTTP/1.1\r\n\r\n", out);
  EXPECT_TRUE(step.close);
  EXPECT_TRUE(step.error);
  EXPECT_EQ(out.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u);
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
}

}  // namespace
