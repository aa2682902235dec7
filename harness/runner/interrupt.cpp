#include "runner/interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace runner {
namespace {

// A handful of children at most run at once (a server and a load generator); the table is generous.
constexpr int kMaxChildren = 64;
std::atomic<pid_t> g_children[kMaxChildren];
std::atomic<int> g_signals{0};

static_assert(std::atomic<pid_t>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "the signal handler may only touch lock-free atomics");

void kill_children() {
  for (auto& slot : g_children) {
    pid_t pid = slot.load();
    if (pid > 0) {
      // The group first (a server's helpers); the pid too, in case the child has not yet made its group.
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
    }
  }
}

// The first signal asks each child to stop as it would at the end of a run (SIGTERM to the leader,
// which takes its own helpers down: the nginx wrapper removes its temporary directory); the
// Process destructor gives it a short grace, then kills the group. A second signal kills at once.
void terminate_children() {
  for (auto& slot : g_children) {
    pid_t pid = slot.load();
    if (pid > 0) ::kill(pid, SIGTERM);
  }
}

void on_signal(int) {
  int saved_errno = errno;
  if (g_signals.fetch_add(1) >= 1) {
    kill_children();
    ::_exit(kExitInterrupted);
  }
  terminate_children();
  errno = saved_errno;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking poll() returns EINTR and the waiter looks at interrupted()
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_signals.load() > 0; }

void track_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void untrack_child(pid_t pid) {
  for (auto& slot : g_children) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void reset_signals_in_child() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGINT, SIG_DFL);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGPIPE, SIG_DFL);
}

}  // namespace runner
