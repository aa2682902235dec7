// Coroutine frames are recycled (detail/frame_pool.hpp): a frame of a size class seen before comes
// back from the thread's free list, big frames bypass it, the cache is bounded, and a server loop
// that awaits a helper task per request makes no heap allocation at all once warm (counted by
// replacing the global operator new in this test program).
#include <sys/socket.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "counting_new.hpp"
#include "ringcore/detail/frame_pool.hpp"
#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;
using detail::allocate_frame;
using detail::frame_pool_stats;
using detail::release_frame;

namespace {

TEST(FramePool, AFreedFrameServesTheNextOfItsSizeClass) {
  void* a = allocate_frame(200);
  release_frame(a, 200);
  const auto before = frame_pool_stats();
  void* b = allocate_frame(250);  // 200 and 250 are both in the 193..256-byte class
  EXPECT_EQ(b, a);
  EXPECT_EQ(frame_pool_stats().reused, before.reused + 1);
  EXPECT_EQ(frame_pool_stats().allocated, before.allocated);
  void* c = allocate_frame(250);  // the list is empty again: a new block
  EXPECT_NE(c, b);
  EXPECT_EQ(frame_pool_stats().allocated, before.allocated + 1);
  release_frame(b, 250);
  release_frame(c, 250);
  void* d = allocate_frame(100);  // another class: not one of those two
  EXPECT_NE(d, b);
  EXPECT_NE(d, c);
  release_frame(d, 100);
}

TEST(FramePool, FramesOverFourKiBBypassThePool) {
  const auto before = frame_pool_stats();
  void* big = allocate_frame(5000);
  release_frame(big, 5000);
  EXPECT_EQ(frame_pool_stats().allocated, before.allocated + 1);
  EXPECT_EQ(frame_pool_stats().cached_bytes, before.cached_bytes);
}

TEST(FramePool, TheCacheIsBounded) {
  std::vector<void*> frames;
  const std::size_t n = detail::kMaxCachedBytes / 4096 + 100;
  for (std::size_t i = 0; i < n; ++i) frames.push_back(allocate_frame(4096));
  for (void* f : frames) release_frame(f, 4096);
  EXPECT_LE(frame_pool_stats().cached_bytes, detail::kMaxCachedBytes);
  EXPECT_GE(frame_pool_stats().cached_bytes, detail::kMaxCachedBytes - 4096);
}

TEST(FramePool, EachThreadHasItsOwnPool) {
  void* mine = allocate_frame(300);
  release_frame(mine, 300);
  void* theirs = nullptr;
  std::uint64_t their_reused = 99;
  std::thread([&] {
    theirs = allocate_frame(300);  // not the frame this thread cached
    release_frame(theirs, 300);
    their_reused = frame_pool_stats().reused;
  }).join();  // the thread's cached frame goes back to the heap as it exits (LeakSanitizer checks)
  EXPECT_NE(theirs, mine);
  EXPECT_EQ(their_reused, 0u);
  void* again = allocate_frame(300);
  EXPECT_EQ(again, mine);
  release_frame(again, 300);
}

#if defined(__SANITIZE_ADDRESS__)
// Recycling must not hide a use after free from AddressSanitizer: a cached frame is poisoned.
TEST(FramePoolDeathTest, ReadingAFreedFrameIsReportedUnderAddressSanitizer) {
  EXPECT_DEATH(
      {
        auto* frame = static_cast<volatile char*>(allocate_frame(128));
        release_frame(const_cast<char*>(frame), 128);
        (void)frame[8];
      },
      "use-after-poison");
}
#endif

// One helper task per request, as a server that factors its receive into a coroutine does.
task<std::size_t> receive_request(int fd, char* buf, unsigned len) {
  auto n = co_await recv(fd, buf, len);
  co_return n ? *n : 0;
}

task<int> echo_server(int fd, int requests) {
  char buf[256];
  for (int i = 0; i < requests; ++i) {
    std::size_t n = co_await receive_request(fd, buf, sizeof buf);
    if (n == 0) co_return i;
    auto sent = co_await send(fd, buf, unsigned(n));
    if (!sent || *sent != n) co_return -1;
  }
  co_return requests;
}

task<void> client(int fd, int requests, int warmup, std::uint64_t& allocations, int& verified) {
  char reply[256];
  const char request[] = "GET / HTTP/1.1\r\n\r\n";
  for (int i = 0; i < requests; ++i) {
    if (i == warmup) g_counting = true;
    auto sent = co_await send(fd, request, sizeof request - 1);
    if (!sent || *sent != sizeof request - 1) break;
    auto n = co_await recv(fd, reply, sizeof reply);
    if (!n || std::string_view(reply, *n) != request) break;
    ++verified;
  }
  g_counting = false;
  allocations = g_news.load();
}

TEST(FramePool, AwaitingATaskPerRequestAllocatesNothingOnceWarm) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  constexpr int kRequests = 2000, kWarmup = 100;
  std::uint64_t allocations = 99;
  int verified = 0, served = -2;
  const auto before = frame_pool_stats();
  g_news = 0;
  {
    Runtime rt;
    auto root = [&]() -> task<void> {
      spawn(client(sv[1], kRequests, kWarmup, allocations, verified));
      served = co_await echo_server(sv[0], kRequests);
    };
    rt.run(root());
  }
  ::close(sv[0]);
  ::close(sv[1]);
  EXPECT_EQ(verified, kRequests);
  EXPECT_EQ(served, kRequests);
  EXPECT_EQ(allocations, 0u) << "heap allocations during " << kRequests - kWarmup << " warm requests";
  // Every request's helper frame after the first came from the pool.
  EXPECT_GE(frame_pool_stats().reused - before.reused, std::uint64_t(kRequests - 1));
}

}  // namespace
