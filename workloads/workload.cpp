#include "workload.hpp"

#include <algorithm>

namespace workloads {
namespace {

// A function-local static, so registrars in other files may run in any order.
std::vector<const Workload*>& entries() {
  static std::vector<const Workload*> list;
  return list;
}

}  // namespace

std::vector<const Workload*> registry() {
  auto list = entries();
  std::sort(list.begin(), list.end(), [](const Workload* a, const Workload* b) { return a->name() < b->name(); });
  return list;
}

void add_to_registry(const Workload& workload) { entries().push_back(&workload); }

}  // namespace workloads
