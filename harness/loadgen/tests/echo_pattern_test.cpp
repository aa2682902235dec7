// Proves the echo payload is reproducible from any offset and differs between connections and requests.
#include "echo_pattern.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "options.hpp"
#include "payload.hpp"

namespace loadgen {
namespace {

TEST(EchoPattern, AnyOffsetAndLengthGivesTheSameBytes) {
  EchoPattern p(17, 3);
  std::vector<unsigned char> whole(1000);
  p.fill(0, whole.data(), whole.size());
  for (std::size_t offset : {0, 1, 7, 8, 9, 63, 500}) {
    for (std::size_t len : {1, 2, 8, 13, 100}) {
      std::vector<unsigned char> part(len);
      p.fill(offset, part.data(), len);
      EXPECT_EQ(0, std::memcmp(part.data(), whole.data() + offset, len)) << offset << "+" << len;
    }
  }
  EXPECT_EQ(p.at(12), whole[12]);
}

TEST(EchoPattern, ConnectionsAndRequestsDifferEarly) {
  auto first8 = [](std::uint64_t c, std::uint64_t r) {
    unsigned char b[8];
    EchoPattern(c, r).fill(0, b, 8);
    std::uint64_t v;
    std::memcpy(&v, b, 8);
    return v;
  };
  EXPECT_NE(first8(0, 0), first8(1, 0));
  EXPECT_NE(first8(0, 0), first8(0, 1));
  EXPECT_NE(first8(1, 0), first8(0, 1));
}

TEST(Payload, EchoStreamSpansRequestsAndChecksExactly) {
  Options o;
  o.proto = Proto::echo;
  o.size = 10;
  Payload payload(o);
  std::vector<unsigned char> scratch(64);
  auto stream = payload.requests(5, 0, 0, 25, scratch.data(), scratch.size());
  ASSERT_EQ(stream.size(), 25u);
  std::vector<unsigned char> sent(stream.begin(), stream.end());
  unsigned char second[10];
  EchoPattern(5, 1).fill(0, second, 10);
  EXPECT_EQ(0, std::memcmp(sent.data() + 10, second, 10));

  std::vector<unsigned char> check(8);  // smaller than the data: checked in pieces
  EXPECT_EQ(payload.check_echo(5, 0, 0, sent.data(), 25, check.data(), check.size()), 25u);
  sent[12] ^= 1;
  EXPECT_EQ(payload.check_echo(5, 0, 0, sent.data(), 25, check.data(), check.size()), 12u);
  EXPECT_EQ(payload.echo_byte(5, 0, 12), static_cast<unsigned char>(sent[12] ^ 1));
  // The same bytes are wrong for another connection.
  EXPECT_LT(payload.check_echo(6, 0, 0, sent.data(), 10, check.data(), check.size()), 10u);
}

TEST(Payload, HttpPipelineWindowIsContiguous) {
  Options o;
  o.proto = Proto::http;
  o.size = 13;
  o.pipeline = 4;
  o.target = "/x";
  Payload payload(o);
  const std::string one = "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  ASSERT_EQ(payload.request_size(), one.size());
  auto window = payload.requests(0, 0, one.size() * 7 + 3, one.size() * 4, nullptr, 0);
  ASSERT_EQ(window.size(), one.size() * 4);
  EXPECT_EQ(window.substr(0, one.size() - 3), one.substr(3));
  EXPECT_EQ(payload.expected_body(), "Hello, World!");
}

}  // namespace
}  // namespace loadgen
