// --filter: a POSIX extended regular expression searched anywhere in a benchmark name; a leading
// '-' selects the names that do not match. The runner filters, not Google Benchmark, so the filter
// sees the names exactly as the JSON has them (without Google Benchmark's suffixes).
#pragma once

#include <regex.h>

#include <string>

namespace runner {

class NameFilter {
 public:
  // Throws std::invalid_argument with regcomp's message when the expression is malformed.
  explicit NameFilter(const std::string& filter);
  ~NameFilter();
  NameFilter(const NameFilter&) = delete;
  NameFilter& operator=(const NameFilter&) = delete;

  bool selects(const std::string& name) const;

 private:
  regex_t regex_{};
  bool compiled_ = false;
  bool negative_ = false;
};

}  // namespace runner
