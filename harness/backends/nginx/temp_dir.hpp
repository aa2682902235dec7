// A fresh directory under /tmp (mkdtemp), removed with everything in it when destroyed.
#pragma once

#include <string>

namespace nginx_backend {

class TempDir {
 public:
  // Empty path() if mkdtemp failed; `error` then says why.
  explicit TempDir(std::string& error);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes `content` to `path` (created or truncated); false with errno set on failure.
bool write_file(const std::string& path, const std::string& content);
// The file's last non-empty line ("" if none or unreadable): what nginx said before it gave up.
std::string last_line_of(const std::string& path);

}  // namespace nginx_backend
