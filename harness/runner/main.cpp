// ringcore-bench: the command line becomes a Config, the workload registry × backends becomes
// Google Benchmark registrations, and the run writes Google Benchmark JSON (harness/README.md).
#include <sys/resource.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <vector>

#include "runner/cli.hpp"
#include "runner/interrupt.hpp"
#include "runner/machine.hpp"
#include "runner/registration.hpp"
#include "runner/reporters.hpp"
#include "runner/server_placement.hpp"

namespace {

// 5,000 connections need as many descriptors in the server and in the load generator; children
// inherit the raised soft limit.
void raise_open_file_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int main(int argc, char** argv) {
  runner::CommandLine cl = runner::parse_command_line(argc, argv);
  runner::Plan plan = runner::plan_benchmarks(cl.config);
  if (plan.empty()) {
    std::fprintf(stderr, "ringcore-bench: no benchmark matches the selection (see --list)\n");
    return runner::kExitUsage;
  }
  if (cl.config.list) {
    for (const auto& b : plan) std::printf("%s\n", b->name.c_str());
    return 0;
  }

  std::vector<char*> gb_argv;
  for (auto& a : cl.benchmark_args) gb_argv.push_back(a.data());
  int gb_argc = int(gb_argv.size());
  gb_argv.push_back(nullptr);
  benchmark::Initialize(&gb_argc, gb_argv.data());
  if (benchmark::ReportUnrecognizedArguments(gb_argc, gb_argv.data())) return runner::kExitUsage;

  raise_open_file_limit();
  runner::install_interrupt_handlers();
  std::unique_ptr<runner::NetnsHost> netns;  // --server-netns: removed when main returns, however it returns
  if (int code = runner::place_servers(cl.config, netns); code != 0) return code;
  runner::add_machine_context(cl.config);
  runner::Tally tally;
  runner::register_benchmarks(plan, tally);

  const bool color = ::isatty(STDOUT_FILENO) != 0;
  runner::RunnerReporter<benchmark::ConsoleReporter> display(color ? benchmark::ConsoleReporter::OO_Color
                                                               : benchmark::ConsoleReporter::OO_None);
  runner::RunnerReporter<benchmark::JSONReporter> file;
  benchmark::RunSpecifiedBenchmarks(&display, cl.out.empty() ? nullptr : &file);
  benchmark::Shutdown();

  tally.print_summary();
  if (runner::interrupted()) return runner::kExitInterrupted;
  return tally.failed > 0 ? 1 : 0;
}
