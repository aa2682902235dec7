// Proves multishot accept: one accept SQE yields a CQE per connection (N connections, 1 SQE),
// connections are handed out in order, and destroying an armed Acceptor cancels its request and
// closes what arrives later instead of leaking or touching freed state.
#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class MultishotAccept : public RingTest {};
RINGCORE_ALL_CONFIGS(MultishotAccept);

TEST_P(MultishotAccept, OneSqeAcceptsManyConnections) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  constexpr int kConnections = 50;
  std::uint64_t sqes = 0, cqes = 0;
  int served = 0;
  run([&]() -> task<void> {
    Acceptor incoming = listener->incoming();
    WaitGroup clients;
    clients.add(kConnections);
    auto client = [&](int i) -> task<void> {
      auto s = co_await TcpStream::connect(listener->local_address());
      EXPECT_TRUE(s.has_value());
      std::string msg = "client " + std::to_string(i);
      co_await s->write_all(msg.data(), msg.size());
      std::string back(msg.size(), '\0');
      auto r = co_await s->read_exact(back.data(), back.size());
      EXPECT_TRUE(r.has_value());
      EXPECT_EQ(back, msg);
      clients.done();
    };
    for (int i = 0; i < kConnections; ++i) spawn(client(i));
    EchoStats stats;
    for (int i = 0; i < kConnections; ++i) {
      auto fd = co_await incoming.next();
      EXPECT_TRUE(fd.has_value()) << fd.error().message();
      if (!fd) break;
      spawn(echo_connection(TcpStream(*fd), stats));
      ++served;
    }
    co_await clients.wait();
    sqes = incoming.sqes();
    cqes = incoming.cqes();
  }());
  EXPECT_EQ(served, kConnections);
  EXPECT_EQ(sqes, 1u) << "every connection should come from the one multishot request";
  EXPECT_EQ(cqes, std::uint64_t(kConnections));
}

TEST_P(MultishotAccept, DestroyingAnArmedAcceptorCancelsItsRequest) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  bool resumed = false;
  run([&]() -> task<void> {
    auto holder = std::make_unique<Acceptor>(listener->fd());
    auto wait_one = [&]() -> task<void> {
      auto fd = co_await holder->next();  // no connection ever comes for this request
      resumed = true;
      (void)fd;
    };
    spawn(wait_one());
    while (!holder->armed()) co_await ringcore::yield();
    co_await sleep_for(std::chrono::milliseconds(2));
    holder.reset();  // armed: cancel; the heap state lives until the request's final CQE
    // Bounded wait for the cancelled request's final CQE (each check runs with nothing else pending).
    for (int i = 0; i < 2000 && runtime().ring().in_flight() > 0; ++i) co_await sleep_for(std::chrono::milliseconds(1));
    EXPECT_FALSE(resumed) << "an orphaned acceptor resumed its old waiter";
  }());
  EXPECT_EQ(runtime().ring().in_flight(), 0u) << "the cancelled request's final CQE was not reaped";
}
