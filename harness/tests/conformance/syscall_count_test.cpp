// Proves every backend honours RINGCORE_COUNT_SYSCALLS: "0" leaves the tracepoint counter unopened
// (syscalls reported as -1, the timed repetitions' setting), and counting on reports a real count.
// The runner relies on both: it counts in one repetition and times the others without the counter,
// whose tracepoint slows every syscall on the machine.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "command_result.hpp"
#include "data_file.hpp"
#include "temp_dir.hpp"

namespace conformance {
namespace {

constexpr std::uint64_t kFileSize = 64 * 1024;  // 16 reads of 4 KiB, then end of file

// Sets RINGCORE_COUNT_SYSCALLS for the backends this test starts, and restores it after.
class CountSyscalls {
 public:
  explicit CountSyscalls(const char* value) {
    if (const char* old = std::getenv(kName)) old_ = old;
    ::setenv(kName, value, 1);
  }
  ~CountSyscalls() {
    if (old_) ::setenv(kName, old_->c_str(), 1);
    else ::unsetenv(kName);
  }

 private:
  static constexpr const char* kName = "RINGCORE_COUNT_SYSCALLS";
  std::optional<std::string> old_;
};

class SyscallCount : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    content_ = data_bytes(kFileSize, 3);
    ASSERT_TRUE(write_file(dir_.file("data"), content_));
  }
  // file-read's "syscalls" figure; the test is skipped when the backend has no file commands.
  std::optional<std::int64_t> file_read_syscalls() {
    CommandResult r = run_backend({"file-read", "--path", dir_.file("data"), "--block", "4096", "--depth", "1"});
    std::optional<bench::JsonObject> line;
    expect_result_line(r, line);
    if (IsSkipped() || !line) return std::nullopt;
    EXPECT_EQ(line->unsigned_integer("bytes"), kFileSize);  // the switch changes nothing but the count
    EXPECT_EQ(line->string("checksum"), checksum_hex(content_));
    return line->integer("syscalls");
  }

  TempDir dir_;
  std::string content_;
};

TEST_F(SyscallCount, OffReportsMinusOne) {
  CountSyscalls off("0");
  auto syscalls = file_read_syscalls();
  if (IsSkipped() || HasFailure()) return;
  EXPECT_EQ(syscalls, -1) << "RINGCORE_COUNT_SYSCALLS=0 must leave the counter unopened";
}

TEST_F(SyscallCount, OnCountsTheReads) {
  if (::geteuid() != 0 || !std::filesystem::exists("/sys/kernel/tracing/events/raw_syscalls/sys_enter/id"))
    GTEST_SKIP() << "counting needs root and tracefs (scripts/mount-tracefs.sh)";
  CountSyscalls on("1");
  auto syscalls = file_read_syscalls();
  if (IsSkipped() || HasFailure()) return;
  ASSERT_TRUE(syscalls.has_value());
  // At least one syscall to open the file and one to read it, whatever the backend batches.
  EXPECT_GE(*syscalls, 2);
}

}  // namespace
}  // namespace conformance
