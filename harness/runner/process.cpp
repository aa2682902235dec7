#include "runner/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "runner/interrupt.hpp"

namespace runner {
namespace {

// A chatty child must not grow the runner without bound; past this, output is read and dropped.
constexpr std::size_t kMaxCapture = 1 << 20;

// Short poll slices so an interruption is noticed even if its signal landed just before poll().
constexpr int kPollSliceMs = 200;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Reads what is available now; at end of file the fd is closed (set to -1).
void read_available(int& fd, std::string& into) {
  char buf[16384];
  while (fd >= 0) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      std::size_t keep = std::min<std::size_t>(std::size_t(n), kMaxCapture - std::min(kMaxCapture, into.size()));
      into.append(buf, keep);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    close_fd(fd);  // EOF or a real error: nothing more will come
  }
}

int remaining_ms(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return int(std::clamp<long long>(left, 0, kPollSliceMs));
}

// What the child reports back through the exec pipe when it cannot run its program.
struct ChildFailure {
  int stage;  // 0: exec, 1: sched_setaffinity
  int error;
};

}  // namespace

Process Process::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw std::runtime_error("cannot run: empty command");
  const std::string& path = options.argv[0];
  std::vector<char*> argv;
  for (const auto& a : options.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);

  int out[2], err[2], report[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(report, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]), ::close(err[0]), ::close(err[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  int in[2] = {-1, -1};  // O_CLOEXEC: no other child may hold the write end, or EOF would never come
  if (options.stdin_pipe && ::pipe2(in, O_CLOEXEC) != 0) {
    ::close(out[0]), ::close(out[1]), ::close(err[0]), ::close(err[1]), ::close(report[0]), ::close(report[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  int devnull = options.stdin_pipe ? -1 : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid == 0) {
    // Child: only async-signal-safe calls from here to exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a runner killed outright takes its children along
    if (::getppid() != parent) ::_exit(127);
    reset_signals_in_child();
    if (options.cpu >= 0) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(options.cpu, &set);
      if (::sched_setaffinity(0, sizeof set, &set) != 0) {
        ChildFailure f{1, errno};
        (void)!::write(report[1], &f, sizeof f);
        ::_exit(127);
      }
    }
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    if (in[0] >= 0) ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::execv(path.c_str(), argv.data());
    ChildFailure f{0, errno};
    (void)!::write(report[1], &f, sizeof f);
    ::_exit(127);
  }
  int fork_errno = errno;
  if (devnull >= 0) ::close(devnull);
  if (in[0] >= 0) ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::close(report[1]);
  if (pid < 0) {
    ::close(out[0]), ::close(err[0]), ::close(report[0]);
    if (in[1] >= 0) ::close(in[1]);
    throw std::runtime_error("cannot run " + path + ": fork: " + std::strerror(fork_errno));
  }
  track_child(pid);
  ::setpgid(pid, pid);  // also from this side, so the group exists before we ever signal it

  Process p;
  p.pid_ = pid;
  p.out_fd_ = out[0];
  p.err_fd_ = err[0];
  p.in_fd_ = in[1];
  ::fcntl(p.out_fd_, F_SETFL, O_NONBLOCK);
  ::fcntl(p.err_fd_, F_SETFL, O_NONBLOCK);

  // The report pipe closes on a successful exec (O_CLOEXEC); a failure arrives as a ChildFailure.
  ChildFailure failure{};
  ssize_t n;
  do n = ::read(report[0], &failure, sizeof failure);
  while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == ssize_t(sizeof failure)) {
    p.kill();
    const char* what = failure.stage == 1 ? "sched_setaffinity: " : "";
    throw std::runtime_error("cannot run " + path + ": " + what + std::strerror(failure.error));
  }

  p.pidfd_ = int(::syscall(SYS_pidfd_open, pid, 0));
  return p;
}

Process::Process(Process&& o) noexcept { *this = std::move(o); }

Process& Process::operator=(Process&& o) noexcept {
  if (this != &o) {
    kill();
    close_fds();
    pid_ = std::exchange(o.pid_, -1);
    pidfd_ = std::exchange(o.pidfd_, -1);
    out_fd_ = std::exchange(o.out_fd_, -1);
    err_fd_ = std::exchange(o.err_fd_, -1);
    in_fd_ = std::exchange(o.in_fd_, -1);
    reaped_ = std::exchange(o.reaped_, false);
    status_ = o.status_;
    out_ = std::move(o.out_);
    err_ = std::move(o.err_);
  }
  return *this;
}

Process::~Process() {
  if (interrupted()) stop_within(std::chrono::seconds(2));
  kill();
  close_fds();
}

void Process::stop_within(std::chrono::milliseconds grace) {
  if (!running() || pidfd_ < 0) return;
  ::kill(pid_, SIGTERM);
  auto deadline = Clock::now() + grace;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return;
    pollfd fd{pidfd_, POLLIN, 0};
    int r = ::poll(&fd, 1, int(left));
    if (r > 0) return;                // exited: kill() reaps it and sweeps its group
    if (r < 0 && errno != EINTR) return;
  }
}

