// fd_limit_exec SOFT PROGRAM [ARGS...]: runs PROGRAM with its soft RLIMIT_NOFILE set to SOFT and the
// hard limit unchanged, as `ulimit -n SOFT; exec PROGRAM` would. The backends do not set their own
// descriptor limit (they take what they inherit, as under the runner, which raises its own soft limit
// to the hard one), so this is how the fault tests start a server with few descriptors (EMFILE on
// accept) or with enough for 10,000 connections. It execs in place: the pid the test started is the
// server's own.
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char** argv) {
  constexpr int kExitCannotRun = 126;
  if (argc < 3) {
    std::fprintf(stderr, "usage: fd_limit_exec SOFT_LIMIT PROGRAM [ARGS...]\n");
    return 2;
  }
  char* end = nullptr;
  unsigned long long soft = std::strtoull(argv[1], &end, 10);
  rlimit limit{};
  if (end == argv[1] || *end != '\0' || ::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    std::fprintf(stderr, "fd_limit_exec: bad limit '%s'\n", argv[1]);
    return 2;
  }
  if (limit.rlim_max != RLIM_INFINITY && soft > limit.rlim_max) {
    std::fprintf(stderr, "fd_limit_exec: %llu open files asked for, the hard limit is %llu\n", soft,
                 static_cast<unsigned long long>(limit.rlim_max));
    return kExitCannotRun;
  }
  limit.rlim_cur = rlim_t(soft);
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    std::fprintf(stderr, "fd_limit_exec: setrlimit(RLIMIT_NOFILE, %llu): %s\n", soft, std::strerror(errno));
    return kExitCannotRun;
  }
  ::execv(argv[2], argv + 2);
  std::fprintf(stderr, "fd_limit_exec: exec %s: %s\n", argv[2], std::strerror(errno));
  return kExitCannotRun;
}
