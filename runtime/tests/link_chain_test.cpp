// Proves linked chains (IOSQE_IO_LINK): read → write copies in one submission; when the first link
// fails the rest report ECANCELED; a short read breaks the link so the write never sends stale bytes.
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
