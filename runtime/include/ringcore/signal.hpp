// SignalSet: waits for signals (SIGINT, SIGTERM, ...) as an io_uring read on a signalfd, so a server
// can end cleanly from inside its loop. The signals are blocked for the thread (and threads it
// creates later) so that they are only delivered through the signalfd.
#pragma once

#include <signal.h>
#include <sys/signalfd.h>

#include <initializer_list>

#include "ringcore/ops/read.hpp"
#include "ringcore/result.hpp"
#include "ringcore/task.hpp"

namespace ringcore {

class SignalSet {
 public:
  // Throws std::system_error if the signalfd cannot be created.
  explicit SignalSet(std::initializer_list<int> signals);
  ~SignalSet();
  SignalSet(const SignalSet&) = delete;
  SignalSet& operator=(const SignalSet&) = delete;

  // Completes with the number of the next signal delivered.
  task<Result<int>> wait();
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  sigset_t mask_{};
  sigset_t previous_{};
};

}  // namespace ringcore
