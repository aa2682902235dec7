// One way to word a libuv error: "open /data/x: no such file or directory".
#pragma once

#include <uv.h>

#include <string>
#include <string_view>

namespace libuv_backend {

inline std::string uv_failure(std::string_view what, std::string_view subject, int uv_error) {
  std::string s(what);
  s += ' ';
  s += subject;
  s += ": ";
  s += uv_strerror(uv_error);
  return s;
}

}  // namespace libuv_backend
