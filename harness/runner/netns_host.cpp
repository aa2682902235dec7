#include "runner/netns_host.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "runner/interrupt.hpp"

namespace runner {
namespace {

// Waits for `pid` to exit, up to `seconds`; its exit code, -1 when killed by a signal or still running.
int wait_exit(pid_t pid, int seconds) {
  int pidfd = int(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd fd{pidfd, POLLIN, 0};
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      int r = ::poll(&fd, 1, 200);
      if (r > 0) break;
    }
    ::close(pidfd);
  }
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::unique_ptr<NetnsHost> NetnsHost::create(const std::filesystem::path& script) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(out, O_CLOEXEC) != 0) {
    ::close(in[0]), ::close(in[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  std::string tag = std::to_string(::getpid());
  pid_t pid = ::fork();
  if (pid == 0) {
    // Its own session: Ctrl-C at the terminal and the runner's child killing never reach it; only
    // the end of its stdin does. No PR_SET_PDEATHSIG either: it must outlive a killed runner to clean up.
    ::setsid();
    reset_signals_in_child();
    ::dup2(in[0], STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::execl("/bin/sh", "sh", script.c_str(), tag.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(in[0]);
  ::close(out[1]);
  if (pid < 0) {
    ::close(in[1]), ::close(out[0]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  std::unique_ptr<NetnsHost> host(new NetnsHost);
  host->pid_ = pid;
  host->stdin_fd_ = in[1];

  // Its one line: "ready NS HOST_ADDR SERVER_ADDR USER KEY KNOWN_HOSTS", or "skip: why" and exit 77.
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kSetupTimeoutS);
  while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline && !interrupted()) {
    pollfd fd{out[0], POLLIN, 0};
    if (::poll(&fd, 1, 200) <= 0) continue;
    char buf[1024];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, std::size_t(n));
  }
  ::close(out[0]);
  if (text.starts_with("ready ")) {
    std::istringstream line(text.substr(6));
    line >> host->name_ >> host->host_address_ >> host->server_address_ >> host->user_ >> host->key_ >>
        host->known_hosts_;
    if (line) return host;
  }
  if (interrupted()) throw std::runtime_error("interrupted while creating the network namespace");
  ::close(host->stdin_fd_);  // whatever it made, it removes now
  host->stdin_fd_ = -1;
  int code = wait_exit(pid, kTeardownTimeoutS);
  host->pid_ = -1;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (code == 77) throw NetnsUnavailable(text.starts_with("skip: ") ? text.substr(6) : text);
  throw std::runtime_error("netns_server_host.sh " + std::string(code == -2 ? "did not answer within 30 s"
                                                                  : "failed (exit " + std::to_string(code) + ")"));
}

NetnsHost::~NetnsHost() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  if (pid_ > 0 && wait_exit(pid_, kTeardownTimeoutS) == -2) {
    std::fprintf(stderr, "ringcore-bench: the network namespace %s is still being removed (pid %d)\n", name_.c_str(),
                 int(pid_));
  }
}

ServerHost NetnsHost::server_host() const {
  ServerHost h;
  h.destination = user_ + "@" + server_address_;
  h.address = server_address_;
  // Nothing from the user's ssh configuration or agent: this key and this known_hosts only.
  h.ssh_args = {"-F", "/dev/null", "-i", key_, "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
                "-o", "UserKnownHostsFile=" + known_hosts_, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes"};
  return h;
}

}  // namespace runner
