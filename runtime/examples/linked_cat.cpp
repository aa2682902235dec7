// linked_cat <file>: like cat, but each chunk's read and write are one IOSQE_IO_LINK chain, so the
// kernel runs the write right after the read, from a single io_uring_enter.
//
// The catch: the write is prepared before the read has run, with the length we asked to read. If the
// read comes back short, the kernel breaks the chain and the write reports ECANCELED instead of
// writing bytes that were never read; we then write the bytes we did get ourselves.
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: linked_cat [--chunk BYTES] <file>\n"
    "  Copies <file> to standard output; each chunk is a linked read → write pair (IOSQE_IO_LINK).\n"
    "  Prints the number of chains and io_uring_enter calls to stderr with --stats.\n";

ringcore::task<int> linked_copy(const char* path, std::size_t chunk, bool stats) {
  auto file = co_await ringcore::File::open(path);
  if (!file) {
    std::fprintf(stderr, "linked_cat: %s: %s\n", path, file.error().message().c_str());
    co_return 1;
  }
  ringcore::File out = ringcore::File::borrow(STDOUT_FILENO);
  std::vector<char> buf(chunk);
  std::uint64_t offset = 0, chains = 0, patched = 0;
  for (;;) {
    auto [r, w] = co_await ringcore::link(file->read_at(buf.data(), chunk, offset), out.write(buf.data(), chunk));
    ++chains;
    if (!r) {
      std::fprintf(stderr, "linked_cat: read %s: %s\n", path, r.error().message().c_str());
      co_return 1;
    }
    std::size_t got = *r;
    if (got == 0) break;  // end of file (the write was cancelled with it)
    std::size_t written = w ? *w : 0;
    if (!w && w.error() != std::errc::operation_canceled) {
      std::fprintf(stderr, "linked_cat: write: %s\n", w.error().message().c_str());
      co_return 1;
    }
    if (written < got) {  // short read broke the chain (or the write was short): finish by hand
      ++patched;
      auto rest = co_await out.write_all(buf.data() + written, got - written);
      if (!rest) {
        std::fprintf(stderr, "linked_cat: write: %s\n", rest.error().message().c_str());
        co_return 1;
      }
    }
    offset += got;
  }
  if (stats) {
    auto& s = ringcore::Runtime::current().ring().stats();
    std::fprintf(stderr, "linked_cat: %llu bytes, %llu chains, %llu patched after a short read, %llu io_uring_enter\n",
                 (unsigned long long)offset, (unsigned long long)chains, (unsigned long long)patched,
                 (unsigned long long)s.enters);
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  std::size_t chunk = 64 * 1024;
  bool stats = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--chunk" && i + 1 < argc) {
      chunk = std::strtoull(argv[++i], nullptr, 10);
      if (chunk == 0 || chunk > (1u << 30)) return example::usage_error("linked_cat", "--chunk must be 1..1G", kUsage);
    } else if (a == "--stats") {
      stats = true;
    } else if (!a.empty() && a[0] == '-') {
      return example::usage_error("linked_cat", "unknown flag " + a, kUsage);
    } else if (!path) {
      path = argv[i];
    } else {
      return example::usage_error("linked_cat", "expected one file", kUsage);
    }
  }
  if (!path) return example::usage_error("linked_cat", "expected one file", kUsage);
  return example::guarded("linked_cat", [&] { return ringcore::block_on(linked_copy(path, chunk, stats)); });
}
