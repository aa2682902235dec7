#include "nginx_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace nginx_backend {
namespace {

using namespace std::chrono_literals;

constexpr auto kGracefulStop = 3000ms;  // SIGQUIT: nginx closes its listener and idle connections
constexpr auto kFastStop = 2000ms;      // SIGTERM
constexpr auto kKillWait = 2000ms;      // SIGKILL cannot be refused; this only bounds a stuck reap

timespec to_timespec(std::chrono::nanoseconds d) {
  return {time_t(d.count() / 1'000'000'000), long(d.count() % 1'000'000'000)};
}

}  // namespace

StopSignals::StopSignals() {
  sigemptyset(&blocked_);
  sigaddset(&blocked_, SIGTERM);
  sigaddset(&blocked_, SIGINT);
  sigaddset(&blocked_, SIGCHLD);
  sigprocmask(SIG_BLOCK, &blocked_, &original_);
}

StopSignals::~StopSignals() {
  // A SIGCHLD still pending would be discarded anyway; SIGTERM/SIGINT pending after the counters
  // line (a second, process-group kill) must not turn a clean exit into a kill: drop them.
  timespec zero{};
  while (sigtimedwait(&blocked_, nullptr, &zero) > 0) {
  }
  sigprocmask(SIG_SETMASK, &original_, nullptr);
}

int StopSignals::wait(std::chrono::milliseconds timeout) const {
  timespec ts = to_timespec(timeout);
  for (;;) {
    int sig = sigtimedwait(&blocked_, nullptr, &ts);
    if (sig > 0) return sig;
    if (errno == EAGAIN) return 0;
    // EINTR: some other signal; the remaining time is not reported, so just wait the rest again.
  }
}

NginxProcess::NginxProcess(const std::string& binary, const std::string& dir, const StopSignals& signals,
                           std::string& error) {
  std::string prefix = dir + "/", conf = dir + "/nginx.conf", log = dir + "/error.log";
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>("-p"), prefix.data(),
                             const_cast<char*>("-c"), conf.data(), const_cast<char*>("-e"), log.data(), nullptr};
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out_fd = ::open((dir + "/nginx.stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (null_fd < 0 || out_fd < 0) {
    error = std::string("open /dev/null or ") + dir + "/nginx.stderr: " + std::strerror(errno);
    if (null_fd >= 0) ::close(null_fd);
    if (out_fd >= 0) ::close(out_fd);
    return;
  }
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the wrapper died before prctl took effect
    // A process group of its own: the runner signals the wrapper's group to stop a server, and
    // nginx must not hear that directly. The wrapper reads nginx's CPU clock first, then stops it
    // (stop()); an nginx already exiting would have its exit (unmapping its connection tables,
    // ~1 ms) charged to serving. If the wrapper dies, PDEATHSIG still kills nginx.
    ::setpgid(0, 0);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(out_fd, STDERR_FILENO);
    ::signal(SIGPIPE, SIG_DFL);  // ignored dispositions survive exec; nginx sets its own
    ::sigprocmask(SIG_SETMASK, &signals.original_mask(), nullptr);
    ::execv(argv[0], argv.data());
    const char msg[] = "exec nginx failed\n";
    (void)!::write(STDERR_FILENO, msg, sizeof msg - 1);
    ::_exit(127);
  }
  int fork_errno = errno;
  ::close(null_fd);
  ::close(out_fd);
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(fork_errno);
    return;
  }
  pid_ = pid;
}

NginxProcess::~NginxProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::optional<int> NginxProcess::exited() {
  if (status_ || pid_ <= 0) return status_;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) status_ = status;
  return status_;
}

std::optional<int> NginxProcess::wait_exit(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  sigset_t child;
  sigemptyset(&child);
  sigaddset(&child, SIGCHLD);
  while (!exited()) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= 0ns) return std::nullopt;
    timespec ts = to_timespec(left);
    sigtimedwait(&child, nullptr, &ts);  // SIGCHLD, a timeout or EINTR: look again
  }
  return status_;
}

int NginxProcess::stop() {
  if (status_) return *status_;
  ::kill(pid_, SIGQUIT);
  if (auto s = wait_exit(kGracefulStop)) return *s;
  ::kill(pid_, SIGTERM);
  if (auto s = wait_exit(kFastStop)) return *s;
  ::kill(pid_, SIGKILL);
  if (auto s = wait_exit(kKillWait)) return *s;
  int status = 0;
  ::waitpid(pid_, &status, 0);
  status_ = status;
  return status;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped (status " + std::to_string(status) + ")";
}

}  // namespace nginx_backend
