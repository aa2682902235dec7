// Proves SIGTERM stops the server with exit 0 and one JSON line counting the requests and connections it served.
#include <gtest/gtest.h>

#include <optional>

#include "bench/json.hpp"
#include "http_expect.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

constexpr int kConnections = 3;
constexpr int kRequestsPerConnection = 4;

// The counters line: exactly one line after "ready N", a JSON object.
std::optional<bench::JsonObject> counters_line(const std::vector<std::string>& lines) {
  EXPECT_EQ(lines.size(), 1u) << "expected one JSON line after 'ready N', got " << lines.size();
  if (lines.empty()) return std::nullopt;
  std::string error;
  auto obj = bench::JsonObject::parse(lines.back(), &error);
  EXPECT_TRUE(obj.has_value()) << error << ": " << lines.back();
  return obj;
}

class SigtermReportHttp : public HttpServerTest {
 protected:
  // kConnections connections, one after another, each with kRequestsPerConnection answered requests.
  void make_requests() {
    for (int c = 0; c < kConnections; ++c) {
      TcpClient client;
      std::string error;
      ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
      for (int r = 0; r < kRequestsPerConnection; ++r) {
        ASSERT_TRUE(client.send_all(kGet, error)) << error;
        std::string raw;
        ASSERT_TRUE(read_hello_responses(client, 1, raw, error)) << error;
      }
    }
  }
};
using SigtermReportEcho = EchoServerTest;

TEST_F(SigtermReportHttp, CountsRequestsAndConnections) {
  ASSERT_NO_FATAL_FAILURE(make_requests());
  auto counters = counters_line(stop_server());
  ASSERT_TRUE(counters.has_value());
  EXPECT_EQ(counters->unsigned_integer("connections"), std::uint64_t(kConnections));
  EXPECT_EQ(counters->unsigned_integer("requests"), std::uint64_t(kConnections * kRequestsPerConnection));
}

// The runner stops a server with SIGTERM to its process group, which also reaches any process the
// backend started (nginx, under its wrapper). The counters must still be whole: a wrapped server
// that heard the signal itself would be stopping (or gone) when its wrapper asks it for its counts,
// and its CPU figure would take in its own exit.
TEST_F(SigtermReportHttp, SigtermToTheProcessGroupStillCountsEverything) {
  ASSERT_NO_FATAL_FAILURE(make_requests());
  auto counters = counters_line(stop_server(/*whole_group=*/true));
  ASSERT_TRUE(counters.has_value());
  EXPECT_EQ(counters->unsigned_integer("connections"), std::uint64_t(kConnections));
  EXPECT_EQ(counters->unsigned_integer("requests"), std::uint64_t(kConnections * kRequestsPerConnection));
}

TEST_F(SigtermReportEcho, CountsConnections) {
  for (int c = 0; c < kConnections; ++c) {
    TcpClient client;
    std::string error, echoed;
    ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
    ASSERT_TRUE(client.send_all("ping", error)) << error;
    ASSERT_TRUE(client.read_exact(4, echoed, error)) << error;
    EXPECT_EQ(echoed, "ping");
  }
  auto counters = counters_line(stop_server());
  ASSERT_TRUE(counters.has_value());
  EXPECT_EQ(counters->unsigned_integer("connections"), std::uint64_t(kConnections));
  // An echo server counts reads echoed; how the kernel split the pings into reads is not the server's choice.
  EXPECT_GE(counters->unsigned_integer("requests").value_or(0), std::uint64_t(kConnections));
}

}  // namespace
}  // namespace conformance
