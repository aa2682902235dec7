// Shared by the runtime tests: the ring configurations every I/O test runs under, and small helpers.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "ringcore/ringcore.hpp"

namespace ringcore::testing {

struct RingConfig {
  const char* name;
  RingOptions options;
};

// default: no setup flags; defer: SINGLE_ISSUER|DEFER_TASKRUN; sqpoll: a kernel thread polls the SQ.
inline std::vector<RingConfig> ring_configs() {
  RingOptions plain;
  plain.taskrun = TaskRun::none;
  RingOptions defer;
  defer.taskrun = TaskRun::defer;
  RingOptions sqpoll;
  sqpoll.sqpoll = true;
  sqpoll.sqpoll_idle_ms = 50;
  return {{"default", plain}, {"defer", defer}, {"sqpoll", sqpoll}};
}

inline void PrintTo(const RingConfig& c, std::ostream* os) { *os << c.name; }

inline std::string config_name(const ::testing::TestParamInfo<RingConfig>& info) { return info.param.name; }

// A test fixture parameterised by ring configuration. runtime() is created per test; a
// configuration the kernel refuses (SQPOLL without privileges) makes the test a visible skip.
class RingTest : public ::testing::TestWithParam<RingConfig> {
 protected:
  void SetUp() override {
    try {
      rt_.emplace(GetParam().options);
    } catch (const std::system_error& e) {
      GTEST_SKIP() << "ring configuration '" << GetParam().name << "' refused by this kernel: " << e.what();
    }
  }
  void TearDown() override { rt_.reset(); }
  Runtime& runtime() { return *rt_; }
  template <class T>
  T run(task<T> t) {
    return rt_->run(std::move(t));
  }

 private:
  std::optional<Runtime> rt_;
};

#define RINGCORE_ALL_CONFIGS(Fixture) \
  INSTANTIATE_TEST_SUITE_P(Rings, Fixture, ::testing::ValuesIn(::ringcore::testing::ring_configs()), \
                           ::ringcore::testing::config_name)

// A temporary file with given contents, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& contents = "") {
    char tmpl[] = "/tmp/ringcore-test-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0) throw std::system_error(errno, std::system_category(), "mkstemp");
    path_ = tmpl;
    std::size_t done = 0;
    while (done < contents.size()) {
      ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
      if (n <= 0) throw std::system_error(errno, std::system_category(), "write");
      done += std::size_t(n);
    }
    ::close(fd);
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }
  std::string read_all() const {
    std::string out;
    FILE* f = std::fopen(path_.c_str(), "rb");
    if (!f) return out;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
    return out;
  }

 private:
  std::string path_;
};

// Deterministic bytes for test files.
inline std::string pattern(std::size_t n, unsigned seed = 1) {
  std::string s(n, '\0');
  unsigned x = seed * 2654435761u + 1;
  for (std::size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    s[i] = char(x >> 16);
  }
  return s;
}

struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::system_error(errno, std::system_category(), "pipe2");
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    if (read_end >= 0) ::close(read_end);
    if (write_end >= 0) ::close(write_end);
  }
};

}  // namespace ringcore::testing
