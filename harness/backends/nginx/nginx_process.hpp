// The nginx child: started with fork/exec, bound to the wrapper's life, stopped within a bound.
//
// The wrapper keeps SIGTERM, SIGINT and SIGCHLD blocked (StopSignals) and takes them with
// sigtimedwait, so every wait here is bounded and no signal handler races with fork.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>

namespace nginx_backend {

// Blocks SIGTERM, SIGINT and SIGCHLD for the wrapper's lifetime (restores the mask when destroyed).
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Waits up to `timeout` for SIGTERM/SIGINT (returns it) or SIGCHLD (returns SIGCHLD); 0 on timeout.
  int wait(std::chrono::milliseconds timeout) const;
  const sigset_t& original_mask() const { return original_; }

 private:
  sigset_t blocked_;
  sigset_t original_;
};

class NginxProcess {
 public:
  // Runs `binary -p DIR -c DIR/nginx.conf -e DIR/error.log`, its stdout and stderr in
  // DIR/nginx.stderr. The child gets SIGKILL if the wrapper dies (PR_SET_PDEATHSIG).
  NginxProcess(const std::string& binary, const std::string& dir, const StopSignals& signals, std::string& error);
  // Never leaves nginx running: kills and reaps it if stop() was not called.
  ~NginxProcess();
  NginxProcess(const NginxProcess&) = delete;
  NginxProcess& operator=(const NginxProcess&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // The wait status once nginx has exited (reaping it), without blocking.
  std::optional<int> exited();
  // SIGQUIT (nginx's graceful stop), then SIGTERM, then SIGKILL, each after a bounded wait.
  // Returns the wait status; nginx has been reaped, so RUSAGE_CHILDREN now includes it.
  int stop();

 private:
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  std::optional<int> status_;
};

// "exited with status 1", "killed by signal 9".
std::string describe_wait_status(int status);

}  // namespace nginx_backend
