// Proves the load generator counts verified replies exactly and names the first error exactly, against correct and faulty servers.
#include <gtest/gtest.h>

#include <string>

#include "echo_pattern.hpp"
#include "engine.hpp"
#include "protocol/http.hpp"
#include "test_run.hpp"
#include "test_server.hpp"

namespace loadgen {
namespace {

using testing::TestServer;
using testing::write_all;

struct Outcome {
  RunResult result;
  LatencySummary latency;
};

Outcome run(const Options& o) {
  Outcome r;
  auto latencies = testing::run_checked(o, r.result);
  EXPECT_EQ(latencies->from_schedule.count(), o.rate > 0 ? r.result.requests : 0);
  r.latency = latencies->from_send.summarize();
  return r;
}

Options options(std::uint16_t port, Proto proto, std::uint32_t connections, std::uint64_t requests) {
  Options o = testing::test_options(port, proto, connections);
  o.requests = requests;
  return o;
}

// Echoes everything; `corrupt(stream_offset, byte)` may change a byte on its way back.
void echo(int fd, const std::function<void(std::uint64_t, char&)>& corrupt = nullptr) {
  char buf[65536];
  std::uint64_t offset = 0;
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    if (corrupt)
      for (ssize_t i = 0; i < n; ++i) corrupt(offset + std::uint64_t(i), buf[i]);
    offset += std::uint64_t(n);
    if (!write_all(fd, buf, std::size_t(n))) return;
  }
}


TEST(RunLoad, EchoKeepaliveCountsEveryReply) {
  TestServer server([](int fd, int) { echo(fd); });
  Outcome r = run(options(server.port(), Proto::echo, 4, 100));
  EXPECT_EQ(r.result.requests, 400u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_sent, 400u * 64);
  EXPECT_EQ(r.result.bytes_received, 400u * 64);
  EXPECT_EQ(server.accepted(), 4);
  EXPECT_GT(r.latency.p50_ns, 0);
  EXPECT_LE(r.latency.p50_ns, r.latency.max_ns);
}

TEST(RunLoad, EchoPipelinedAndLarge) {
  TestServer server([](int fd, int) { echo(fd); });
  Options o = options(server.port(), Proto::echo, 3, 20);
  o.pipeline = 8;
  o.size = 300'000;  // more than a socket buffer: writes and reads interleave
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 60u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_received, 60u * 300'000);
}

TEST(RunLoad, EchoMismatchIsDescribedExactly) {
  // Byte 12 of request 3 (each request is 64 bytes) comes back changed.
  TestServer server([](int fd, int) {
    echo(fd, [](std::uint64_t offset, char& c) {
      if (offset == 3 * 64 + 12) c = char(c ^ 0x20);
    });
  });
  Outcome r = run(options(server.port(), Proto::echo, 1, 10));
  unsigned char want = EchoPattern(0, 3).at(12);
  char expected[128];
  std::snprintf(expected, sizeof expected, "connection 0 request 3: echo mismatch at byte 12: expected 0x%02x got 0x%02x",
                want, want ^ 0x20);
  EXPECT_EQ(r.result.first_error, expected);
  EXPECT_EQ(r.result.requests, 3u);
  EXPECT_EQ(r.result.mismatches, 1u);
  EXPECT_EQ(r.result.errors, 1u);
}

TEST(RunLoad, EchoFromAnotherConnectionIsCaught) {
  // The server answers connection 1's first message with bytes generated for connection 0.
  TestServer server([](int fd, int) {
    char buf[64];
    std::size_t got = 0;
    while (got < sizeof buf) {
      ssize_t n = ::recv(fd, buf + got, sizeof buf - got, 0);
      if (n <= 0) return;
      got += std::size_t(n);
    }
    unsigned char other[64];
    EchoPattern(0, 0).fill(0, other, 64);
    unsigned char mine[64];
    std::memcpy(mine, buf, 64);
    // Connection 0 gets its own bytes back; any other connection gets connection 0's.
    write_all(fd, reinterpret_cast<const char*>(std::memcmp(mine, other, 64) == 0 ? mine : other), 64);
  });
  Outcome r = run(options(server.port(), Proto::echo, 2, 1));
  EXPECT_EQ(r.result.requests, 1u);
  EXPECT_EQ(r.result.mismatches, 1u);
  EXPECT_NE(r.result.first_error.find("connection 1 request 0: echo mismatch at byte 0"), std::string::npos)
      << r.result.first_error;
}

TEST(RunLoad, HttpPipelinedKeepalive) {
  TestServer server([](int fd, int) { testing::serve_http(fd); });
  Options o = options(server.port(), Proto::http, 3, 50);
  o.pipeline = 4;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 150u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_received, 150u * proto::HttpSession::Responses(13).keep_alive.size());
}

