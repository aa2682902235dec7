// Proves multishot recv with provided buffers: one recv SQE delivers many messages byte-exact, end of
// stream comes as an empty buffer, ENOBUFS (every buffer held) ends the request and next() re-arms
// it once buffers come back, destroying an armed stream cancels it and returns its buffers, and a
// warm request/response loop over it makes no heap allocation.
#include <cstring>
#include <string_view>

#include "counting_new.hpp"
#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class RecvMultishot : public RingTest {};
RINGCORE_ALL_CONFIGS(RecvMultishot);

TEST_P(RecvMultishot, OneSqeReceivesManyMessagesThenEndOfStream) {
  auto buffers = BufferRing::create(runtime().ring(), 7, 16, 4096);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  std::string got;
  std::uint64_t sqes = 0, cqes = 0;
  run([&]() -> task<void> {
    RecvStream rx(**buffers, fds[0]);
    for (int i = 0; i < 50; ++i) {
      std::string msg = "message " + std::to_string(i) + ";";
      EXPECT_EQ(::write(fds[1], msg.data(), msg.size()), ssize_t(msg.size()));
      auto buf = co_await rx.next();
      EXPECT_TRUE(buf.has_value()) << buf.error().message();
      if (!buf) co_return;
      got.append(buf->data(), buf->size());
    }
    ::shutdown(fds[1], SHUT_WR);
    for (;;) {  // drain anything still queued, then the end of stream
      auto buf = co_await rx.next();
      EXPECT_TRUE(buf.has_value());
      if (!buf || buf->size() == 0) break;
      got.append(buf->data(), buf->size());
    }
    sqes = rx.sqes();
    cqes = rx.cqes();
  }());
  std::string want;
  for (int i = 0; i < 50; ++i) want += "message " + std::to_string(i) + ";";
  EXPECT_EQ(got, want);
  EXPECT_EQ(sqes, 1u) << "every message should come from the one multishot request";
  EXPECT_GE(cqes, 50u);
  EXPECT_EQ((*buffers)->in_use(), 0u);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_P(RecvMultishot, HoldingEveryBufferGivesEnobufsThenRecovers) {
  auto buffers = BufferRing::create(runtime().ring(), 8, 2, 64);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  run([&]() -> task<void> {
    RecvStream rx(**buffers, fds[0]);
    std::vector<BufferRing::Buffer> held;
    for (int i = 0; i < 2; ++i) {
      EXPECT_EQ(::write(fds[1], "ab", 2), 2);
      auto b = co_await rx.next();
      EXPECT_TRUE(b.has_value());
      if (b) held.push_back(std::move(*b));
    }
    EXPECT_EQ(::write(fds[1], "cd", 2), 2);
    auto none = co_await rx.next();  // both buffers held: the kernel has nowhere to put "cd"
    EXPECT_EQ(none.error(), std::errc::no_buffer_space);
    held.clear();  // give them back
    auto again = co_await rx.next();  // re-armed: "cd" arrives now
    EXPECT_TRUE(again.has_value());
    if (again) {
      EXPECT_EQ(std::string(again->data(), again->size()), "cd");
    }
  }());
  EXPECT_EQ((*buffers)->in_use(), 0u);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_P(RecvMultishot, DestroyingAnArmedStreamCancelsItAndReturnsItsBuffers) {
  auto buffers = BufferRing::create(runtime().ring(), 9, 4, 256);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  run([&]() -> task<void> {
    auto rx = std::make_unique<RecvStream>(**buffers, fds[0]);
    EXPECT_EQ(::write(fds[1], "x", 1), 1);
    auto b = co_await rx->next();
    EXPECT_TRUE(b.has_value());
    rx.reset();  // still armed: cancelled, freed at its final CQE
    for (int i = 0; i < 2000 && runtime().ring().in_flight() > 0; ++i) co_await sleep_for(std::chrono::milliseconds(1));
  }());
  EXPECT_EQ(runtime().ring().in_flight(), 0u);
  EXPECT_EQ((*buffers)->in_use(), 0u);
  ::close(fds[0]);
  ::close(fds[1]);
}

// A server's hot path: each request arrives through the one multishot recv and is answered with a
// send. Once warm, neither the stream's queue of completions nor anything else may allocate (a
// std::deque there allocated and freed a block every 64 messages).
TEST_P(RecvMultishot, AWarmRequestResponseLoopAllocatesNothing) {
  auto buffers = BufferRing::create(runtime().ring(), 9, 8, 256);
  ASSERT_TRUE(buffers.has_value()) << buffers.error().message();
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  constexpr int kRequests = 2000, kWarmup = 100;
  const std::string_view request = "GET / HTTP/1.1\r\n\r\n";
  int served = 0, verified = 0;
  std::uint64_t allocations = 99, sqes = 0;
  auto server = [&]() -> task<void> {
    RecvStream rx(**buffers, fds[0]);
    char reply[64];
    while (served < kRequests) {
      unsigned n = 0;
      {
        auto buf = co_await rx.next();
        if (!buf || buf->size() == 0 || buf->size() > sizeof reply) break;
        n = unsigned(buf->size());
        std::memcpy(reply, buf->data(), n);
      }  // the buffer goes back to the ring before the answer is sent
      auto sent = co_await send(fds[0], reply, n);
      if (!sent || *sent != n) break;
      ++served;
    }
    sqes = rx.sqes();
  };
  run([&]() -> task<void> {
    spawn(server());
    char got[64];
    for (int i = 0; i < kRequests; ++i) {
      if (i == kWarmup) g_counting = true;
      auto sent = co_await send(fds[1], request.data(), unsigned(request.size()));
      if (!sent || *sent != request.size()) break;
      auto n = co_await recv(fds[1], got, unsigned(request.size()), MSG_WAITALL);
      if (!n || std::string_view(got, *n) != request) break;
      ++verified;
    }
    g_counting = false;
    allocations = g_news.load();
    ::shutdown(fds[1], SHUT_WR);  // the server sees the end of the stream and returns
    co_await sleep_for(std::chrono::milliseconds(1));
  }());
  EXPECT_EQ(verified, kRequests);
  EXPECT_EQ(served, kRequests);
  EXPECT_EQ(sqes, 1u) << "every request should come through the one multishot recv";
  EXPECT_EQ(allocations, 0u) << "heap allocations during " << kRequests - kWarmup << " warm requests";
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(RecvMultishotShutdown, ARuntimeOwnedRingOutlivesStreamsStillArmedAtShutdown) {
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  bool frame_destroyed = false;
  struct Flag {
    bool* f;
    ~Flag() { *f = true; }
  };
  {
    Runtime rt;
    auto br = rt.make_buffer_ring(3, 4, 128);
    ASSERT_TRUE(br.has_value()) << br.error().message();
    auto reader = [&]() -> task<void> {
      Flag flag{&frame_destroyed};
      RecvStream rx(**br, fds[0]);
      for (;;) {
        auto b = co_await rx.next();  // still armed when the runtime ends
        if (!b || b->size() == 0) break;
      }
    };
    rt.run([&]() -> task<void> {
      spawn(reader());
      EXPECT_EQ(::write(fds[1], "early", 5), 5);
      co_await sleep_for(std::chrono::milliseconds(2));
    }());
    EXPECT_EQ(::write(fds[1], "late", 4), 4);  // arrives while the runtime is shutting down
  }  // ~Runtime: drain (the stream's CQEs recycle into the still-registered ring), frames, then the ring
  EXPECT_TRUE(frame_destroyed);
  ::close(fds[0]);
  ::close(fds[1]);
}
