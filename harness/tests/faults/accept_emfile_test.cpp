// Proves a server out of descriptors (RLIMIT_NOFILE 64, EMFILE on accept) keeps serving the
// connections it has without spinning, and serves the connections waiting in the backlog once some
// close. libuv's documented reserve-descriptor trick (uv__emfile_trick: close a spare descriptor,
// accept and close every waiting connection, reopen the spare) refuses waiting clients instead:
// for libuv only, a waiting client may see a reset or a close with no reply, counted as refused.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "exchange.hpp"
#include "fault_server.hpp"
#include "proc_stats.hpp"

namespace faults {
namespace {

using namespace std::chrono_literals;

constexpr std::uint64_t kServerFdLimit = 64;
constexpr int kHeadroom = 4;      // descriptors left free below the limit for the first group
constexpr int kWaiting = 50;      // connections opened once the first group has taken the rest
constexpr auto kSettle = 10s;     // bound on reaching the limit
constexpr auto kCpuWindow = 1s;
constexpr double kMaxCpuSeconds = 0.5;  // a server retrying accept() in a loop would use about 1 s

class AcceptEmfile : public FaultServerTest, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override { start_server(GetParam(), kServerFdLimit); }
};

bool refuses_waiting_clients() { return backend().name == "libuv"; }

enum class Outcome { replied, refused, failed };

// A waiting client's fate: its exact reply, or (reset or close before any byte) refused.
Outcome await_reply(const Exchange& exchange, TcpClient& client, const std::string& request, std::string& error) {
  char byte;
  ssize_t n;
  do n = ::recv(client.fd(), &byte, 1, MSG_PEEK);
  while (n < 0 && errno == EINTR);
  if (n == 0 || (n < 0 && errno == ECONNRESET)) {
    error = n == 0 ? "closed before any reply" : "reset before any reply";
    return Outcome::refused;
  }
  if (n < 0) {
    error = std::string("no reply: ") + std::strerror(errno) + (errno == EAGAIN ? " (timed out)" : "");
    return Outcome::failed;
  }
  return exchange.read_replies(client, request, 1, error) ? Outcome::replied : Outcome::failed;
}

TEST_P(AcceptEmfile, ExistingConnectionsServedThenTheBacklog) {
  Exchange exchange(proto());
  std::string error;
  const int first_count = int(kServerFdLimit) - descriptors_at_ready() - kHeadroom;
  ASSERT_GE(first_count, 10) << "the server already holds " << descriptors_at_ready() << " descriptors at ready";

  // Group one: served, holding most of the server's descriptors.
  std::vector<std::unique_ptr<TcpClient>> first;
  for (int i = 0; i < first_count; ++i) {
    first.push_back(std::make_unique<TcpClient>());
    ASSERT_TRUE(first.back()->connect(port(), kSocketTimeoutMs, error)) << error;
    ASSERT_TRUE(exchange.round_trip(*first.back(), i, error)) << "connection " << i << " of the first group: " << error;
  }

  // Group two: more than the server has room for. The kernel completes their handshakes into the
  // accept backlog; the server runs out of descriptors accepting them.
  std::vector<std::unique_ptr<TcpClient>> waiting;
  std::vector<std::string> requests;
  std::vector<bool> send_failed;
  for (int i = 0; i < kWaiting; ++i) {
    waiting.push_back(std::make_unique<TcpClient>());
    ASSERT_TRUE(waiting.back()->connect(port(), kSocketTimeoutMs, error)) << "waiting connection " << i << ": " << error;
    requests.push_back(exchange.request(first_count + i));
    send_failed.push_back(!waiting.back()->send_all(requests.back(), error));
    if (send_failed.back() && !refuses_waiting_clients()) FAIL() << "waiting connection " << i << ": " << error;
  }
  auto deadline = std::chrono::steady_clock::now() + kSettle;
  while (max_open_fds_below(server_pid(), int(kServerFdLimit)) < int(kServerFdLimit) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  ASSERT_EQ(max_open_fds_below(server_pid(), int(kServerFdLimit)), int(kServerFdLimit)) << "the server never ran out of descriptors";

  // Out of descriptors, with connections waiting: no busy retry loop, and the first group is served.
  double cpu = cpu_seconds_over(server_pid(), kCpuWindow);
  std::printf("EMFILE %s: server CPU %.2f s over %lld ms at its descriptor limit\n", proto().c_str(), cpu,
              static_cast<long long>(std::chrono::milliseconds(kCpuWindow).count()));
  EXPECT_LT(cpu, kMaxCpuSeconds) << "the server spins while accept() fails with EMFILE";
  for (int i = 0; i < first_count; ++i)
    ASSERT_TRUE(exchange.round_trip(*first[i], 1000 + i, error)) << "first-group connection " << i << " at EMFILE: " << error;

  // Room again: the waiting connections are accepted and answered (libuv: or were refused).
  first.clear();
  int replied = 0, refused = 0;
  for (int i = 0; i < kWaiting; ++i) {
    Outcome outcome = send_failed[i] ? Outcome::refused : await_reply(exchange, *waiting[i], requests[i], error);
    if (outcome == Outcome::replied) ++replied;
    if (outcome == Outcome::refused) ++refused;
    ASSERT_NE(outcome, Outcome::failed) << "waiting connection " << i << ": " << error;
    if (outcome == Outcome::refused && !refuses_waiting_clients())
      FAIL() << "waiting connection " << i << " was refused (" << error << "); only libuv's reserve-descriptor trick may";
  }
  std::printf("EMFILE %s: %d first-group connections served twice; of %d waiting, %d answered, %d refused\n",
              proto().c_str(), first_count, kWaiting, replied, refused);
  waiting.clear();

  ASSERT_TRUE(exchange.fresh_round_trip(port(), 5000, error)) << "after the backlog: " << error;
  ASSERT_TRUE(connections_released());
  std::optional<std::uint64_t> answered;
  if (exchange.is_http()) answered = std::uint64_t(2 * first_count + replied + 1);
  // Connections refused by libuv's trick never reach the backend: it neither counts nor serves them.
  expect_counters(stop_server(),
                  {.connections = std::uint64_t(first_count + replied + 1), .errors = 0, .requests = answered});
}

INSTANTIATE_TEST_SUITE_P(Protocols, AcceptEmfile, ::testing::Values("echo", "http"), proto_name);

}  // namespace
}  // namespace faults
