// Proves the errors a server meets in real life come back as values and do not stop it: a client
// that resets mid-request (ECONNRESET), writing to a peer that has gone (EPIPE, no SIGPIPE),
// connecting to nothing (ECONNREFUSED), and a peer that closes half-way through a read_exact.
#include <signal.h>

#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class PeerErrors : public RingTest {};
RINGCORE_ALL_CONFIGS(PeerErrors);

TEST_P(PeerErrors, AResetClientDoesNotStopTheServerServingTheNext) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  EchoStats stats;
  std::string echoed;
  run([&]() -> task<void> {
    spawn(echo_server(*listener, stats));
    // Client 1: sends half a request, then resets (SO_LINGER 0 → RST instead of FIN).
    auto rude = co_await TcpStream::connect(listener->local_address());
    co_await rude->write_all("half a req", 10);
    char tmp[10];
    co_await rude->read_exact(tmp, 10);
    linger lg{1, 0};
    ::setsockopt(rude->fd(), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    co_await rude->write_all("more", 4);
    rude = TcpStream();  // close with RST while the server may be writing back
    co_await sleep_for(std::chrono::milliseconds(5));
    // Client 2 is served normally.
    auto polite = co_await TcpStream::connect(listener->local_address());
    co_await polite->write_all("next client", 11);
    std::string back(11, '\0');
    auto r = co_await polite->read_exact(back.data(), back.size());
    EXPECT_TRUE(r.has_value());
    echoed = back;
  }());
  EXPECT_EQ(echoed, "next client");
  EXPECT_EQ(stats.connections, 2u);
}

TEST_P(PeerErrors, WritingToAClosedPeerIsEpipeNotSigpipe) {
  // SIGPIPE left at its default (terminate): MSG_NOSIGNAL must keep us alive.
  struct sigaction old {};
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  ::sigaction(SIGPIPE, &dfl, &old);
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  std::error_code error;
  run([&]() -> task<void> {
    auto s = co_await TcpStream::connect(listener->local_address());
    auto peer = co_await listener->accept();
    EXPECT_TRUE(peer.has_value());
    *peer = TcpStream();  // the server side goes away
    std::string big(1 << 20, 'x');
    for (int i = 0; i < 20 && !error; ++i) {
      auto w = co_await s->write_all(big.data(), big.size());
      if (!w) error = w.error();
    }
  }());
  ::sigaction(SIGPIPE, &old, nullptr);
  EXPECT_TRUE(error == std::errc::broken_pipe || error == std::errc::connection_reset) << error.message();
}

TEST_P(PeerErrors, ConnectingToNothingIsConnectionRefused) {
  auto l = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(l.has_value());
  SocketAddress nobody = l->local_address();
  *l = TcpListener();  // nothing listens on that port any more
  run([&]() -> task<void> {
    auto s = co_await TcpStream::connect(nobody);
    EXPECT_EQ(s.error(), std::errc::connection_refused);
  }());
}

TEST_P(PeerErrors, APeerClosingHalfwayEndsReadExactWithAnError) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  run([&]() -> task<void> {
    auto s = co_await TcpStream::connect(listener->local_address());
    auto peer = co_await listener->accept();
    co_await peer->write_all("12345", 5);
    co_await peer->shutdown(SHUT_WR);
    char buf[10];
    auto r = co_await s->read_exact(buf, sizeof buf);
    EXPECT_EQ(r.error(), std::errc::connection_aborted);
  }());
}
