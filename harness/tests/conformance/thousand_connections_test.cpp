// Proves 1,000 concurrent connections are all accepted and answered correctly, in both protocols.
#include <gtest/gtest.h>

#include "loadgen_run.hpp"
#include "server_fixture.hpp"

namespace conformance {
namespace {

constexpr int kConnections = 1000;

void expect_all_answered(std::uint16_t port, const char* proto) {
  LoadgenRun run = run_loadgen({"--port", std::to_string(port), "--proto", proto, "--connections",
                                std::to_string(kConnections), "--requests", "1", "--timeout-ms", "60000"});
  ASSERT_TRUE(run.command.start_error.empty()) << run.command.start_error;
  ASSERT_TRUE(run.result.has_value()) << "loadgen printed no JSON line (" << run.parse_error
                                      << "); stdout: " << run.command.out << "; stderr: " << run.command.err;
  EXPECT_EQ(run.result->unsigned_integer("requests"), std::uint64_t(kConnections));
  EXPECT_EQ(run.result->unsigned_integer("errors"), 0u) << "first error: " << run.result->string("first_error").value_or("");
  EXPECT_EQ(run.command.exit.code, 0) << run.command.err;
}

class ThousandConnectionsEcho : public EchoServerTest {};
class ThousandConnectionsHttp : public HttpServerTest {};

TEST_F(ThousandConnectionsEcho, AllAnsweredExactly) { expect_all_answered(port(), "echo"); }
TEST_F(ThousandConnectionsHttp, AllAnsweredExactly) { expect_all_answered(port(), "http"); }

}  // namespace
}  // namespace conformance
