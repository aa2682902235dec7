// Which backend this run of the suite checks, and how to run its commands and the load generator.
// Set once by main() from --backend PATH --name NAME --loadgen PATH.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace conformance {

struct BackendUnderTest {
  std::string path;     // build/backends/backend-<name>
  std::string name;     // "std", "nginx", ...
  std::string loadgen;  // build/harness/loadgen/loadgen
};

const BackendUnderTest& backend();
void set_backend(BackendUnderTest b);

// Reads --backend PATH [--name NAME] --loadgen PATH (what GoogleTest left of argv); NAME defaults to
// PATH's file name without "backend-". Nullopt after printing the problem and `usage` to stderr.
std::optional<BackendUnderTest> parse_backend_args(int argc, char** argv, const char* usage);

// nginx is the reference server, not a proto::HttpSession: its header bytes and error statuses are
// its own, so exact-bytes and error-code checks do not apply to it (it must still answer GETs right).
inline bool is_reference_server() { return backend().name == "nginx"; }
inline constexpr const char* kReferenceExemption =
    "nginx is the reference server: its response headers (Date, Server) and error handling are nginx's own, "
    "not proto::HttpSession's, so exact bytes and error codes are not compared";

// The backend's exit code for "cannot do this here" (stdout then says why as {"skip": ...}).
inline constexpr int kExitSkip = 77;

// Generous hang guards, never timing assertions.
inline constexpr std::chrono::milliseconds kStartTimeout{10'000};
inline constexpr std::chrono::milliseconds kStopTimeout{10'000};
inline constexpr std::chrono::milliseconds kCommandTimeout{60'000};
inline constexpr int kSocketTimeoutMs = 10'000;

// A command of the backend run to completion (bounded by kCommandTimeout).
struct CommandResult {
  ChildProcess::Exit exit;
  std::string out;
  std::string err;
  std::string start_error;
};
CommandResult run_backend(const std::vector<std::string>& args);
CommandResult run_program(const std::vector<std::string>& argv);

// The last non-empty line of `out` (a command's JSON result line).
std::string last_line(const std::string& out);
// The skip reason in a {"skip": ...} line, or the raw output when there is none.
std::string skip_reason(const std::string& out);

// A backend's `serve` process (both suites' fixtures use these two).
// Starts `argv` and waits for its "ready N" line; sets `port` to N. A server that does not get ready
// has exited when this returns, `port` stays 0, and the test is skipped (exit 77: the backend's reason)
// or failed; like any GoogleTest helper it returns early, so check port or HasFatalFailure() after it.
void start_serving(const std::vector<std::string>& argv, std::unique_ptr<ChildProcess>& server,
                   std::uint16_t& port);
// SIGTERM and a bounded wait; expects exit 0. Returns the non-empty lines printed after "ready N".
// `whole_group`: to the server's process group, as the runner sends it, instead of its pid alone.
std::vector<std::string> stop_serving(ChildProcess& server, bool whole_group = false);

// Raises this process's soft RLIMIT_NOFILE to the hard limit; the backends and loadgen we start inherit it.
void raise_fd_limit();

}  // namespace conformance
