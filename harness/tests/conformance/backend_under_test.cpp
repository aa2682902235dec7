#include "backend_under_test.hpp"

#include <sys/resource.h>

#include <cstdio>

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

void raise_fd_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace conformance
