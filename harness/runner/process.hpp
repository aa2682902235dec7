// A child process the runner starts and always ends: its own process group (Ctrl-C at the terminal
// reaches only the runner, which then kills the group), optional CPU pinning, captured stdout and
// stderr, waits with a deadline. Destroying a Process that still runs kills its group and reaps it.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace runner {

using Clock = std::chrono::steady_clock;
using Deadline = Clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds d) { return Clock::now() + d; }

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  int cpu = -1;                   // pin the child to this CPU (sched_setaffinity in the child); -1: not pinned
  bool stdin_pipe = false;        // stdin a pipe the runner holds (close_stdin()) instead of /dev/null
};

class Process {
 public:
  // Starts the child. Throws std::runtime_error("cannot run <path>: <errno text>") when it cannot be
  // started, a failed exec included.
  static Process spawn(const SpawnOptions& options);

  Process() = default;
  Process(Process&& other) noexcept;
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

  pid_t pid() const { return pid_; }
  // Whether the child runs, as of the last wait or check.
  bool running() const { return pid_ > 0 && !reaped_; }
  // Looks now, without blocking: true (and reaped) when the child has exited.
  bool check_exited();

  // Reads output until stdout holds a complete line starting with `prefix` (returned without its
  // newline). nullopt when the child exited, the deadline passed or the runner was interrupted first.
  std::optional<std::string> wait_for_line(std::string_view prefix, Deadline deadline);

  // Waits for the child to exit, reading its output and also `also_drain`'s, so that a server
  // writing while the client runs never blocks on a full pipe. False when the deadline passed or
  // the runner was interrupted first (the child still runs).
  bool wait(Deadline deadline, Process* also_drain = nullptr);

  // With SpawnOptions::stdin_pipe: the child reads end of file from now on.
  void close_stdin();

  // Sends `sig` to the child's process group.
  void signal_group(int sig);
  // SIGKILL to the group, then reap. Nothing happens once reaped.
  void kill();
  // SIGTERM to the child, then up to `grace` for it to exit by itself (kill() follows).
  void stop_within(std::chrono::milliseconds grace);

  // After exit: the exit code, or -1 when a signal ended it.
  int exit_code() const;
  // After exit: the signal that ended it, or 0 when it exited by itself.
  int term_signal() const;
  // "exit code 1" or "killed by signal 9 (Killed)".
  std::string describe_exit() const;

  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  std::vector<std::string> out_lines() const;
  // The last non-empty stderr line: what a backend says when it fails (harness/README.md).
  std::string last_err_line() const;

 private:
  void poll_once(Deadline deadline, Process* also_drain);
  void drain_pipes();
  bool zombie() const;
  void reap();
  void close_fds();

  pid_t pid_ = -1;
  int pidfd_ = -1;  // readable once the child has exited
  int in_fd_ = -1;  // the write end of the child's stdin (stdin_pipe)
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string out_;
  std::string err_;
};

}  // namespace runner
