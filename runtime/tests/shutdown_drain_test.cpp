// Proves that ending a runtime with spawned tasks still waiting in the kernel cancels their requests,
// waits for every CQE and only then frees their frames and buffers (no use-after-free under ASan,
// nothing left in flight), and that dropping a started task hands it to the runtime instead.
#include <memory>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

struct Flag {
  bool* destroyed;
  ~Flag() { *destroyed = true; }
};

class ShutdownDrain : public ::testing::TestWithParam<RingConfig> {};

TEST_P(ShutdownDrain, PendingReadsAreCancelledAndReapedBeforeTheirFramesAreFreed) {
  Pipe pipe;
  bool frame_destroyed = false;
  bool resumed_after_read = false;
  bool started = false;
  {
    std::optional<Runtime> rt;
    try {
      rt.emplace(GetParam().options);
    } catch (const std::system_error& e) {
      GTEST_SKIP() << GetParam().name << " refused: " << e.what();
    }
    auto reader = [&]() -> task<void> {
      Flag flag{&frame_destroyed};
      auto buf = std::make_unique<char[]>(1 << 16);
      started = true;
      auto r = co_await ringcore::read(pipe.read_end, buf.get(), 1 << 16, 0);
      resumed_after_read = true;  // must never run: the runtime ends first
      (void)r;
    };
    rt->run([&]() -> task<void> {
      spawn(reader());
      while (!started) co_await ringcore::yield();  // a loaded machine must not let the root end first
      co_await sleep_for(std::chrono::milliseconds(2));
    }());
    EXPECT_EQ(rt->ring().in_flight(), 1u);
    EXPECT_FALSE(frame_destroyed);
  }  // ~Runtime: cancel, drain, destroy
  EXPECT_TRUE(frame_destroyed);
  EXPECT_FALSE(resumed_after_read);
  // The cancelled read consumed nothing.
  ASSERT_EQ(::write(pipe.write_end, "z", 1), 1);
  char c;
  EXPECT_EQ(::read(pipe.read_end, &c, 1), 1);
}

INSTANTIATE_TEST_SUITE_P(Rings, ShutdownDrain, ::testing::ValuesIn(ring_configs()), config_name);

TEST(ShutdownDrain, DroppingAStartedTaskLetsItFinishInsteadOfFreeingItsBuffer) {
  Runtime rt;
  Pipe pipe;
  bool finished = false;
  rt.run([&]() -> task<void> {
    auto reader = [&]() -> task<void> {
      auto buf = std::make_unique<char[]>(256);
      auto r = co_await ringcore::read(pipe.read_end, buf.get(), 256, 0);
      EXPECT_EQ(r.value_or(0), 3u);
      EXPECT_EQ(std::string(buf.get(), 3), "abc");
      finished = true;
    };
    {
      // Start the reader via a wrapper task we then drop while the read is in flight.
      auto wrap = [&]() -> task<void> { co_await reader(); };
      auto wrapper = wrap();
      auto h = wrapper.handle();
      h.promise().started = true;
      h.resume();  // runs until the read is submitted
      EXPECT_FALSE(h.done());
    }  // wrapper destroyed here: its frame must survive until the read completes
    co_await sleep_for(std::chrono::milliseconds(2));
    EXPECT_EQ(::write(pipe.write_end, "abc", 3), 3);
    while (!finished) co_await ringcore::yield();
  }());
  EXPECT_TRUE(finished);
}

}  // namespace
