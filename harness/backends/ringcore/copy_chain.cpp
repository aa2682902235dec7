// copy-chain: each chunk is ONE linked chain, read → write (IOSQE_IO_LINK), so the kernel runs the
// write right after the read from a single io_uring_enter. The write is prepared before the read
// has run, so it asks for the chunk's full length: chunk lengths come from the file's size, and if a
// read still comes back short the kernel breaks the link (the write reports ECANCELED and writes
// nothing) and we write the bytes we did get ourselves.
#include <fcntl.h>

#include <vector>

#include "commands.hpp"
#include "ringcore/ringcore.hpp"

namespace ringcore_backend {
namespace {

using ringcore::task;

task<int> copy(const bench::CopyChainOptions& o) {
  std::vector<char> buf(o.chunk);
  bench::FileMeter meter;
  auto src = co_await ringcore::File::open(o.src, O_RDONLY);
  if (!src) co_return bench::fail("open " + o.src + ": " + src.error().message());
  auto dst = co_await ringcore::File::open(o.dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!dst) co_return bench::fail("open " + o.dst + ": " + dst.error().message());
  auto size = co_await src->size();
  if (!size) co_return bench::fail("statx " + o.src + ": " + size.error().message());

  std::uint64_t offset = 0, chunks = 0, patched = 0;
  while (offset < *size) {
    const std::size_t want = std::size_t(std::min<std::uint64_t>(o.chunk, *size - offset));
    auto [r, w] = co_await ringcore::link(src->read_at(buf.data(), want, offset), dst->write_at(buf.data(), want, offset));
    ++chunks;
    if (!r) co_return bench::fail("read " + o.src + ": " + r.error().message());
    if (*r == 0) break;  // the source shrank
    std::size_t written = w ? *w : 0;
    if (!w && w.error() != std::errc::operation_canceled)
      co_return bench::fail("write " + o.dst + ": " + w.error().message());
    if (written < *r) {  // the chain was broken by a short read (or the write was short)
      ++patched;
      auto rest = co_await dst->write_all_at(buf.data() + written, *r - written, offset + written);
      if (!rest) co_return bench::fail("write " + o.dst + ": " + rest.error().message());
    }
    offset += *r;
  }
  auto closed = co_await dst->close();
  if (!closed) co_return bench::fail("close " + o.dst + ": " + closed.error().message());
  meter.finish("copy-chain", offset).add("chunks", chunks).add("patched", patched).print();
  co_return bench::kExitOk;
}

}  // namespace

int copy_chain(const bench::CopyChainOptions& options) {
  try {
    ringcore::Runtime rt(ring_options(Workload::files));
    return rt.run(copy(options));
  } catch (const std::system_error& e) {
    return bench::fail(e.what());
  }
}

}  // namespace ringcore_backend
