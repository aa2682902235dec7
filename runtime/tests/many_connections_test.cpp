// Proves 1,000 concurrent client connections to a ringcore server are all answered correctly, with
// the listen backlog deep enough that none waits for a SYN retry.
#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class ManyConnections : public RingTest {};
RINGCORE_ALL_CONFIGS(ManyConnections);

TEST_P(ManyConnections, AThousandConcurrentClientsAllGetTheirOwnBytesBack) {
  constexpr int kClients = 1000;
  raise_nofile(2 * kClients + 100);  // both ends of every connection live in this process
  if (nofile_limit() < 2 * kClients + 100) GTEST_SKIP() << "RLIMIT_NOFILE hard limit too low: " << nofile_limit();
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  EchoStats stats;
  int ok = 0, failed = 0;
  std::string first_failure;
  run([&]() -> task<void> {
    spawn(echo_server(*listener, stats));
    WaitGroup wg;
    wg.add(kClients);
    auto client = [&](int i) -> task<void> {
      auto s = co_await TcpStream::connect(listener->local_address());
      std::string msg = "client-" + std::to_string(i) + "-" + pattern(64, unsigned(i));
      std::string back(msg.size(), '\0');
      bool good = false;
      if (s) {
        auto w = co_await s->write_all(msg.data(), msg.size());
        auto r = w ? co_await s->read_exact(back.data(), back.size()) : Result<void>(w.error());
        good = r.has_value() && back == msg;
        if (!r && first_failure.empty()) first_failure = r.error().message();
      } else if (first_failure.empty()) {
        first_failure = "connect: " + s.error().message();
      }
      good ? ++ok : ++failed;
      wg.done();
    };
    for (int i = 0; i < kClients; ++i) spawn(client(i));
    co_await with_timeout(ringcore::nop(), std::chrono::milliseconds(1));
    co_await wg.wait();
  }());
  EXPECT_EQ(ok, kClients) << failed << " failed; first: " << first_failure;
  EXPECT_EQ(stats.connections, std::size_t(kClients));
}
