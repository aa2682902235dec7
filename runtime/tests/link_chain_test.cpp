// Proves linked chains (IOSQE_IO_LINK): read → write copies in one submission; when the first link
// fails the rest report ECANCELED; a short read breaks the link so the write never sends stale bytes;
// a chain waiting on the network never holds back another task's completion.
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class LinkChain : public RingTest {};
RINGCORE_ALL_CONFIGS(LinkChain);

TEST_P(LinkChain, ReadThenWriteCopiesTheBuffer) {
  std::string data = pattern(8192, 5);
  TempFile src(data), dst;
  int in = ::open(src.path().c_str(), O_RDONLY), out = ::open(dst.path().c_str(), O_WRONLY);
  ASSERT_GE(in, 0);
  ASSERT_GE(out, 0);
  run([&]() -> task<void> {
    std::vector<char> buf(4096);
    for (std::uint64_t off = 0; off < data.size(); off += buf.size()) {
      auto [r, w] = co_await link(ringcore::read(in, buf.data(), 4096, off), ringcore::write(out, buf.data(), 4096, off));
      EXPECT_EQ(r.value_or(0), 4096u);
      EXPECT_EQ(w.value_or(0), 4096u);
    }
  }());
  ::close(in);
  ::close(out);
  EXPECT_EQ(dst.read_all(), data);
}

TEST_P(LinkChain, AFailedFirstLinkCancelsTheRest) {
  TempFile dst;
  int out = ::open(dst.path().c_str(), O_WRONLY);
  run([&]() -> task<void> {
    char buf[64] = {};
    auto [r, w, n] = co_await link(ringcore::read(-1, buf, sizeof buf, 0), ringcore::write(out, buf, sizeof buf, 0), nop());
    EXPECT_EQ(r.error(), std::errc::bad_file_descriptor);
    EXPECT_EQ(w.error(), std::errc::operation_canceled);
    EXPECT_EQ(n.error(), std::errc::operation_canceled);
  }());
  ::close(out);
  EXPECT_EQ(dst.read_all(), "");  // the write never ran
}

TEST_P(LinkChain, AShortReadBreaksTheLinkSoTheWriteNeverWritesStaleBytes) {
  TempFile src("only 10 b!"), dst;
  int in = ::open(src.path().c_str(), O_RDONLY), out = ::open(dst.path().c_str(), O_WRONLY);
  run([&]() -> task<void> {
    std::string buf(4096, '#');  // stale bytes a wrong write would leak
    auto [r, w] = co_await link(ringcore::read(in, buf.data(), 4096, 0), ringcore::write(out, buf.data(), 4096, 0));
    EXPECT_EQ(r.value_or(0), 10u);
    EXPECT_EQ(w.error(), std::errc::operation_canceled);
  }());
  ::close(in);
  ::close(out);
  EXPECT_EQ(dst.read_all(), "");
}

TEST_P(LinkChain, AChainIsNeverSplitByAFullSq) {
  // With only 4 SQ entries, chains of 3 must each be queued whole (reserve() submits first).
  Runtime* unused = nullptr;
  (void)unused;
  std::string data = pattern(4096 * 6, 9);
  TempFile src(data), dst;
  int in = ::open(src.path().c_str(), O_RDONLY), out = ::open(dst.path().c_str(), O_WRONLY);
  run([&]() -> task<void> {
    std::vector<std::vector<char>> bufs(6, std::vector<char>(4096));
    int done = 0;
    auto copy = [&](int i) -> task<void> {
      auto [r, w, n] = co_await link(ringcore::read(in, bufs[i].data(), 4096, i * 4096ULL),
                                     ringcore::write(out, bufs[i].data(), 4096, i * 4096ULL), nop());
      EXPECT_EQ(r.value_or(0), 4096u);
      EXPECT_EQ(w.value_or(0), 4096u);
      EXPECT_TRUE(n.has_value());
      ++done;
    };
    for (int i = 0; i < 6; ++i) spawn(copy(i));
    while (done < 6) co_await ringcore::yield();
  }());
  ::close(in);
  ::close(out);
  EXPECT_EQ(dst.read_all(), data);
}

