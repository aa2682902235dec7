// Proves the command line's defaults and that every bad flag is a one-line usage error.
#include "options.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace loadgen {
namespace {

ParseOutcome parse(std::vector<std::string> args, Options& o) {
  std::vector<char*> argv{const_cast<char*>("loadgen")};
  for (auto& a : args) argv.push_back(a.data());
  return parse_options(int(argv.size()), argv.data(), o);
}

TEST(Options, Defaults) {
  Options o;
  ASSERT_EQ(parse({"--port", "8080", "--proto", "http"}, o).kind, ParseOutcome::Kind::run);
  EXPECT_EQ(o.port, 8080);
  EXPECT_EQ(o.size, 13u);
  EXPECT_EQ(o.connections, 1u);
  EXPECT_EQ(o.requests, 1u);
  EXPECT_EQ(o.timeout_ms, 30000);
  EXPECT_EQ(o.target, "/");
  Options e;
  ASSERT_EQ(parse({"--port", "1", "--proto", "echo", "--duration-ms", "3000"}, e).kind, ParseOutcome::Kind::run);
  EXPECT_EQ(e.size, 64u);
  EXPECT_EQ(e.timeout_ms, 33000);
}

TEST(Options, SizesTakeSuffixes) {
  Options o;
  ASSERT_EQ(parse({"--port", "1", "--proto", "echo", "--size", "64K"}, o).kind, ParseOutcome::Kind::run);
  EXPECT_EQ(o.size, 65536u);
}

TEST(Options, BadCommandLinesAreUsageErrors) {
  const std::vector<std::vector<std::string>> bad = {
      {"--proto", "echo"},
      {"--port", "1"},
      {"--port", "1", "--proto", "smtp"},
      {"--port", "0", "--proto", "echo"},
      {"--port", "1", "--proto", "echo", "--bogus", "1"},
      {"--port", "1", "--proto", "echo", "--requests"},
      {"--port", "1", "--proto", "echo", "--requests", "5", "--duration-ms", "5"},
      {"--port", "1", "--proto", "echo", "--mode", "reconnect", "--pipeline", "2"},
      {"--port", "1", "--proto", "echo", "--duration-ms", "5000", "--timeout-ms", "1000"},
      {"--port", "1", "--proto", "echo", "--host", "localhost"},
      {"--port", "1", "--proto", "echo", "--host", "10.0.0"},
      {"--port", "1", "--proto", "echo", "--host", "10.0.0.256"},
      {"--port", "1", "--proto", "echo", "--rate", "0"},
      {"--port", "1", "--proto", "echo", "--rate", "100", "--mode", "reconnect"},
      {"--port", "1", "--proto", "http", "--target", "x"},
      {"--port", "1", "--proto", "echo", "--connections", "0"},
      {"--port", "1", "--proto", "echo", "stray"},
  };
  for (const auto& args : bad) {
    Options o;
    ParseOutcome out = parse(args, o);
    EXPECT_EQ(out.kind, ParseOutcome::Kind::usage_error) << args.back();
    EXPECT_EQ(out.message.find('\n'), std::string::npos);
    EXPECT_FALSE(out.message.empty());
  }
}

TEST(Options, HostTakesAnyAddressLiteral) {
  for (const char* host : {"10.200.0.2", "::1", "fd00::2", "127.0.0.1"}) {
    Options o;
    ASSERT_EQ(parse({"--port", "1", "--proto", "echo", "--host", host}, o).kind, ParseOutcome::Kind::run) << host;
    EXPECT_EQ(o.host, host);
  }
}

TEST(Options, RateSelectsOpenLoop) {
  Options o;
  ASSERT_EQ(parse({"--port", "1", "--proto", "http", "--rate", "5000", "--duration-ms", "1000"}, o).kind,
            ParseOutcome::Kind::run);
  EXPECT_EQ(o.rate, 5000u);
  EXPECT_EQ(o.lag_limit_us, 1000);
  Options closed;
  ASSERT_EQ(parse({"--port", "1", "--proto", "http"}, closed).kind, ParseOutcome::Kind::run);
  EXPECT_EQ(closed.rate, 0u);
}

TEST(Options, Help) {
  Options o;
  EXPECT_EQ(parse({"--help"}, o).kind, ParseOutcome::Kind::help);
}

}  // namespace
}  // namespace loadgen
