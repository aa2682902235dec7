// Proves multishot accept: one accept SQE yields a CQE per connection (N connections, 1 SQE),
// connections are handed out in order, and destroying an armed Acceptor cancels its request,
// without leaking or touching freed state, and closes the connections it never handed out.
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

// Connections the kernel accepted but next() never handed out belong to the Acceptor: when it goes,
// each is closed, so its client reads the end of the stream instead of waiting on a leaked socket.
TEST_P(MultishotAccept, ConnectionsNeverHandedOutAreClosedWithTheAcceptor) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  constexpr int kQueued = 3;
  int ends_seen = 0;
  std::uint64_t cqes = 0;
  std::string outcomes;  // each client's read, for the failure message: "end", or the error
  run([&]() -> task<void> {
    auto holder = std::make_unique<Acceptor>(listener->fd());
    auto first = [&]() -> task<void> { co_return (void)co_await TcpStream::connect(listener->local_address()); };
    spawn(first());
    auto handed_out = co_await holder->next();  // arms the request; this one is ours
    EXPECT_TRUE(handed_out.has_value());
    TcpStream kept(handed_out ? *handed_out : -1);
    WaitGroup clients;
    clients.add(kQueued);
    auto client = [&]() -> task<void> {
      auto s = co_await TcpStream::connect(listener->local_address());
      EXPECT_TRUE(s.has_value());
      char byte;
      if (s) {
        // Returns when the server side is closed; the time limit only guards against a hang.
        auto read = s->read(&byte, 1);
        auto n = co_await with_timeout(read, std::chrono::seconds(5));
        if (n && *n == 0) ++ends_seen;
        outcomes += n ? (*n == 0 ? " end" : " " + std::to_string(*n) + " bytes") : " " + n.error().message();
      }
      clients.done();
    };
    for (int i = 0; i < kQueued; ++i) spawn(client());
    for (int i = 0; i < 2000 && holder->cqes() < 1 + kQueued; ++i) co_await sleep_for(std::chrono::milliseconds(1));
    cqes = holder->cqes();
    holder.reset();  // the three queued connections are closed here
    co_await clients.wait();
    for (int i = 0; i < 2000 && runtime().ring().in_flight() > 0; ++i) co_await sleep_for(std::chrono::milliseconds(1));
  }());
  EXPECT_EQ(cqes, std::uint64_t(1 + kQueued));
  EXPECT_EQ(ends_seen, kQueued) << "the clients' reads:" << outcomes;
  EXPECT_EQ(runtime().ring().in_flight(), 0u);
}
