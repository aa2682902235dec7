// detail::Fifo, the queue multishot completions wait in: first in, first out across wrap-around
// and growth, and its storage is kept (a queue that is filled and drained never reallocates).
#include <gtest/gtest.h>

#include <vector>

#include "ringcore/detail/fifo.hpp"

using ringcore::detail::Fifo;

namespace {

std::vector<int> contents(const Fifo<int>& q) {
  std::vector<int> out;
  q.for_each([&](int v) { out.push_back(v); });
  return out;
}

TEST(Fifo, StartsEmptyWithoutStorage) {
  Fifo<int> q;
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.capacity(), 0u);
}

TEST(Fifo, HandsItemsOutInOrderAcrossTheWrapAround) {
  Fifo<int> q;
  int next_in = 0, next_out = 0;
  // Three in, two out, many times: the head walks around the array again and again.
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < 3; ++i) q.push_back(next_in++);
    for (int i = 0; i < 2; ++i) {
      ASSERT_EQ(q.front(), next_out++);
      q.pop_front();
    }
  }
  EXPECT_EQ(q.size(), 100u);
  std::vector<int> want;
  for (int v = next_out; v < next_in; ++v) want.push_back(v);
  EXPECT_EQ(contents(q), want);
}

TEST(Fifo, GrowingKeepsTheOrderOfAWrappedQueue) {
  Fifo<int> q;
  for (int i = 0; i < 6; ++i) q.push_back(i);
  for (int i = 0; i < 5; ++i) q.pop_front();  // head at slot 5 of 8
  for (int i = 6; i < 20; ++i) q.push_back(i);  // wraps, then grows twice
  EXPECT_EQ(q.capacity(), 16u);
  std::vector<int> want;
  for (int v = 5; v < 20; ++v) want.push_back(v);
  EXPECT_EQ(contents(q), want);
  for (int v = 5; v < 20; ++v) {
    ASSERT_EQ(q.front(), v);
    q.pop_front();
  }
  EXPECT_TRUE(q.empty());
}

TEST(Fifo, AQueueFilledAndDrainedForeverKeepsItsFirstStorage) {
  Fifo<int> q;
  q.push_back(0);
  const std::size_t first = q.capacity();
  EXPECT_EQ(first, 8u);
  for (int i = 1; i < 100000; ++i) {
    q.push_back(i);
    q.pop_front();
    ASSERT_EQ(q.front(), i);
  }
  EXPECT_EQ(q.capacity(), first);
}

TEST(Fifo, ClearEmptiesButKeepsStorage) {
  Fifo<int> q;
  for (int i = 0; i < 9; ++i) q.push_back(i);
  q.clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.capacity(), 16u);
  q.push_back(42);
  EXPECT_EQ(q.front(), 42);
  EXPECT_EQ(contents(q), std::vector<int>{42});
}

}  // namespace
