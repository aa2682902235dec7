#include "fd_limit.hpp"

#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace loadgen {

bool ensure_fd_limit(std::uint64_t needed, std::string& error) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    error = std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno);
    return false;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);  // on failure the check below reports what is left
    ::getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < needed) {
    error = std::to_string(needed) + " open files needed but RLIMIT_NOFILE allows " + std::to_string(limit.rlim_cur) +
            " (hard limit " + std::to_string(limit.rlim_max) + "); use fewer connections or raise the hard limit";
    return false;
  }
  return true;
}

}  // namespace loadgen
