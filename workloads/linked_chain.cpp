// linked_chain: a backend copies the data file chunk by chunk, each chunk a read then a write of
// exactly the bytes read (`copy-chain`: where io_uring links a read to its write). The runner checks
// the copy against the source's checksum before it reports. Names: linked_chain/<backend>/chunk:<bytes>.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "data_file.hpp"
#include "runner/backend_command.hpp"
#include "runner/outcome.hpp"
#include "workload.hpp"

namespace workloads {
namespace {

constexpr std::uint64_t KiB = 1024, MiB = 1024 * KiB;

struct Plan {
  std::uint64_t file_size;
  std::vector<std::uint64_t> chunks;
  int repetitions;
};

Plan plan_for(const runner::Config& config) {
  Plan p;
  switch (config.profile) {
    case runner::Profile::quick: p = {32 * MiB, {64 * KiB}, 5}; break;
    case runner::Profile::standard: p = {100 * MiB, {64 * KiB}, 5}; break;
    case runner::Profile::full: p = {100 * MiB, {4 * KiB, 64 * KiB}, 10}; break;
  }
  if (config.file_size) p.file_size = *config.file_size;
  p.repetitions = config.repetitions_or(p.repetitions);
  return p;
}

constexpr std::chrono::seconds kBound{300};

// Removes the copy whatever happens: 100 MiB per backend would pile up in the data dir.
struct RemoveOnExit {
  std::filesystem::path path;
  ~RemoveOnExit() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

Measurement copy_file(const runner::Config& config, const runner::Backend& backend, std::uint64_t size,
                      std::uint64_t chunk) {
  const DataFile& data = data_file(config.data_dir, size);
  // Every backend starts from a cached source, so the copy measures the chain, not the disk's reads.
  warm_page_cache(data.path);
  RemoveOnExit copy{config.data_dir / ("copy-" + backend.name + ".bin")};
  std::filesystem::remove(copy.path);
  auto line = runner::run_backend_command(
      backend, {"copy-chain", "--src", data.path.string(), "--dst", copy.path.string(), "--chunk", std::to_string(chunk)},
      kBound);

  auto elapsed = line.integer("elapsed_ns");
  if (!elapsed || *elapsed <= 0) throw runner::failed(backend.name, "copy-chain line lacks elapsed_ns");
  FileSum written = checksum_file(copy.path);
  if (written.bytes != data.size || written.checksum != data.checksum) {
    throw runner::RunError("failed: " + backend.name + " wrote a wrong copy: " + std::to_string(written.bytes) +
                           " bytes, checksum " + checksum_hex(written.checksum) + " expected " +
                           std::to_string(data.size) + " bytes, checksum " + checksum_hex(data.checksum));
  }
  const std::int64_t syscalls = line.integer("syscalls").value_or(-1);
  const double chunks = double(line.integer("chunks").value_or(std::int64_t((data.size + chunk - 1) / chunk)));
  Measurement m;
  m.elapsed_ns = *elapsed;
  m.counter("bytes", double(data.size))
      .counter("bytes_per_second", double(data.size) / (double(*elapsed) / 1e9))
      .counter("syscalls", double(syscalls))
      .counter("syscalls_per_op", syscalls >= 0 && chunks > 0 ? double(syscalls) / chunks : -1)
      .counter("errors", 0);
  // A backend that counts its own io_uring_enter calls (ringcore) puts them in its line.
  if (auto enters = line.integer("enters"); enters && chunks > 0) m.counter("enters_per_op", double(*enters) / chunks);
  return m;
}

class LinkedChain final : public Workload {
 public:
  std::string_view name() const override { return "linked_chain"; }
  std::string_view summary() const override { return "copy the data file chunk by chunk, each chunk a read then its write"; }
  std::vector<Variant> variants(const runner::Config& config) const override {
    Plan plan = plan_for(config);
    std::vector<Variant> out;
    for (std::uint64_t chunk : plan.chunks) {
      Variant v;
      v.params = {{"chunk", std::to_string(chunk)}};
      v.repetitions = plan.repetitions;
      std::uint64_t size = plan.file_size;
      v.run = [&config, size, chunk](const runner::Backend& backend) { return copy_file(config, backend, size, chunk); };
      out.push_back(std::move(v));
    }
    return out;
  }
};

const Registrar<LinkedChain> registrar;

}  // namespace
}  // namespace workloads