TEST(RunLoad, HttpLargeBody) {
  TestServer server([](int fd, int) { testing::serve_http(fd, 200'000); });
  Options o = options(server.port(), Proto::http, 2, 5);
  o.size = 200'000;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 10u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
}

TEST(RunLoad, ReconnectUsesAFreshConnectionPerRequest) {
  TestServer server([](int fd, int) { testing::serve_http(fd); });
  Options o = options(server.port(), Proto::http, 2, 20);
  o.mode = Mode::reconnect;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 40u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(server.accepted(), 40);
}

TEST(RunLoad, ReconnectEcho) {
  TestServer server([](int fd, int) { echo(fd); });
  Options o = options(server.port(), Proto::echo, 3, 10);
  o.mode = Mode::reconnect;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 30u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(server.accepted(), 30);
}

TEST(RunLoad, DurationModeStopsCleanly) {
  TestServer server([](int fd, int) { testing::serve_http(fd); });
  Options o = options(server.port(), Proto::http, 2, 0);
  o.duration_ms = 200;
  o.timeout_ms = 10'000;
  Outcome r = run(o);
  EXPECT_GT(r.result.requests, 0u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_received, r.result.requests * proto::HttpSession::Responses(13).keep_alive.size());
}

TEST(RunLoad, HttpErrorStatusIsAMismatch) {
  TestServer server([](int fd, int) {
    char buf[4096];
    if (::recv(fd, buf, sizeof buf, 0) <= 0) return;
    std::string out;
    proto::append_error(out, 400);
    write_all(fd, out.data(), out.size());
  });
  Outcome r = run(options(server.port(), Proto::http, 1, 3));
  EXPECT_EQ(r.result.first_error, "connection 0 request 0: http status 400 (expected 200)");
  EXPECT_EQ(r.result.mismatches, 1u);
  EXPECT_EQ(r.result.requests, 0u);
}

TEST(RunLoad, EarlyCloseIsAnError) {
  TestServer server([](int fd, int) {
    char buf[64];
    for (int i = 0; i < 2; ++i) {  // echo two requests, then hang up on the third
      std::size_t got = 0;
      while (got < 64) {
        ssize_t n = ::recv(fd, buf + got, 64 - got, 0);
        if (n <= 0) return;
        got += std::size_t(n);
      }
      write_all(fd, buf, 64);
    }
    ::recv(fd, buf, sizeof buf, 0);
  });
  Outcome r = run(options(server.port(), Proto::echo, 1, 5));
  EXPECT_EQ(r.result.requests, 2u);
  EXPECT_EQ(r.result.errors, 1u);
  EXPECT_EQ(r.result.first_error, "connection 0 request 2: server closed the connection with 1 reply outstanding");
}

TEST(RunLoad, SilentServerTimesOut) {
  TestServer server([](int fd, int) {
    char buf[64];
    while (::recv(fd, buf, sizeof buf, 0) > 0) {
    }
  });
  Options o = options(server.port(), Proto::echo, 3, 1);
  o.timeout_ms = 300;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 0u);
  EXPECT_EQ(r.result.timeouts, 3u);
  EXPECT_EQ(r.result.errors, 3u);
  EXPECT_EQ(r.result.first_error, "connection 0 request 0: timed out after 300 ms (waiting for the reply)");
}

TEST(RunLoad, RefusedConnectionsAreConnectErrors) {
  std::uint16_t port;
  {
    TestServer closed([](int, int) {});
    port = closed.port();
  }  // nothing listens there now
  Options o = options(port, Proto::http, 2, 3);
  Outcome keepalive = run(o);
  EXPECT_EQ(keepalive.result.connect_errors, 2u);
  EXPECT_EQ(keepalive.result.errors, 2u);
  EXPECT_EQ(keepalive.result.first_error,
            "connection 0 request 0: connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
  o.mode = Mode::reconnect;
  Outcome reconnect = run(o);
  EXPECT_EQ(reconnect.result.connect_errors, 6u);  // every request of every slot tried its own connection
  EXPECT_EQ(reconnect.result.requests, 0u);
}

}  // namespace
}  // namespace loadgen
