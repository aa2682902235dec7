// Proves a server's resident memory stays steady under sustained load: after a 10,000-request
// warm-up, 100,000 more keep-alive HTTP requests (and, separately, 20,000 connections opened and
// closed one request each) grow its VmRSS by less than 8 MiB. Both figures go to the test log.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fault_server.hpp"
#include "loadgen_run.hpp"
#include "proc_stats.hpp"

namespace faults {
namespace {

constexpr std::uint64_t kWarmUpRequests = 10'000;
constexpr std::int64_t kMaxGrowthKib = 8 * 1024;  // generous: a leak of 100 bytes a request shows as ~10 MiB

struct Load {
  const char* mode;
  std::uint64_t connections;
  std::uint64_t requests_each;
  std::uint64_t total() const { return connections * requests_each; }
};

// Runs the load generator and expects every request answered, none failed.
void run_load(std::uint16_t port, const Load& load) {
  conformance::LoadgenRun run = conformance::run_loadgen(
      {"--port", std::to_string(port), "--proto", "http", "--mode", load.mode, "--connections",
       std::to_string(load.connections), "--requests", std::to_string(load.requests_each), "--timeout-ms", "50000"});
  ASSERT_TRUE(run.command.start_error.empty()) << run.command.start_error;
  ASSERT_TRUE(run.result.has_value()) << "loadgen printed no JSON line (" << run.parse_error
                                      << "); stdout: " << run.command.out << "; stderr: " << run.command.err;
  EXPECT_EQ(run.result->unsigned_integer("requests"), load.total());
  ASSERT_EQ(run.result->unsigned_integer("errors"), 0u) << run.result->string("first_error").value_or("");
}

class RssSoak : public FaultServerTest, public ::testing::WithParamInterface<Load> {
 protected:
  void SetUp() override { start_server("http"); }
};

TEST_P(RssSoak, ResidentMemoryStaysSteady) {
  const Load& soak = GetParam();
  // Warm-up: 10,000 requests at the soak's own concurrency, so that the soak needs no more
  // connections at once than the server has already served.
  ASSERT_NO_FATAL_FAILURE(run_load(port(), Load{soak.mode, soak.connections, kWarmUpRequests / soak.connections}));
  std::int64_t warm_kib = tree_rss_kib(server_pid());
  ASSERT_NO_FATAL_FAILURE(run_load(port(), soak));
  std::int64_t end_kib = tree_rss_kib(server_pid());
  ASSERT_GT(warm_kib, 0);
  ASSERT_GT(end_kib, 0);
  std::printf("soak %s %s: VmRSS %lld KiB after the 10,000-request warm-up, %lld KiB after %llu more requests "
              "(%+lld KiB)\n",
              backend().name.c_str(), soak.mode, static_cast<long long>(warm_kib), static_cast<long long>(end_kib),
              static_cast<unsigned long long>(soak.total()), static_cast<long long>(end_kib - warm_kib));
  RecordProperty("rss_after_warmup_kib", std::to_string(warm_kib));
  RecordProperty("rss_after_soak_kib", std::to_string(end_kib));
  EXPECT_LT(end_kib - warm_kib, kMaxGrowthKib);
  ASSERT_TRUE(connections_released());
  auto counters = stop_server();
  if (counters) {
    EXPECT_EQ(counters->unsigned_integer("requests"), kWarmUpRequests + soak.total());
  }
}

INSTANTIATE_TEST_SUITE_P(Loads, RssSoak,
                         ::testing::Values(Load{"keepalive", 50, 2'000},    // 100,000 requests on 50 connections
                                           Load{"reconnect", 10, 2'000}),   // 20,000 connections, one request each
                         [](const ::testing::TestParamInfo<Load>& info) { return std::string(info.param.mode); });

}  // namespace
}  // namespace faults
