// Proves open-loop mode (--rate) sends exactly the scheduled requests, verifies every reply, and
// measures latency from the schedule: a server that stalls once shows in the corrected figures only.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

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
  LatencySummary sent;       // from the actual send
  LatencySummary scheduled;  // from the scheduled send
};

Outcome run(const Options& o) {
  Outcome r;
  auto latencies = testing::run_checked(o, r.result);
  EXPECT_EQ(latencies->from_schedule.count(), r.result.requests);
  EXPECT_EQ(latencies->client_lag.count(), r.result.requests);  // one lag per request sent
  r.sent = latencies->from_send.summarize();
  r.scheduled = latencies->from_schedule.summarize();
  return r;
}

Options open_loop(std::uint16_t port, Proto proto, std::uint32_t connections, std::uint64_t rate) {
  Options o = testing::test_options(port, proto, connections);
  o.rate = rate;
  return o;
}

// Echoes whole 64-byte messages; before answering message `stall_at` of connection 0 it sleeps
// `stall` once.
void echo(int fd, int connection, int stall_at = -1, std::chrono::milliseconds stall = {}) {
  char buf[64];
  for (int message = 0;; ++message) {
    std::size_t got = 0;
    while (got < sizeof buf) {
      ssize_t n = ::recv(fd, buf + got, sizeof buf - got, 0);
      if (n <= 0) return;
      got += std::size_t(n);
    }
    if (connection == 0 && message == stall_at) std::this_thread::sleep_for(stall);
    if (!write_all(fd, buf, sizeof buf)) return;
  }
}


TEST(OpenLoop, RequestsModeSendsExactlyTheScheduledRequests) {
  TestServer server([](int fd, int index) { echo(fd, index); });
  Options o = open_loop(server.port(), Proto::echo, 4, 4'000);
  o.requests = 50;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 200u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_sent, 200u * 64);
  EXPECT_EQ(r.result.bytes_received, 200u * 64);
  EXPECT_GT(r.result.schedule_start_ns, 0);
  // 200 requests at 4,000/s are spread over 50 ms: the last reply cannot come sooner.
  EXPECT_GE(r.result.last_reply_ns - r.result.schedule_start_ns, 49'000'000);
}

TEST(OpenLoop, DurationModeSendsEveryRequestScheduledInTheWindow) {
  // 2,000/s for 500 ms: slots 0 … 999 fall inside the window, whatever the machine's speed.
  TestServer server([](int fd, int) { testing::serve_http(fd); });
  Options o = open_loop(server.port(), Proto::http, 10, 2'000);
  o.requests = 0;
  o.duration_ms = 500;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 1000u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_EQ(r.result.bytes_received, 1000u * proto::HttpSession::Responses(13).keep_alive.size());
  // The rate is honoured: the schedule (not the server's speed) sets the run's length.
  std::int64_t elapsed = r.result.last_reply_ns - r.result.schedule_start_ns;
  EXPECT_GE(elapsed, 499'000'000);
  EXPECT_LT(elapsed, 5'000'000'000);  // a hang guard, not a timing claim
}

TEST(OpenLoop, PipelinedHttpVerifiesEveryReply) {
  TestServer server([](int fd, int) { testing::serve_http(fd); });
  Options o = open_loop(server.port(), Proto::http, 2, 5'000);
  o.requests = 100;
  o.pipeline = 4;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 200u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
}

TEST(OpenLoop, AStallShowsInCorrectedLatencyOnly) {
  // One connection, 1,000 requests/s for 1 s; the server sleeps 200 ms once, before its 100th reply.
  // The requests scheduled during the stall wait for it (corrected latency up to ~200 ms), but each
  // is sent only when the stalled reply arrives and then answered at once (uncorrected stays small
  // for all but the one stalled request).
  TestServer server([](int fd, int index) { echo(fd, index, 100, std::chrono::milliseconds(200)); });
  Options o = open_loop(server.port(), Proto::echo, 1, 1'000);
  o.requests = 1'000;
  Outcome r = run(o);
  EXPECT_EQ(r.result.requests, 1000u);
  EXPECT_EQ(r.result.errors, 0u) << r.result.first_error;
  EXPECT_GE(r.scheduled.max_ns, 150'000'000);
  EXPECT_GE(r.scheduled.p90_ns, 50'000'000);  // ~200 of the 1,000 were scheduled inside the stall
  EXPECT_GE(r.sent.max_ns, 150'000'000);      // the one request the server sat on
  EXPECT_LT(r.sent.p50_ns, 50'000'000);
  EXPECT_LT(r.sent.p90_ns, 50'000'000);
  // The waiting was the server's, not the generator's.
  EXPECT_GE(r.result.server_wait_max_ns, 150'000'000);
}

TEST(OpenLoop, ClosedLoopRecordsNoScheduledLatency) {
  TestServer server([](int fd, int index) { echo(fd, index); });
  Options o = open_loop(server.port(), Proto::echo, 2, 0);
  o.requests = 10;
  RunResult result;
  auto latencies = testing::run_checked(o, result);
  EXPECT_EQ(result.requests, 20u);
  EXPECT_EQ(latencies->from_schedule.count(), 0u);
  EXPECT_EQ(result.schedule_start_ns, 0);
}

}  // namespace
}  // namespace loadgen
