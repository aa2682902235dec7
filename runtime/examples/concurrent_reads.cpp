// concurrent_reads <file>: 100 reads of one file, started together. Each read is its own task; the
// tasks queue their SQEs and the executor hands all of them to the kernel in one io_uring_enter,
// then resumes each task as its CQE arrives. Prints what the ring counted.
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: concurrent_reads [--reads N] [--block BYTES] <file>\n"
    "  Starts N reads (default 100) of BYTES (default 4096) at consecutive offsets, all at once,\n"
    "  and prints how many io_uring_enter calls carried them and how the completions came back.\n";

ringcore::task<int> read_all(const char* path, unsigned reads, std::size_t block) {
  auto file = co_await ringcore::File::open(path);
  if (!file) {
    std::fprintf(stderr, "concurrent_reads: %s: %s\n", path, file.error().message().c_str());
    co_return 1;
  }
  auto& ring = ringcore::Runtime::current().ring();
  const auto before = ring.stats();
  std::vector<std::vector<char>> bufs(reads, std::vector<char>(block));
  std::vector<long long> got(reads, -1);
  unsigned done = 0;
  auto one = [&](unsigned i) -> ringcore::task<void> {
    auto n = co_await file->read_at(bufs[i].data(), block, std::uint64_t(i) * block);
    got[i] = n ? (long long)*n : -1;
    ++done;
  };
  for (unsigned i = 0; i < reads; ++i) ringcore::spawn(one(i));
  while (done < reads) co_await ringcore::yield();
  const auto after = ring.stats();

  unsigned long long bytes = 0;
  unsigned failed = 0;
  for (long long g : got) g < 0 ? ++failed : bytes += (unsigned long long)g;
  std::printf("reads: %u started, %u failed, %llu bytes\n", reads, failed, bytes);
  std::printf("SQEs submitted: %llu in %llu io_uring_enter call(s)\n",
              (unsigned long long)(after.sqes_submitted - before.sqes_submitted),
              (unsigned long long)(after.enters - before.enters));
  std::printf("CQEs reaped: %llu\n", (unsigned long long)(after.cqes_reaped - before.cqes_reaped));
  co_return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  unsigned reads = 100;
  std::size_t block = 4096;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--reads" && i + 1 < argc) reads = unsigned(std::strtoul(argv[++i], nullptr, 10));
    else if (a == "--block" && i + 1 < argc) block = std::strtoull(argv[++i], nullptr, 10);
    else if (!a.empty() && a[0] == '-') return example::usage_error("concurrent_reads", "unknown flag " + a, kUsage);
    else if (!path) path = argv[i];
    else return example::usage_error("concurrent_reads", "expected one file", kUsage);
  }
  if (!path) return example::usage_error("concurrent_reads", "expected one file", kUsage);
  if (reads < 1 || reads > 4096 || block < 1 || block > (64u << 20))
    return example::usage_error("concurrent_reads", "--reads 1..4096, --block 1..64M", kUsage);
  ringcore::RingOptions opts;
  opts.entries = 4096;  // room for every read in one submission
  return example::guarded("concurrent_reads", [&] { return ringcore::block_on(read_all(path, reads, block), opts); });
}
