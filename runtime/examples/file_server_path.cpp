#include "file_server_path.hpp"

#include <optional>

namespace file_server {
namespace {

constexpr std::size_t kMaxPath = 4095;  // PATH_MAX less the NUL: longer cannot be opened anyway

SafePath refuse(int status) { return SafePath{status, {}}; }

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

std::optional<int> hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// The path part of the target: absolute-form loses its scheme and authority, then the query and
// fragment go.
std::string_view path_part(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (starts_with_nocase(target, scheme)) {
      target.remove_prefix(scheme.size());
      std::size_t path_start = target.find_first_of("/?#");
      target = path_start == std::string_view::npos ? std::string_view() : target.substr(path_start);
      if (target.empty() || target.front() != '/') return "/";  // "http://host" or "http://host?q"
      break;
    }
  }
  return target.substr(0, target.find_first_of("?#"));
}

}  // namespace

SafePath safe_relative_path(std::string_view target) {
  std::string_view path = path_part(target);
  if (path.empty() || path.front() != '/') return refuse(400);

  // Decode once. Bytes that would change how the path splits or ends are refused here, decoded or
  // not, rather than reinterpreted: an encoded '/' would otherwise become a separator only after
  // the ".." check below; a NUL would cut the path short inside the kernel.
  std::string decoded;
  decoded.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    bool escaped = false;
    if (c == '%') {
      if (i + 2 >= path.size()) return refuse(400);  // "%" or "%4" at the end
      auto hi = hex_value(path[i + 1]), lo = hex_value(path[i + 2]);
      if (!hi || !lo) return refuse(400);
      c = char(*hi * 16 + *lo);
      i += 2;
      escaped = true;
    }
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') return refuse(403);
    if (c == '/' && escaped) return refuse(403);
    decoded += c;
  }

  // Segment by segment: no empty segment but a final one, nothing that starts with a dot.
  std::string relative;
  relative.reserve(decoded.size() + 10);
  std::size_t pos = 1;  // past the leading '/'
  for (;;) {
    std::size_t slash = decoded.find('/', pos);
    bool last = slash == std::string::npos;
    std::string_view segment = std::string_view(decoded).substr(pos, last ? std::string::npos : slash - pos);
    if (segment.empty()) {
      if (!last) return refuse(403);  // "//" inside the path
      relative += "index.html";       // "/" or "/dir/": the directory's index, never a listing
      break;
    }
    if (segment.front() == '.') return refuse(403);
    relative += segment;
    if (last) break;
    relative += '/';
    pos = slash + 1;
  }
  if (relative.size() > kMaxPath) return refuse(404);
  return SafePath{0, std::move(relative)};
}

}  // namespace file_server
