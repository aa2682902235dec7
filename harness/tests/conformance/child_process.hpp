// A backend (or the load generator) run as a child process that can never outlive the test:
// fork/exec with stdout and stderr on pipes, lines read with a timeout, SIGTERM then a bounded
// wait, and SIGKILL to the child's whole process group from the destructor, so a failed
// assertion (which returns from the test early) still leaves nothing running.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <vector>

namespace conformance {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;
  using Ms = std::chrono::milliseconds;

  struct Exit {
    bool exited = false;     // ended by itself (else: still running at the deadline, then killed)
    int code = -1;           // exit code when it exited normally
    int signal = 0;          // the signal that ended it, if any
    bool timed_out = false;  // we had to kill it
  };

  explicit ChildProcess(const std::vector<std::string>& argv) { start(argv); }
  ~ChildProcess() { kill_and_reap(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  const std::string& start_error() const { return start_error_; }
  pid_t pid() const { return pid_; }
  const std::string& out() const { return out_; }  // stdout read so far, lines already returned excluded
  const std::string& err() const { return err_; }  // stderr read so far

  // The next stdout line (without '\n') within `timeout`; false on timeout or end of output.
  bool read_line(std::string& line, Ms timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
      std::size_t nl = out_.find('\n');
      if (nl != std::string::npos) {
        line = out_.substr(0, nl);
        out_.erase(0, nl + 1);
        return true;
      }
      if (out_fd_ < 0 && err_fd_ < 0) return false;
      auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pump(int(left));
      if (out_fd_ < 0 && out_.find('\n') == std::string::npos) return false;
    }
  }

  // Sends SIGTERM (to the child only: it must shut down by itself) and waits up to `timeout`.
  Exit terminate(Ms timeout) {
    if (pid_ > 0 && !reaped_) ::kill(pid_, SIGTERM);
    return wait(timeout);
  }

  // SIGTERM to the child's whole process group, as the runner stops a server, then waits.
  Exit terminate_group(Ms timeout) {
    if (pid_ > 0 && !reaped_) ::kill(-pid_, SIGTERM);
    return wait(timeout);
  }

  // Waits up to `timeout` for the child to exit, collecting its output; kills it at the deadline.
  Exit wait(Ms timeout) {
    auto deadline = Clock::now() + timeout;
    while (!reaped_ && pid_ > 0) {
      if (exited_unreaped()) {
        reap();
        break;
      }
      auto left = std::chrono::duration_cast<Ms>(deadline - Clock::now()).count();
      if (left <= 0) {
        kill_and_reap();
        exit_.timed_out = true;
        break;
      }
      pump(int(std::min<long long>(left, 20)));
    }
    // What it wrote before exiting; a grandchild still holding the pipes cannot stall us long.
    auto drain_until = Clock::now() + Ms(2000);
    while ((out_fd_ >= 0 || err_fd_ >= 0) && Clock::now() < drain_until) pump(50);
    close_pipes();
    return exit_;
  }

 private:
  void start(const std::vector<std::string>& argv) {
    int out[2], err[2], status[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0 || ::pipe2(status, O_CLOEXEC) != 0) {
      start_error_ = std::string("pipe2: ") + std::strerror(errno);
      return;
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      start_error_ = std::string("fork: ") + std::strerror(errno);
      return;
    }
    if (pid == 0) {
      // Child: its own process group (so one kill reaches anything it starts), killed if the test dies.
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      int devnull = ::open("/dev/null", O_RDONLY);
      ::dup2(devnull, STDIN_FILENO);
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      ::execv(args[0], args.data());
      int e = errno;
      (void)!::write(status[1], &e, sizeof e);
      ::_exit(127);
    }
    pid_ = pid;
    ::setpgid(pid, pid);  // also here, so the group exists before we might signal it
    ::close(out[1]);
    ::close(err[1]);
    ::close(status[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    int e = 0;
    ssize_t n;
    do n = ::read(status[0], &e, sizeof e);
    while (n < 0 && errno == EINTR);
    ::close(status[0]);
    if (n == sizeof e) {
      start_error_ = "exec " + argv[0] + ": " + std::strerror(e);
      reap();
      pid_ = -1;
    }
  }

  // Reads whatever the pipes have within `timeout_ms`.
  void pump(int timeout_ms) {
    pollfd fds[2];
    int n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (n == 0) return;
    if (::poll(fds, nfds_t(n), timeout_ms) <= 0) return;
    for (int i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      bool is_out = fds[i].fd == out_fd_;
      char buf[65536];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        (is_out ? out_ : err_).append(buf, std::size_t(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        (is_out ? out_fd_ : err_fd_) = -1;
      }
    }
  }

  // True once the child has exited; it stays a zombie (its pid reserved) until reap().
  bool exited_unreaped() {
    siginfo_t info{};
    return ::waitid(P_PID, id_t(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
  }

  void reap() {
    // The child is a zombie here, so its process group id cannot have been reused: sweep up anything
    // it left behind before the pid is released.
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    if (WIFEXITED(status)) {
      exit_.exited = true;
      exit_.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      exit_.signal = WTERMSIG(status);
    }
  }

  void kill_and_reap() {
    if (pid_ > 0 && !reaped_) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      reap();
    }
    close_pipes();
  }

  void close_pipes() {
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
    out_fd_ = err_fd_ = -1;
  }

  pid_t pid_ = -1;
  bool reaped_ = false;
  Exit exit_;
  int out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  std::string start_error_;
};

}  // namespace conformance