// A chain waiting on the network must not hold back other completions. Below, a chain echoes a
// byte that another task sends after a nop it submits in the same turn. If the loop asked the kernel
// for both of the chain's completions at once, the nop's completion alone would not end the wait,
// the sender would never run, and nothing else would ever complete. (A fired timer would end such a
// wait anyway: the kernel ends every wait when a timeout request completes. A nop does not.)
// A helper thread is the hang guard: after 10 s it sends a byte of its own to release the chain.
TEST_P(LinkChain, AChainWaitingOnTheNetworkDoesNotHoldBackOtherCompletions) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  std::mutex m;
  std::condition_variable cv;
  bool finished = false;
  std::atomic<bool> guard_fired{false};
  std::thread guard([&] {
    std::unique_lock lock(m);
    if (cv.wait_for(lock, std::chrono::seconds(10), [&] { return finished; })) return;
    guard_fired = true;
    (void)!::write(sv[1], "g", 1);
  });
  char echoed = 0;
  bool sender_ran_before_guard = false;
  run([&]() -> task<void> {
    auto echo_one = [&]() -> task<void> {  // named: a coroutine lambda must outlive its frame
      char buf = 0;
      auto [got, sent] = co_await link(RecvOp(sv[0], &buf, 1, 0, false), SendOp(sv[0], &buf, 1, 0, false));
      EXPECT_EQ(got.value_or(0), 1u);
      EXPECT_EQ(sent.value_or(0), 1u);
    };
    spawn(echo_one());
    co_await ringcore::yield();  // the chain is submitted on the next turn, with the nop below
    auto n = co_await nop();
    EXPECT_TRUE(n.has_value());
    sender_ran_before_guard = !guard_fired;
    auto w = co_await ringcore::write(sv[1], "x", 1);
    EXPECT_EQ(w.value_or(0), 1u);
    auto r = co_await ringcore::read(sv[1], &echoed, 1);
    EXPECT_EQ(r.value_or(0), 1u);
  }());
  {
    std::lock_guard lock(m);
    finished = true;
  }
  cv.notify_one();
  guard.join();
  EXPECT_TRUE(sender_ran_before_guard) << "the nop's completion did not end the loop's wait: the 10 s guard did";
  EXPECT_EQ(echoed, 'x');
  ::close(sv[0]);
  ::close(sv[1]);
}

// The other half of the rule: a chain alone in flight is waited for whole, in one io_uring_enter.
// Its second request is a 100 ms timeout, so its two completions come apart (by far more than the
// loop takes from a wait's return to reaping): a loop that waited for one completion at a time would
// enter twice. With another request in flight (a recv that only the
// test's end completes), the loop waits for one at a time, and enters once per completion.
TEST_P(LinkChain, ALoneChainIsWaitedForInOneEnterAndOtherwiseOneCompletionAtATime) {
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  std::uint64_t alone = 0, not_alone = 0;
  run([&]() -> task<void> {
    auto before = runtime().ring().stats().enters;
    auto [n, t] = co_await link(nop(), sleep_for(std::chrono::milliseconds(100)));
    EXPECT_TRUE(n.has_value());
    EXPECT_TRUE(t.has_value());  // the timeout's -ETIME is its success
    alone = runtime().ring().stats().enters - before;

    char byte = 0;
    bool received = false;
    auto wait_for_byte = [&]() -> task<void> {
      auto r = co_await ringcore::read(sv[0], &byte, 1);
      EXPECT_EQ(r.value_or(0), 1u);
      received = true;
    };
    spawn(wait_for_byte());
    co_await ringcore::yield();  // the recv is submitted, then the chain below
    co_await ringcore::yield();
    before = runtime().ring().stats().enters;
    auto [n2, t2] = co_await link(nop(), sleep_for(std::chrono::milliseconds(100)));
    EXPECT_TRUE(n2.has_value());
    EXPECT_TRUE(t2.has_value());
    not_alone = runtime().ring().stats().enters - before;
    auto w = co_await ringcore::write(sv[1], "z", 1);
    EXPECT_EQ(w.value_or(0), 1u);
    while (!received) co_await ringcore::yield();
  }());
  EXPECT_EQ(alone, 1u);      // one wait for both completions (SQPOLL too: the loop enters to wait)
  EXPECT_EQ(not_alone, 2u);  // a wait for the nop, then one for the timeout
  ::close(sv[0]);
  ::close(sv[1]);
}
