#include "ringcore/signal.hpp"

#include <pthread.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace ringcore {

SignalSet::SignalSet(std::initializer_list<int> signals) {
  sigemptyset(&mask_);
  for (int s : signals) sigaddset(&mask_, s);
  pthread_sigmask(SIG_BLOCK, &mask_, &previous_);
  fd_ = ::signalfd(-1, &mask_, SFD_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    throw std::system_error(err, std::system_category(), "signalfd");
  }
}

SignalSet::~SignalSet() {
  if (fd_ >= 0) ::close(fd_);
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

task<Result<int>> SignalSet::wait() {
  signalfd_siginfo info{};
  Result<std::size_t> n = co_await ringcore::read(fd_, &info, sizeof info, 0);
  if (!n) co_return n.error();
  if (*n != sizeof info) co_return errno_code(EIO);
  co_return int(info.ssi_signo);
}

}  // namespace ringcore
