// file_read: a backend reads the data file end to end (`file-read`), page cache warm or O_DIRECT,
// in blocks of 4K/64K/1M with up to `depth` reads in flight; the runner checks every byte through
// the checksum. Names: file_read/<backend>/block:<bytes>/depth:<q>/cache:warm|direct.
#include <chrono>
#include <string>
#include <vector>

#include "bench/checksum.hpp"
#include "data_file.hpp"
#include "runner/backend_command.hpp"
#include "runner/outcome.hpp"
#include "workload.hpp"

namespace workloads {
namespace {

constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB;

struct Plan {
  std::uint64_t file_size;
  std::vector<std::uint64_t> blocks;
  std::vector<unsigned> depths;
  std::vector<bool> direct;  // false: page cache warm; true: O_DIRECT
  int repetitions;
};

Plan plan_for(const runner::Config& config) {
  Plan p;
  switch (config.profile) {
    case runner::Profile::quick:
      p = {32 * MiB, {4 * KiB, 1 * MiB}, {16}, {false, true}, 5};
      break;
    case runner::Profile::standard:
      p = {100 * MiB, {4 * KiB, 64 * KiB, 1 * MiB}, {1, 16}, {false, true}, 5};
      break;
    case runner::Profile::full:
      p = {100 * MiB, {4 * KiB, 64 * KiB, 1 * MiB}, {1, 16, 64}, {false, true}, 10};
      break;
  }
  if (config.file_size) p.file_size = *config.file_size;
  p.repetitions = config.repetitions_or(p.repetitions);
  return p;
}

// A slow disk at 4K, depth 1, O_DIRECT is the worst case; this only guards against a hang.
constexpr std::chrono::seconds kBound{300};

Measurement read_file(const runner::Config& config, const runner::Backend& backend, std::uint64_t size,
                      std::uint64_t block, unsigned depth, bool direct) {
  const DataFile& data = data_file(config.data_dir, size);
  if (!direct) warm_page_cache(data.path);
  std::vector<std::string> args{"file-read", "--path", data.path.string(), "--block", std::to_string(block),
                                "--depth", std::to_string(depth)};
  if (direct) args.push_back("--direct");
  auto line = runner::run_backend_command(backend, args, kBound);

  auto bytes = line.unsigned_integer("bytes");
  auto checksum = line.string("checksum");
  auto elapsed = line.integer("elapsed_ns");
  if (!bytes || !checksum || !elapsed || *elapsed <= 0) {
    throw runner::failed(backend.name, "file-read line lacks bytes, checksum or elapsed_ns");
  }
  if (*bytes != data.size) {
    throw runner::RunError("failed: " + backend.name + " returned wrong data: " + std::to_string(*bytes) +
                           " bytes, expected " + std::to_string(data.size));
  }
  if (*checksum != checksum_hex(data.checksum)) {
    throw runner::RunError("failed: " + backend.name + " returned wrong data: checksum " + *checksum + " expected " +
                           checksum_hex(data.checksum));
  }
  const std::int64_t syscalls = line.integer("syscalls").value_or(-1);
  const double blocks = double((data.size + block - 1) / block);
  Measurement m;
  m.elapsed_ns = *elapsed;
  m.counter("bytes", double(*bytes))
      .counter("bytes_per_second", double(*bytes) / (double(*elapsed) / 1e9))
      .counter("syscalls", double(syscalls))
      .counter("syscalls_per_op", syscalls >= 0 && blocks > 0 ? double(syscalls) / blocks : -1)
      .counter("depth", double(line.integer("depth").value_or(depth)))
      .counter("errors", 0);
  // A backend that counts its own io_uring_enter calls (ringcore) puts them in its line.
  if (auto enters = line.integer("enters"); enters && blocks > 0) m.counter("enters_per_op", double(*enters) / blocks);
  return m;
}

class FileRead final : public Workload {
 public:
  std::string_view name() const override { return "file_read"; }
  std::string_view summary() const override {
    return "read the data file end to end: blocks 4K/64K/1M, page cache warm or O_DIRECT, reads in flight";
  }
  std::vector<Variant> variants(const runner::Config& config) const override {
    Plan plan = plan_for(config);
    std::vector<Variant> out;
    for (std::uint64_t block : plan.blocks) {
      for (unsigned depth : plan.depths) {
        for (bool direct : plan.direct) {
          Variant v;
          v.params = {{"block", std::to_string(block)},
                      {"depth", std::to_string(depth)},
                      {"cache", direct ? "direct" : "warm"}};
          v.repetitions = plan.repetitions;
          std::uint64_t size = plan.file_size;
          v.run = [&config, size, block, depth, direct](const runner::Backend& backend) {
            return read_file(config, backend, size, block, depth, direct);
          };
          out.push_back(std::move(v));
        }
      }
    }
    return out;
  }
};

const Registrar<FileRead> registrar;

}  // namespace
}  // namespace workloads
