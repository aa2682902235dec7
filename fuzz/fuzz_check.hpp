// The one way a fuzz target reports a broken invariant: say which one on stderr, then trap, so
// libFuzzer saves the input as crash-<sha1> and the message names the rule it broke.
#pragma once

#include <cstdio>

#define FUZZ_CHECK(condition)                                                               \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      std::fprintf(stderr, "invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #condition); \
      __builtin_trap();                                                                     \
    }                                                                                       \
  } while (0)
