#include "backend_under_test.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <charconv>
#include <cstdio>
#include <sstream>
#include <string_view>

#include "bench/json.hpp"

namespace conformance {
namespace {
BackendUnderTest g_backend;
}  // namespace

const BackendUnderTest& backend() { return g_backend; }
void set_backend(BackendUnderTest b) { g_backend = std::move(b); }

std::optional<BackendUnderTest> parse_backend_args(int argc, char** argv, const char* usage) {
  BackendUnderTest b;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 < argc && (flag == "--backend" || flag == "--name" || flag == "--loadgen")) {
      std::string value = argv[++i];
      (flag == "--backend" ? b.path : flag == "--name" ? b.name : b.loadgen) = value;
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s'\nusage: %s %s\n", argv[0], argv[i], argv[0], usage);
      return std::nullopt;
    }
  }
  if (b.path.empty() || b.loadgen.empty()) {
    std::fprintf(stderr, "usage: %s %s\n", argv[0], usage);
    return std::nullopt;
  }
  if (b.name.empty()) {  // backend-<name>
    std::string base = b.path.substr(b.path.find_last_of('/') + 1);
    b.name = base.rfind("backend-", 0) == 0 ? base.substr(8) : base;
  }
  return b;
}

CommandResult run_program(const std::vector<std::string>& argv) {
  CommandResult r;
  ChildProcess child(argv);
  if (!child.started()) {
    r.start_error = child.start_error();
    return r;
  }
  r.exit = child.wait(kCommandTimeout);
  r.out = child.out();
  r.err = child.err();
  return r;
}

CommandResult run_backend(const std::vector<std::string>& args) {
  std::vector<std::string> argv{backend().path};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv);
}

std::string last_line(const std::string& out) {
  std::size_t end = out.find_last_not_of("\r\n");
  if (end == std::string::npos) return {};
  std::size_t start = out.rfind('\n', end);
  return out.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

std::string skip_reason(const std::string& out) {
  auto obj = bench::JsonObject::parse(last_line(out));
  if (obj) {
    if (auto reason = obj->string("skip")) return *reason;
  }
  return "exit 77 without a {\"skip\": reason} line: '" + out + "'";
}

void start_serving(const std::vector<std::string>& argv, std::unique_ptr<ChildProcess>& server,
                   std::uint16_t& port) {
  port = 0;
  server = std::make_unique<ChildProcess>(argv);
  ASSERT_TRUE(server->started()) << server->start_error();
  std::string line;
  bool got_line = server->read_line(line, kStartTimeout);
  if (!got_line || line.rfind("ready ", 0) != 0) {
    // Not ready: either "cannot do this here" (77) or a failure; give it a moment to say which.
    ChildProcess::Exit exit = server->wait(kStopTimeout);
    std::string out = line + "\n" + server->out();
    if (exit.exited && exit.code == kExitSkip) GTEST_SKIP() << backend().name << ": " << skip_reason(out);
    FAIL() << "`" << argv[0] << " serve` printed no 'ready N' line within " << kStartTimeout.count()
           << " ms (first line: '" << line << "', exit code " << exit.code << ", signal " << exit.signal
           << "); stderr: " << server->err();
  }
  unsigned n = 0;
  std::string_view digits = std::string_view(line).substr(6);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  ASSERT_TRUE(ec == std::errc{} && p == digits.data() + digits.size() && n > 0 && n < 65536)
      << "bad ready line '" << line << "'";
  port = std::uint16_t(n);
}

std::vector<std::string> stop_serving(ChildProcess& server, bool whole_group) {
  ChildProcess::Exit exit = whole_group ? server.terminate_group(kStopTimeout) : server.terminate(kStopTimeout);
  EXPECT_FALSE(exit.timed_out) << "the server did not exit within " << kStopTimeout.count()
                               << " ms of SIGTERM (killed); stderr: " << server.err();
  EXPECT_TRUE(exit.exited && exit.code == 0)
      << "the server did not exit 0 after SIGTERM: exit code " << exit.code << ", signal " << exit.signal
      << "; stderr: " << server.err();
  std::vector<std::string> lines;
  std::istringstream out(server.out());
  for (std::string line; std::getline(out, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace conformance
