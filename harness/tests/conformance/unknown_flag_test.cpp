// Proves an unknown flag (or command) exits 2 with a one-line message, for every command.
#include <gtest/gtest.h>

#include "backend_under_test.hpp"

namespace conformance {
namespace {

TEST(UnknownFlag, ExitsTwoWithOneLine) {
  const std::vector<std::vector<std::string>> commands = {
      {"serve", "--proto", "http", "--port", "0", "--no-such-flag"},
      {"file-read", "--path", "/dev/null", "--no-such-flag"},
      {"copy-chain", "--src", "/dev/null", "--dst", "/dev/null", "--no-such-flag"},
      {"no-such-command"},
  };
  for (const auto& args : commands) {
    CommandResult r = run_backend(args);
    ASSERT_TRUE(r.start_error.empty()) << r.start_error;
    EXPECT_TRUE(r.exit.exited && r.exit.code == 2)
        << args[0] << ": exit code " << r.exit.code << ", signal " << r.exit.signal << "; stderr: " << r.err;
    std::size_t newline = r.err.find('\n');
    EXPECT_TRUE(!r.err.empty() && (newline == std::string::npos || newline == r.err.size() - 1))
        << args[0] << ": expected one line on stderr, got '" << r.err << "'";
  }
}

}  // namespace
}  // namespace conformance
