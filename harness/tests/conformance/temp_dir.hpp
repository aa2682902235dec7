// A scratch directory removed with everything in it at scope exit. It lives in /var/tmp, on a disk
// filesystem: /tmp may be tmpfs, which has no O_DIRECT and no real reads.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace conformance {

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/var/tmp/ringcore-conformance-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace conformance
