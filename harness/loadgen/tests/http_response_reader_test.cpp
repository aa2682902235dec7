// Proves the reply reader accepts any split of a response stream and rejects wrong replies exactly.
#include "http_response_reader.hpp"

#include <gtest/gtest.h>

#include <string>

#include "protocol/http.hpp"

namespace loadgen {
namespace {

std::string server_responses(int count, std::size_t body_size = proto::kDefaultHelloSize) {
  proto::HttpSession::Responses responses(body_size);
  std::string all;
  for (int i = 0; i < count; ++i) all += responses.keep_alive;
  return all;
}

// Feeds `stream` in pieces of `piece` bytes; returns replies completed, or -1 on a failure.
int feed_in_pieces(HttpResponseReader& reader, const std::string& stream, std::size_t piece) {
  int complete = 0;
  for (std::size_t at = 0; at < stream.size();) {
    std::size_t len = std::min(piece, stream.size() - at);
    std::size_t used = 0;
    while (used < len) {
      auto step = reader.feed(stream.data() + at + used, len - used);
      if (step.failed) return -1;
      used += step.consumed;
      complete += step.complete;
    }
    at += len;
  }
  return complete;
}

TEST(HttpResponseReader, AcceptsEverySplitOfThreeResponses) {
  std::string stream = server_responses(3);
  std::string body = proto::make_hello_body(proto::kDefaultHelloSize);
  for (std::size_t piece = 1; piece <= stream.size(); ++piece) {
    HttpResponseReader reader(body);
    EXPECT_EQ(feed_in_pieces(reader, stream, piece), 3) << "piece " << piece;
    EXPECT_TRUE(reader.idle());
  }
}

TEST(HttpResponseReader, StopsAtTheEndOfEachResponse) {
  std::string stream = server_responses(2);
  std::string body = proto::make_hello_body(13);
  HttpResponseReader reader(body);
  auto step = reader.feed(stream.data(), stream.size());
  EXPECT_TRUE(step.complete);
  EXPECT_EQ(step.consumed, stream.size() / 2);
}

TEST(HttpResponseReader, LargeBodyInPieces) {
  std::string stream = server_responses(2, 100'000);
  std::string body = proto::make_hello_body(100'000);
  HttpResponseReader reader(body);
  EXPECT_EQ(feed_in_pieces(reader, stream, 4096), 2);
}

TEST(HttpResponseReader, HeadersInAnyCaseAndExtraHeaders) {
  std::string body = "Hello, World!";
  std::string stream =
      "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
      "content-type: text/plain\r\nCONTENT-LENGTH:  13 \r\nConnection: keep-alive\r\n\r\nHello, World!";
  HttpResponseReader reader(body);
  EXPECT_EQ(feed_in_pieces(reader, stream, 7), 1);
  EXPECT_FALSE(reader.server_closes());
}

TEST(HttpResponseReader, NotesConnectionClose) {
  proto::HttpSession::Responses responses;
  HttpResponseReader reader("Hello, World!");
  EXPECT_EQ(feed_in_pieces(reader, responses.close, 1000), 1);
  EXPECT_TRUE(reader.server_closes());
}

struct BadCase {
  const char* response;
  const char* error;
};

TEST(HttpResponseReader, RejectsWrongResponsesWithTheReason) {
  const BadCase cases[] = {
      {"HTTP/1.1 400 Bad Request\r\nContent-Length: 12\r\n\r\nBad Request\n", "http status 400 (expected 200)"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello, World", "Content-Length 12, expected 13"},
      {"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, world!", "body mismatch at byte 7: expected 0x57 got 0x77"},
      {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding 'chunked' is not supported"},
      {"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", "response without Content-Length"},
      {"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "bad Content-Length 'x'"},
      {"SMTP 220 hello\r\n\r\n", "malformed status line 'SMTP 220 hello'"},
      {"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", "malformed header line 'NoColon'"},
  };
  for (const BadCase& c : cases) {
    HttpResponseReader reader("Hello, World!");
    std::string stream = c.response;
    EXPECT_EQ(feed_in_pieces(reader, stream, 5), -1) << c.response;
    EXPECT_EQ(reader.error(), c.error);
  }
}

TEST(HttpResponseReader, EndlessHeadersFailInsteadOfGrowing) {
  HttpResponseReader reader("Hello, World!");
  std::string stream = "HTTP/1.1 200 OK\r\n" + std::string(70'000, 'x');
  EXPECT_EQ(feed_in_pieces(reader, stream, 1000), -1);
  EXPECT_EQ(reader.error(), "response headers longer than 64 KiB");
}

}  // namespace
}  // namespace loadgen
