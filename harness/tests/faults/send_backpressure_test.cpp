// Proves a server whose client does not read (its sends hit EAGAIN: echo of 8 MiB, or 90,000
// pipelined GETs, against a 64 KiB receive window) waits instead of spinning (well under 0.5 s of CPU
// in 1 s), keeps serving another client, and delivers every byte exactly once the client reads.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "exchange.hpp"
#include "fault_server.hpp"
#include "misbehaving_peer.hpp"
#include "proc_stats.hpp"

namespace faults {
namespace {

using namespace std::chrono_literals;

using SendBackpressure = ProtoFaultTest;

constexpr std::size_t kEchoBytes = 8 << 20;
constexpr std::size_t kPipelinedGets = 90'000;  // under nginx's keepalive_requests (100,000)
constexpr std::size_t kWriteChunk = 64 * 1024;
constexpr auto kQuiet = 300ms;  // no progress either way for this long: the transfer is at rest
constexpr auto kStallBound = 20s;
constexpr auto kCpuWindow = 1s;
constexpr double kMaxCpuSeconds = 0.5;
constexpr int kSlowSocketTimeoutMs = 60'000;  // the writer stays blocked through the stall on purpose

TEST_P(SendBackpressure, ServerWaitsServesOthersAndDeliversEverything) {
  Exchange exchange(proto());
  std::string requests;
  std::size_t count = 1;
  if (exchange.is_http()) {
    count = kPipelinedGets;
    for (std::size_t i = 0; i < count; ++i) requests += exchange.request(int(i));
  } else {
    requests = conformance::data_bytes(kEchoBytes, 11);
  }
  TcpClient reader_late, other;
  std::string error;
  ASSERT_TRUE(reader_late.connect(port(), kSlowSocketTimeoutMs, error)) << error;
  shrink_receive_buffer(reader_late);

  std::atomic<std::size_t> written{0};
  std::atomic<bool> write_ok{true};
  std::string write_error;
  std::thread writer([&] {
    for (std::size_t at = 0; at < requests.size(); at += kWriteChunk) {
      if (!reader_late.send_all(std::string_view(requests).substr(at, kWriteChunk), write_error)) {
        write_ok = false;
        return;
      }
      written = std::min(requests.size(), at + kWriteChunk);
    }
  });
  // On an early return (a failed assertion) the writer may be blocked in send(): shutting the socket
  // down wakes it, so the join cannot wait for the socket timeout.
  struct JoinAtExit {
    std::thread& thread;
    int fd;
    ~JoinAtExit() {
      if (!thread.joinable()) return;
      ::shutdown(fd, SHUT_RDWR);
      thread.join();
    }
  } join_at_exit{writer, reader_late.fd()};

  // Wait until nothing moves: the server's replies have filled our small window and its own send
  // buffer (at most tcp_wmem's 4 MiB), so its sends return EAGAIN, and the writer has either finished
  // or stalled because the server stopped reading. The replies owed exceed what those buffers hold,
  // so the server cannot have sent everything.
  auto deadline = std::chrono::steady_clock::now() + kStallBound;
  std::size_t seen_written = written;
  int seen_arrived = bytes_waiting(reader_late);
  auto last_change = std::chrono::steady_clock::now();
  while (write_ok && std::chrono::steady_clock::now() < deadline &&
         std::chrono::steady_clock::now() - last_change < kQuiet) {
    std::this_thread::sleep_for(10ms);
    if (written != seen_written || bytes_waiting(reader_late) != seen_arrived) {
      seen_written = written;
      seen_arrived = bytes_waiting(reader_late);
      last_change = std::chrono::steady_clock::now();
    }
  }
  ASSERT_TRUE(write_ok) << write_error;
  ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the transfer never came to rest";
  const std::size_t reply_bytes = exchange.is_http() ? count * exchange.reply_size() : requests.size();
  ASSERT_LT(std::size_t(seen_arrived), reply_bytes) << "every reply arrived: the server never had to wait";

  double cpu = cpu_seconds_over(server_pid(), kCpuWindow);
  std::printf("backpressure %s: %zu of %zu request bytes written, %d of %zu reply bytes arrived unread; "
              "server CPU %.2f s over 1 s\n",
              proto().c_str(), std::size_t(written), requests.size(), seen_arrived, reply_bytes, cpu);
  EXPECT_LT(cpu, kMaxCpuSeconds) << "the server spins while its sends cannot proceed";

  ASSERT_TRUE(other.connect(port(), kSocketTimeoutMs, error)) << error;
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(exchange.round_trip(other, 100 + i, error)) << "the other client, request " << i << ": " << error;

  // Now read: every reply, exactly, while the writer finishes.
  ASSERT_TRUE(exchange.read_replies(reader_late, requests, count, error)) << error;
  writer.join();
  ASSERT_TRUE(write_ok) << write_error;

  reader_late.close();
  other.close();
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> answered;
  if (exchange.is_http()) answered = count + 3;
  expect_counters(stop_server(), {.connections = 2, .errors = 0, .requests = answered});
}

INSTANTIATE_TEST_SUITE_P(Protocols, SendBackpressure, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
