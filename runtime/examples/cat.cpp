// cat <file>: file I/O alone. Reads the file in 64 KiB chunks with IORING_OP_READ and writes each to
// stdout with IORING_OP_WRITE at the current position (offset -1), so `cat f >> log` appends.
#include <unistd.h>

#include <vector>

#include "example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: cat <file>\n"
    "  Copies <file> to standard output through io_uring (read → write, 64 KiB at a time).\n"
    "  RINGCORE_TRACE=1 shows every SQE, CQE and resume on stderr.\n";

ringcore::task<int> copy_to_stdout(const char* path) {
  auto file = co_await ringcore::File::open(path);
  if (!file) {
    std::fprintf(stderr, "cat: %s: %s\n", path, file.error().message().c_str());
    co_return 1;
  }
  ringcore::File out = ringcore::File::borrow(STDOUT_FILENO);
  std::vector<char> buf(64 * 1024);
  for (;;) {
    auto n = co_await file->read(buf.data(), buf.size());
    if (!n) {
      std::fprintf(stderr, "cat: read %s: %s\n", path, n.error().message().c_str());
      co_return 1;
    }
    if (*n == 0) co_return 0;  // end of file
    auto w = co_await out.write_all(buf.data(), *n);
    if (!w) {
      std::fprintf(stderr, "cat: write: %s\n", w.error().message().c_str());
      co_return 1;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  if (argc != 2) return example::usage_error("cat", "expected one file", kUsage);
  return example::guarded("cat", [&] { return ringcore::block_on(copy_to_stdout(argv[1])); });
}
