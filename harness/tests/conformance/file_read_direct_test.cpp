// Proves file-read --direct (O_DIRECT) reads a 1 MiB file exactly, or says visibly (exit 77) why it cannot.
#include <gtest/gtest.h>

#include "command_result.hpp"
#include "data_file.hpp"
#include "temp_dir.hpp"

namespace conformance {
namespace {

constexpr std::uint64_t kFileSize = 1 << 20;  // O_DIRECT reads whole aligned blocks

class FileReadDirect : public ::testing::TestWithParam<std::tuple<int, int>> {};

TEST_P(FileReadDirect, ReportsSizeAndChecksum) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string content = data_bytes(kFileSize, 11);
  ASSERT_TRUE(write_file(dir.file("data"), content));
  auto [block, depth] = GetParam();
  CommandResult r = run_backend({"file-read", "--path", dir.file("data"), "--block", std::to_string(block), "--depth",
                                 std::to_string(depth), "--direct"});
  std::optional<bench::JsonObject> line;
  expect_result_line(r, line);
  if (IsSkipped() || !line) return;
  EXPECT_EQ(line->unsigned_integer("bytes"), kFileSize);
  EXPECT_EQ(line->string("checksum"), checksum_hex(content));
}

INSTANTIATE_TEST_SUITE_P(BlocksAndDepths, FileReadDirect,
                         ::testing::Values(std::make_tuple(65536, 1), std::make_tuple(4096, 8)),
                         [](const ::testing::TestParamInfo<std::tuple<int, int>>& info) {
                           return "block" + std::to_string(std::get<0>(info.param)) + "_depth" +
                                  std::to_string(std::get<1>(info.param));
                         });

}  // namespace
}  // namespace conformance
