// Proves TcpListener/TcpStream end to end: echo round trips byte-exact from 1 B to 1 MiB over IPv4
// and IPv6 loopback, port 0 reported, half-close honoured, under every ring configuration.
#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class TcpEcho : public RingTest {};
RINGCORE_ALL_CONFIGS(TcpEcho);

namespace {

task<void> round_trips(SocketAddress address, std::vector<std::size_t> sizes, int& checked) {
  for (std::size_t size : sizes) {
    auto s = co_await TcpStream::connect(address);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    if (!s) co_return;
    std::string out = pattern(size, unsigned(size));
    // Send and receive concurrently: 1 MiB does not fit in the socket buffers both ways.
    WaitGroup wg;
    wg.add(1);
    auto sender = [&]() -> task<void> {
      auto w = co_await s->write_all(out.data(), out.size());
      EXPECT_TRUE(w.has_value());
      auto sh = co_await s->shutdown(SHUT_WR);  // half-close: "that is all"
      EXPECT_TRUE(sh.has_value());
      wg.done();
    };
    spawn(sender());
    std::string in(size, '\0');
    auto r = co_await s->read_exact(in.data(), in.size());
    EXPECT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(in == out) << "size " << size;
    char extra;
    auto eof = co_await s->read(&extra, 1);  // the server closes after echoing everything
    EXPECT_EQ(eof.value_or(99), 0u);
    co_await wg.wait();
    ++checked;
  }
}

}  // namespace

TEST_P(TcpEcho, RoundTripsAreByteExactFromOneByteToOneMebibyte) {
  for (const char* ip : {"127.0.0.1", "::1"}) {
    auto listener = TcpListener::bind(ip, 0);
    ASSERT_TRUE(listener.has_value()) << ip << ": " << listener.error().message();
    ASSERT_NE(listener->port(), 0);
    EchoStats stats;
    int checked = 0;
    std::vector<std::size_t> sizes = {1, 64, 4096, 65536, 1 << 20};
    run([&]() -> task<void> {
      spawn(echo_server(*listener, stats));
      co_await round_trips(listener->local_address(), sizes, checked);
    }());
    EXPECT_EQ(checked, int(sizes.size())) << ip;
    EXPECT_EQ(stats.connections, sizes.size()) << ip;
    EXPECT_EQ(stats.errors, 0u) << ip << ": " << stats.last_error.message();
  }
}

TEST(TcpAddress, ParsesAndPrintsBothFamilies) {
  auto v4 = SocketAddress::parse("127.0.0.1", 8080);
  ASSERT_TRUE(v4.has_value());
  EXPECT_EQ(v4->family(), AF_INET);
  EXPECT_EQ(v4->to_string(), "127.0.0.1:8080");
  auto v6 = SocketAddress::parse("::1", 443);
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->family(), AF_INET6);
  EXPECT_EQ(v6->to_string(), "[::1]:443");
  EXPECT_EQ(SocketAddress::parse("localhost", 1).error(), std::errc::invalid_argument);
  EXPECT_EQ(TcpListener::bind("not an address", 0).error(), std::errc::invalid_argument);
}

TEST(TcpListen, DefaultsToLoopbackAndReportsThePort) {
  auto l = TcpListener::bind();
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->local_address().to_string().rfind("127.0.0.1:", 0), 0u);
  EXPECT_GT(l->port(), 0);
  auto taken = TcpListener::bind("127.0.0.1", l->port());
  EXPECT_EQ(taken.error(), std::errc::address_in_use);
}
