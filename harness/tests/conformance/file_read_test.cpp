// Proves file-read reads a whole file (1 MiB + 123 bytes) and reports its exact size and checksum, for blocks 4K/64K and depths 1/8.
#include <gtest/gtest.h>

#include <memory>
#include <tuple>

#include "command_result.hpp"
#include "data_file.hpp"
#include "temp_dir.hpp"

namespace conformance {
namespace {

constexpr std::uint64_t kFileSize = (1 << 20) + 123;  // not a multiple of any block: the last read is short

class FileRead : public ::testing::TestWithParam<std::tuple<int, int>> {
 protected:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    content_ = data_bytes(kFileSize, 7);
    if (dir_->ok()) write_ok_ = write_file(dir_->file("data"), content_);
  }
  static void TearDownTestSuite() { dir_.reset(); }

  static std::unique_ptr<TempDir> dir_;
  static std::string content_;
  static bool write_ok_;
};
std::unique_ptr<TempDir> FileRead::dir_;
std::string FileRead::content_;
bool FileRead::write_ok_ = false;

TEST_P(FileRead, ReportsSizeAndChecksum) {
  ASSERT_TRUE(write_ok_) << "could not write the test file under /var/tmp";
  auto [block, depth] = GetParam();
  CommandResult r = run_backend({"file-read", "--path", dir_->file("data"), "--block", std::to_string(block), "--depth",
                                 std::to_string(depth)});
  std::optional<bench::JsonObject> line;
  expect_result_line(r, line);
  if (IsSkipped() || !line) return;
  EXPECT_EQ(line->unsigned_integer("bytes"), kFileSize);
  EXPECT_EQ(line->string("checksum"), checksum_hex(content_));
}

INSTANTIATE_TEST_SUITE_P(BlocksAndDepths, FileRead,
                         ::testing::Combine(::testing::Values(4096, 65536), ::testing::Values(1, 8)),
                         [](const ::testing::TestParamInfo<std::tuple<int, int>>& info) {
                           return "block" + std::to_string(std::get<0>(info.param)) + "_depth" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace conformance
