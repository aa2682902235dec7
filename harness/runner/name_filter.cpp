#include "runner/name_filter.hpp"

#include <stdexcept>

namespace runner {

NameFilter::NameFilter(const std::string& filter) {
  if (filter.empty()) return;
  negative_ = filter.front() == '-';
  std::string pattern = negative_ ? filter.substr(1) : filter;
  int rc = ::regcomp(&regex_, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char message[256];
    ::regerror(rc, &regex_, message, sizeof message);
    throw std::invalid_argument(message);
  }
  compiled_ = true;
}

NameFilter::~NameFilter() {
  if (compiled_) ::regfree(&regex_);
}

bool NameFilter::selects(const std::string& name) const {
  if (!compiled_) return true;
  return (::regexec(&regex_, name.c_str(), 0, nullptr, 0) == 0) != negative_;
}

}  // namespace runner
