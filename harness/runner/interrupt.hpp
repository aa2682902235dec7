// Ctrl-C and SIGTERM: the first signal kills every running child's process group and marks the run
// interrupted (each later benchmark records "skipped: interrupted", so Google Benchmark still finishes
// and the JSON stays valid); a second signal kills the children and exits at once with 130.
#pragma once

#include <sys/types.h>

namespace runner {

inline constexpr int kExitInterrupted = 130;

void install_interrupt_handlers();
bool interrupted();

// Children the signal handler must kill. Process registers itself right after fork and leaves
// once reaped; the table is lock-free so the handler can walk it.
void track_child(pid_t pid);
void untrack_child(pid_t pid);

// In a forked child, before exec: unblocks every signal and restores the default action of those
// the runner handles or ignores (SIGINT, SIGTERM, SIGPIPE), which exec would otherwise pass on.
// Async-signal-safe.
void reset_signals_in_child();

}  // namespace runner
