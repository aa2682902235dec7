// file_server's first line of defence: turns an HTTP request target into a relative path that
// cannot name anything outside the served directory, or into the status to answer instead.
// A pure function (no file system access) so it can be unit-tested and fuzzed on its own; the
// second line of defence is the kernel (openat2 with RESOLVE_BENEATH, in file_server.cpp), which
// also stops symlinks that lead out.
#pragma once

#include <string>
#include <string_view>

namespace file_server {

struct SafePath {
  int status = 0;         // 0: `relative` is safe to open beneath the root; else 400, 403 or 404
  std::string relative;   // "a/b/c.txt": no leading '/', no empty, "." or ".." segment, no '\\', no NUL
};

// Accepts origin-form ("/a/b?q") and absolute-form ("http://host/a/b") targets. Decodes %XX once.
//  - anything else (e.g. "*", "a/b", "../x"): 400, it is not a path;
//  - a malformed escape ("%zz", "%4"): 400;
//  - an encoded '/' ("%2f"), a backslash, a NUL or other control byte, raw or encoded: 403;
//  - an empty segment inside the path ("//etc", "/a//b"): 403;
//  - a segment that starts with '.' (".", "..", ".git", ".htpasswd"): 403;
//  - a path ending in '/' (the root "/" too) names that directory's index.html.
SafePath safe_relative_path(std::string_view target);

}  // namespace file_server
