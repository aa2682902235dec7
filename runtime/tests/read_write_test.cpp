// Proves read/write/readv/writev move exact bytes at explicit offsets and at the file position,
// that short reads are visible, and that errors come back as error codes (EBADF), not raw errno.
#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class ReadWrite : public RingTest {};
RINGCORE_ALL_CONFIGS(ReadWrite);

TEST_P(ReadWrite, ReadAtOffsetsReturnsExactBytes) {
  std::string data = pattern(10000);
  TempFile f(data);
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path());
    EXPECT_TRUE(file.has_value()) << file.error().message();
    char buf[4096];
    auto n = co_await file->read_at(buf, sizeof buf, 5000);
    EXPECT_EQ(*n, 4096u);
    EXPECT_EQ(std::string(buf, 4096), data.substr(5000, 4096));
    // A read that crosses the end of the file is short, and says so.
    n = co_await file->read_at(buf, sizeof buf, 8000);
    EXPECT_EQ(*n, 2000u);
    EXPECT_EQ(std::string(buf, 2000), data.substr(8000));
    n = co_await file->read_at(buf, sizeof buf, 10000);
    EXPECT_EQ(*n, 0u);
  }());
}

TEST_P(ReadWrite, ReadAtCurrentPositionAdvances) {
  std::string data = pattern(3000);
  TempFile f(data);
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path());
    std::string got;
    char buf[1000];
    for (;;) {
      auto n = co_await file->read(buf, sizeof buf);
      EXPECT_TRUE(n.has_value());
      if (!n || *n == 0) break;
      got.append(buf, *n);
    }
    EXPECT_EQ(got, data);
  }());
}

TEST_P(ReadWrite, WriteAtCurrentPositionAppendsAfterExistingBytes) {
  TempFile f;
  int fd = ::open(f.path().c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "HEADER\n", 7), 7);  // the position is now 7, as for a redirected stdout
  run([&]() -> task<void> {
    File out = File::borrow(fd);
    auto r = co_await out.write_all("body", 4);
    EXPECT_TRUE(r.has_value());
    r = co_await out.write_all("!", 1);
    EXPECT_TRUE(r.has_value());
  }());
  ::close(fd);
  EXPECT_EQ(f.read_all(), "HEADER\nbody!");
}

TEST_P(ReadWrite, WriteAtOffsetThenReadBack) {
  TempFile f;
  std::string data = pattern(100000, 7);
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path(), O_RDWR);
    auto w = co_await file->write_all_at(data.data(), data.size(), 0);
    EXPECT_TRUE(w.has_value());
    auto size = co_await file->size();
    EXPECT_EQ(*size, data.size());
    std::string back(data.size(), '\0');
    std::size_t off = 0;
    while (off < back.size()) {
      auto n = co_await file->read_at(back.data() + off, back.size() - off, off);
      if (!n || *n == 0) break;
      off += *n;
    }
    EXPECT_EQ(back, data);
  }());
}

TEST_P(ReadWrite, VectoredReadAndWrite) {
  TempFile f;
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path(), O_RDWR);
    char a[] = "hello ", b[] = "vectored ", c[] = "world";
    iovec out[3] = {{a, 6}, {b, 9}, {c, 5}};
    auto w = co_await ringcore::writev(file->fd(), out, 3, 0);
    EXPECT_EQ(*w, 20u);
    char x[10] = {}, y[10] = {};
    iovec in[2] = {{x, 10}, {y, 10}};
    auto r = co_await ringcore::readv(file->fd(), in, 2, 0);
    EXPECT_EQ(*r, 20u);
    EXPECT_EQ(std::string(x, 10) + std::string(y, 10), "hello vectored world");
  }());
}

TEST_P(ReadWrite, BadDescriptorIsAnErrorCode) {
  run([&]() -> task<void> {
    char buf[16];
    auto r = co_await ringcore::read(-1, buf, sizeof buf, 0);
    EXPECT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), std::errc::bad_file_descriptor);
    auto w = co_await ringcore::write(12345, buf, sizeof buf, 0);
    EXPECT_EQ(w.error(), std::errc::bad_file_descriptor);
    EXPECT_THROW(w.value(), std::system_error);
  }());
}
