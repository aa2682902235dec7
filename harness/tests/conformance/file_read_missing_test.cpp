// Proves file-read of a missing file exits 1 with a message on stderr.
#include <gtest/gtest.h>

#include "backend_under_test.hpp"
#include "temp_dir.hpp"

namespace conformance {
namespace {

TEST(FileReadMissing, ExitsOneWithAMessage) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  CommandResult r = run_backend({"file-read", "--path", dir.file("no-such-file")});
  ASSERT_TRUE(r.start_error.empty()) << r.start_error;
  if (r.exit.exited && r.exit.code == kExitSkip) GTEST_SKIP() << backend().name << ": " << skip_reason(r.out);
  EXPECT_TRUE(r.exit.exited) << "signal " << r.exit.signal;
  EXPECT_EQ(r.exit.code, 1);
  EXPECT_NE(r.err.find_first_not_of(" \n"), std::string::npos) << "nothing on stderr";
}

}  // namespace
}  // namespace conformance
