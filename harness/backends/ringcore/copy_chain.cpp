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

// The chunk's read, then its write: one linked chain, or (unlinked configurations) two requests,
// the write submitted after the read's completion. Returns the read's and the write's results.
task<std::pair<ringcore::Result<std::size_t>, ringcore::Result<std::size_t>>> read_then_write(
    ringcore::File& src, ringcore::File& dst, char* buf, std::size_t want, std::uint64_t offset, bool linked) {
  if (linked) {
    auto [r, w] = co_await ringcore::link(src.read_at(buf, want, offset), dst.write_at(buf, want, offset));
    co_return std::pair{std::move(r), std::move(w)};
  }
  auto r = co_await src.read_at(buf, want, offset);
  if (!r || *r == 0) co_return std::pair{std::move(r), ringcore::Result<std::size_t>(std::size_t(0))};
  auto w = co_await dst.write_at(buf, *r, offset);
  co_return std::pair{std::move(r), std::move(w)};
}

task<int> copy(const bench::CopyChainOptions& o, const RingConfig& config) {
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
    auto [r, w] = co_await read_then_write(*src, *dst, buf.data(), want, offset, config.linked);
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
  bench::JsonLine line = meter.finish("copy-chain", offset);
  line.add("chunks", chunks).add("patched", patched);
  add_ring_report(line, config, ringcore::Runtime::current().ring(), false, false, config.linked);
  line.print();
  co_return bench::kExitOk;
}

}  // namespace

int copy_chain(const bench::CopyChainOptions& options) {
  const RingConfig config = chosen_config(Workload::files);
  try {
    ringcore::Runtime rt(config.ring_options());
    return rt.run(copy(options, config));
  } catch (const std::system_error& e) {
    return ring_setup_failed(config, e);
  }
}

}  // namespace ringcore_backend
