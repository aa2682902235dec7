// Proves copy-chain writes an output equal to its input byte for byte (0, 1, 64K-1 and 1M+123 bytes, 64K chunks).
#include <gtest/gtest.h>

#include "command_result.hpp"
#include "data_file.hpp"
#include "temp_dir.hpp"

namespace conformance {
namespace {

class CopyChain : public ::testing::TestWithParam<std::uint64_t> {};

void copy_and_compare(std::uint64_t size, bool dst_exists) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string content = data_bytes(size, size + 3);
  ASSERT_TRUE(write_file(dir.file("src"), content));
  // A longer stale destination must be truncated, not overwritten in place.
  if (dst_exists) {
    ASSERT_TRUE(write_file(dir.file("dst"), std::string(size + 5000, 'x')));
  }
  CommandResult r =
      run_backend({"copy-chain", "--src", dir.file("src"), "--dst", dir.file("dst"), "--chunk", "65536"});
  std::optional<bench::JsonObject> line;
  expect_result_line(r, line);
  if (::testing::Test::IsSkipped() || !line) return;
  EXPECT_EQ(line->unsigned_integer("bytes"), size);
  std::string copied = read_file(dir.file("dst"));
  ASSERT_EQ(copied.size(), content.size());
  std::size_t first_difference = 0;
  while (first_difference < size && copied[first_difference] == content[first_difference]) ++first_difference;
  EXPECT_EQ(first_difference, size) << "the copy differs at byte " << first_difference;
}

TEST_P(CopyChain, OutputEqualsInput) { copy_and_compare(GetParam(), /*dst_exists=*/true); }
TEST_P(CopyChain, CreatesTheOutput) { copy_and_compare(GetParam(), /*dst_exists=*/false); }

INSTANTIATE_TEST_SUITE_P(Sizes, CopyChain, ::testing::Values(0, 1, 65535, (1 << 20) + 123),
                         [](const ::testing::TestParamInfo<std::uint64_t>& info) {
                           return std::to_string(info.param) + "B";
                         });

}  // namespace
}  // namespace conformance
