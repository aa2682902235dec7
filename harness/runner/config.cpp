#include "runner/config.hpp"

namespace runner {

std::string_view profile_name(Profile p) {
  switch (p) {
    case Profile::quick: return "quick";
    case Profile::standard: return "default";
    case Profile::full: return "full";
  }
  return "?";
}

}  // namespace runner
