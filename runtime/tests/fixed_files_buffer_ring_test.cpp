// Proves the registered-file and provided-buffer paths: accept_direct puts connections in the
// ring's file table (IOSQE_FIXED_FILE on every request), recv picks buffers from a BufferRing
// and returns them, ENOBUFS when the ring is empty, and the bytes are exact throughout.
#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class FixedFilesBufferRing : public RingTest {};
RINGCORE_ALL_CONFIGS(FixedFilesBufferRing);

TEST_P(FixedFilesBufferRing, EchoOverDirectDescriptorsAndProvidedBuffers) {
  ASSERT_EQ(runtime().ring().register_files(64), 0);
  auto buffers = BufferRing::create(runtime().ring(), 1, 8, 4096);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  BufferRing& br = **buffers;
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  std::string sent = pattern(100000, 11), got;
  run([&]() -> task<void> {
    auto server = [&]() -> task<void> {
      auto conn = co_await listener->accept_direct();
      EXPECT_TRUE(conn.has_value()) << conn.error().message();
      EXPECT_TRUE(conn->fixed());
      for (;;) {
        auto buf = co_await br.recv(conn->fd(), true);
        EXPECT_TRUE(buf.has_value()) << buf.error().message();
        if (!buf || buf->size() == 0) break;
        auto w = co_await conn->write_all(buf->data(), buf->size());
        EXPECT_TRUE(w.has_value());
      }  // each Buffer goes back to the ring here
      co_await conn->close();
    };
    spawn(server());
    auto c = co_await TcpStream::connect(listener->local_address());
    WaitGroup wg;
    wg.add(1);
    auto sender = [&]() -> task<void> {
      co_await c->write_all(sent.data(), sent.size());
      co_await c->shutdown(SHUT_WR);
      wg.done();
    };
    spawn(sender());
    got.resize(sent.size());
    auto r = co_await c->read_exact(got.data(), got.size());
    EXPECT_TRUE(r.has_value());
    co_await wg.wait();
  }());
  EXPECT_TRUE(got == sent);
  EXPECT_EQ(br.in_use(), 0u);
}

TEST_P(FixedFilesBufferRing, AnEmptyBufferRingGivesEnobufs) {
  auto buffers = BufferRing::create(runtime().ring(), 2, 1, 64);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  BufferRing& br = **buffers;
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_EQ(::write(fds[1], "abcdef", 6), 6);
  run([&]() -> task<void> {
    auto first = co_await br.recv(fds[0]);  // takes the only buffer and keeps it
    EXPECT_TRUE(first.has_value());
    EXPECT_EQ(std::string(first->data(), first->size()), "abcdef");
    EXPECT_EQ(br.in_use(), 1u);
    EXPECT_EQ(::write(fds[1], "gh", 2), 2);
    auto second = co_await br.recv(fds[0]);
    EXPECT_EQ(second.error(), std::errc::no_buffer_space);
    first->reset();  // give it back
    auto third = co_await br.recv(fds[0]);
    EXPECT_TRUE(third.has_value());
    EXPECT_EQ(std::string(third->data(), third->size()), "gh");
  }());
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_EQ(br.in_use(), 0u);
}

TEST(BufferRingSetup, RejectsCountsThatAreNotPowersOfTwo) {
  Runtime rt;
  EXPECT_EQ(BufferRing::create(rt.ring(), 3, 6, 64).error(), std::errc::invalid_argument);
  EXPECT_EQ(BufferRing::create(rt.ring(), 3, 0, 64).error(), std::errc::invalid_argument);
}
