// What every example shares: --help handling and turning errors into one clear line and exit code.
#pragma once

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <system_error>

namespace example {

// Prints `usage` and returns true when --help/-h is among the arguments.
inline bool wants_help(int argc, char** argv, const char* usage) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::fputs(usage, stdout);
      return true;
    }
  }
  return false;
}

inline int usage_error(const char* prog, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "%s: %s\n%s", prog, msg.c_str(), usage);
  return 2;
}

// Runs `body`, mapping exceptions (e.g. the ring refusing its setup) to a message and exit code 1.
template <class F>
int guarded(const char* prog, F&& body) {
  try {
    return body();
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", prog, e.what());
  }
  return 1;
}

}  // namespace example
