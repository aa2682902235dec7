// Fuzzes file_server's first line of defence, file_server::safe_relative_path: whatever the
// request target, it returns either a relative path that cannot leave the served directory or a
// refusal status, never a bit of both.
//
// Input: the request target, as raw bytes (the parser would refuse some of them first; this
// function must not rely on that).
//
// What scripts/fuzz.sh compiles in with it (paths from the repository root):
// fuzz-build: -I runtime/examples runtime/examples/file_server_path.cpp
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "exact_copy.hpp"
#include "file_server_path.hpp"
#include "fuzz_check.hpp"

namespace {

constexpr std::size_t kMaxPath = 4095;  // PATH_MAX less the NUL, as in file_server_path.cpp

void check_safe(std::string_view relative) {
  FUZZ_CHECK(!relative.empty() && relative.size() <= kMaxPath);
  FUZZ_CHECK(relative.front() != '/');
  for (char c : relative) {
    auto byte = static_cast<unsigned char>(c);
    FUZZ_CHECK(byte >= 0x20 && byte != 0x7f && c != '\\');  // no NUL, no control byte, no backslash
  }
  // Segment by segment: none empty (no "//", no trailing '/'), none "." or "..", none hidden.
  for (std::size_t start = 0;;) {
    std::size_t slash = relative.find('/', start);
    std::string_view segment = relative.substr(start, slash == std::string_view::npos ? slash : slash - start);
    FUZZ_CHECK(!segment.empty());
    FUZZ_CHECK(segment != ".." && segment != ".");
    FUZZ_CHECK(segment.front() != '.');
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ExactCopy target(std::string_view(reinterpret_cast<const char*>(data), size));
  file_server::SafePath result = file_server::safe_relative_path(target.view());
  if (result.status != 0) {
    FUZZ_CHECK(result.status == 400 || result.status == 403 || result.status == 404);
    FUZZ_CHECK(result.relative.empty());
    return 0;
  }
  check_safe(result.relative);

  // A safe path is a fixed point: served again as "/<path>" it names the same file. Only a '%',
  // '?' or '#' (decoded from %25, %3F, %23) would be read differently the second time.
  if (result.relative.find_first_of("%?#") == std::string::npos) {
    file_server::SafePath again = file_server::safe_relative_path("/" + result.relative);
    FUZZ_CHECK(again.status == 0 && again.relative == result.relative);
  }
  return 0;
}
