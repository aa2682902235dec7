// Proves openat/close/fsync/statx through the ring: success values and their error codes.
#include <sys/stat.h>

#include "test_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

class OpenClose : public RingTest {};
RINGCORE_ALL_CONFIGS(OpenClose);

TEST_P(OpenClose, MissingFileIsNoSuchFile) {
  run([&]() -> task<void> {
    auto file = co_await File::open("/nonexistent/ringcore/file");
    EXPECT_FALSE(file.has_value());
    EXPECT_EQ(file.error(), std::errc::no_such_file_or_directory);
  }());
}

TEST_P(OpenClose, OpenCreatesCloseReleases) {
  TempFile dir_anchor;
  std::string path = dir_anchor.path() + ".new";
  run([&]() -> task<void> {
    auto file = co_await File::open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    EXPECT_TRUE(file.has_value());
    int fd = file->fd();
    auto closed = co_await file->close();
    EXPECT_TRUE(closed.has_value());
    EXPECT_FALSE(file->is_open());
    EXPECT_EQ(::fcntl(fd, F_GETFD), -1);  // really closed
    // Opening it again exclusively fails: it exists.
    auto again = co_await File::open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    EXPECT_EQ(again.error(), std::errc::file_exists);
  }());
  ::unlink(path.c_str());
}

TEST_P(OpenClose, CloseOfBadDescriptorIsAnError) {
  run([&]() -> task<void> {
    auto r = co_await ringcore::close(-7);
    EXPECT_EQ(r.error(), std::errc::bad_file_descriptor);
  }());
}

TEST_P(OpenClose, FsyncAndStatx) {
  TempFile f(pattern(12345));
  run([&]() -> task<void> {
    auto file = co_await File::open(f.path(), O_RDWR);
    auto s = co_await file->fsync();
    EXPECT_TRUE(s.has_value());
    auto d = co_await file->fsync(IORING_FSYNC_DATASYNC);
    EXPECT_TRUE(d.has_value());
    auto size = co_await file->size();
    EXPECT_EQ(*size, 12345u);
    struct statx st {};
    auto r = co_await ringcore::statx(AT_FDCWD, f.path().c_str(), 0, STATX_SIZE | STATX_MODE, &st);
    EXPECT_TRUE(r.has_value());
    EXPECT_EQ(st.stx_size, 12345u);
    EXPECT_TRUE(S_ISREG(st.stx_mode));
    auto missing = co_await ringcore::statx(AT_FDCWD, "/nonexistent/x", 0, STATX_SIZE, &st);
    EXPECT_EQ(missing.error(), std::errc::no_such_file_or_directory);
    auto bad = co_await ringcore::fsync(-1);
    EXPECT_EQ(bad.error(), std::errc::bad_file_descriptor);
  }());
}
