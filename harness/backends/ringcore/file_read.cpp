// file-read: `depth` reader tasks share one cursor over the file; each claims the next block, reads it
// with IORING_OP_READ at its offset, checksums it and claims the next. The executor batches their
// SQEs, so up to `depth` reads are in flight and go to the kernel together.
#include <fcntl.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "bench/checksum.hpp"
#include "commands.hpp"
#include "ringcore/ringcore.hpp"

namespace ringcore_backend {
namespace {

using ringcore::task;

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
using AlignedBuffer = std::unique_ptr<char, AlignedFree>;

struct Cursor {
  std::uint64_t next = 0;
  std::uint64_t size = 0;
  std::size_t block = 0;
  bool direct = false;
  std::uint64_t bytes = 0;
  std::error_code error;
  bench::Checksum checksum;
};

task<void> reader(ringcore::File& file, Cursor& c, char* buf, ringcore::WaitGroup& wg) {
  while (!c.error && c.next < c.size) {
    const std::uint64_t offset = c.next;
    const std::size_t want = std::size_t(std::min<std::uint64_t>(c.block, c.size - offset));
    c.next += want;
    // O_DIRECT lengths must stay multiples of the block size: ask for the whole block, even for the
    // file's tail; the kernel returns just the bytes there are.
    const std::size_t ask = c.direct ? c.block : want;
    std::size_t got = 0;
    while (got < want) {  // a short read continues where it stopped
      auto n = co_await file.read_at(buf + got, ask - got, offset + got);
      if (!n) {
        c.error = n.error();
        break;
      }
      if (*n == 0) break;  // the file shrank under us
      got += *n;
    }
    c.checksum.add(offset, buf, got);
    c.bytes += got;
    if (got < want && !c.error) break;
  }
  wg.done();
}

task<int> read_file(const bench::FileReadOptions& o, const RingConfig& config) {
  const std::size_t buffer_bytes = (o.block + 4095) / 4096 * 4096;  // O_DIRECT wants 4096-aligned memory
  std::vector<AlignedBuffer> buffers;
  for (unsigned i = 0; i < o.depth; ++i) {
    buffers.emplace_back(static_cast<char*>(std::aligned_alloc(4096, buffer_bytes)));
    if (!buffers.back()) co_return bench::fail("out of memory for read buffers");
  }

  bench::FileMeter meter;
  auto file = co_await ringcore::File::open(o.path, O_RDONLY | (o.direct ? O_DIRECT : 0));
  if (!file) {
    if (o.direct && file.error() == std::errc::invalid_argument)
      co_return bench::skip("O_DIRECT not supported on this filesystem");
    co_return bench::fail("open " + o.path + ": " + file.error().message());
  }
  auto size = co_await file->size();
  if (!size) co_return bench::fail("statx " + o.path + ": " + size.error().message());

  Cursor c;
  c.size = *size;
  c.block = o.block;
  c.direct = o.direct;
  ringcore::WaitGroup wg;
  wg.add(o.depth);
  for (unsigned i = 0; i < o.depth; ++i) ringcore::spawn(reader(*file, c, buffers[i].get(), wg));
  co_await wg.wait();
  if (c.error) {
    if (o.direct && c.error == std::errc::invalid_argument)
      co_return bench::skip("O_DIRECT read refused by this filesystem");
    co_return bench::fail("read " + o.path + ": " + c.error.message());
  }

  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", (unsigned long long)c.checksum.value());
  bench::JsonLine line = meter.finish("file-read", c.bytes);
  line.add("checksum", hex).add("block", std::uint64_t(o.block)).add("depth", o.depth);
  // No chains, sockets or provided buffers here: only the ring's setup differs between configurations.
  add_ring_report(line, config, ringcore::Runtime::current().ring(), false, false, false);
  line.print();
  co_return bench::kExitOk;
}

}  // namespace

int file_read(const bench::FileReadOptions& options) {
  const RingConfig config = chosen_config(Workload::files);
  try {
    ringcore::Runtime rt(config.ring_options());
    return rt.run(read_file(options, config));
  } catch (const std::system_error& e) {
    return ring_setup_failed(config, e);
  }
}

}  // namespace ringcore_backend