void Process::close_fds() {
  close_fd(pidfd_);
  close_fd(out_fd_);
  close_fd(err_fd_);
  close_fd(in_fd_);
}

void Process::close_stdin() { close_fd(in_fd_); }

void Process::drain_pipes() {
  read_available(out_fd_, out_);
  read_available(err_fd_, err_);
}

void Process::reap() {
  if (!running()) return;
  drain_pipes();
  // The leader is a zombie now, so its pid still names our group: sweep whatever it left behind.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  status_ = status;
  reaped_ = true;
  untrack_child(pid_);
  close_fd(pidfd_);
}

void Process::poll_once(Deadline deadline, Process* also) {
  pollfd fds[5];
  int n = 0;
  auto add = [&](int fd) {
    if (fd >= 0) fds[n++] = pollfd{fd, POLLIN, 0};
  };
  add(pidfd_);
  add(out_fd_);
  add(err_fd_);
  if (also && also != this) {
    add(also->out_fd_);
    add(also->err_fd_);
  }
  // A timeout or EINTR returns with nothing ready: the caller looks at the clock and interrupted().
  int ready = ::poll(fds, nfds_t(n), remaining_ms(deadline));
  if (ready > 0) {
    drain_pipes();
    if (also && also != this) also->drain_pipes();
  }
  if (pidfd_ >= 0 ? ready > 0 && fds[0].revents != 0 : zombie()) reap();
  // The other child may have exited too (a server dying while the client runs): notice it now.
  if (also && also != this) also->check_exited();
}

bool Process::zombie() const {
  // Asks without reaping, so that reap() still finds the zombie and can sweep its group first.
  siginfo_t info{};
  return ::waitid(P_PID, id_t(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid_;
}

bool Process::check_exited() {
  if (!running()) return true;
  if (zombie()) reap();
  return !running();
}

std::optional<std::string> Process::wait_for_line(std::string_view prefix, Deadline deadline) {
  std::size_t scanned = 0;
  for (;;) {
    std::size_t nl;
    while ((nl = out_.find('\n', scanned)) != std::string::npos) {
      std::string_view line(out_.data() + scanned, nl - scanned);
      scanned = nl + 1;
      if (line.starts_with(prefix)) return std::string(line);
    }
    if (!running() || Clock::now() >= deadline || interrupted()) return std::nullopt;
    poll_once(deadline, nullptr);
  }
}

bool Process::wait(Deadline deadline, Process* also_drain) {
  while (running()) {
    if (Clock::now() >= deadline || interrupted()) return false;
    poll_once(deadline, also_drain);
  }
  return true;
}

void Process::signal_group(int sig) {
  if (running()) ::kill(-pid_, sig);
}

void Process::kill() {
  if (!running()) return;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  reap();
}

int Process::exit_code() const {
  if (!reaped_ || !WIFEXITED(status_)) return -1;
  return WEXITSTATUS(status_);
}

int Process::term_signal() const {
  if (!reaped_ || !WIFSIGNALED(status_)) return 0;
  return WTERMSIG(status_);
}

std::string Process::describe_exit() const {
  if (!reaped_) return "still running";
  if (WIFEXITED(status_)) return "exit code " + std::to_string(WEXITSTATUS(status_));
  if (WIFSIGNALED(status_)) {
    int sig = WTERMSIG(status_);
    return "killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
  }
  return "status " + std::to_string(status_);
}

std::vector<std::string> Process::out_lines() const {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out_.size()) {
    std::size_t nl = out_.find('\n', start);
    if (nl == std::string::npos) nl = out_.size();
    if (nl > start) lines.emplace_back(out_, start, nl - start);
    start = nl + 1;
  }
  return lines;
}

std::string Process::last_err_line() const {
  std::size_t end = err_.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return {};
  std::size_t start = err_.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return err_.substr(start, end + 1 - start);
}

}  // namespace runner
