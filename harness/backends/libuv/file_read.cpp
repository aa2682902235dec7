// file-read: uv_fs_open, uv_fs_fstat, then `depth` uv_fs_read requests at explicit offsets kept in
// flight, each with its own uv_fs_t and buffer. libuv runs them on its threadpool (pread in a
// worker, the callback on the loop thread), which is how libuv 1.44 does file I/O.
//
// The threadpool keeps libuv's default of 4 threads (UV_THREADPOOL_SIZE, read once at first use,
// still honoured if the runner sets it). That is what libuv ships and what its users run; with 2
// CPUs more workers add context switches for warm reads, and a deeper --depth simply queues in the
// pool. So "depth" here is requests handed to libuv; at most 4 preads run at once.
#include <fcntl.h>
#include <uv.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "aligned_buffer.hpp"
#include "bench/backend.hpp"
#include "bench/checksum.hpp"
#include "commands.hpp"
#include "uv_error.hpp"

namespace libuv_backend {
namespace {

constexpr const char* kDirectUnsupported = "O_DIRECT not supported on this filesystem";

class FileRead {
 public:
  explicit FileRead(const bench::FileReadOptions& options) : options_(options), slots_(options.depth) {}
  FileRead(const FileRead&) = delete;
  FileRead& operator=(const FileRead&) = delete;

  int run();

 private:
  // One read in flight: its request, its buffer, and the part of the file it is reading.
  struct Slot {
    uv_fs_t req;
    AlignedBuffer buffer;
    std::uint64_t offset = 0;
    std::size_t length = 0;  // bytes the file holds from offset within this block
    FileRead* owner = nullptr;
  };

  static void on_open(uv_fs_t* req);
  static void on_stat(uv_fs_t* req);
  static void on_read(uv_fs_t* req);

  void read_into(Slot& slot, std::uint64_t offset, std::size_t length);
  void read_next_block(Slot& slot);
  void fail_with(int uv_error, const char* what, bool aligned_offset);
  void finish_if_done();

  bench::FileReadOptions options_;
  std::vector<Slot> slots_;
  uv_loop_t loop_{};
  uv_fs_t open_req_{};
  uv_fs_t stat_req_{};
  uv_file file_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t next_offset_ = 0;
  unsigned in_flight_ = 0;
  std::uint64_t bytes_ = 0;
  bench::Checksum checksum_;
  std::optional<bench::FileMeter> meter_;
  std::optional<bench::JsonLine> result_line_;
  int exit_code_ = bench::kExitOk;
  bool failed_ = false;
};

int FileRead::run() {
  uv_loop_init(&loop_);
  for (Slot& slot : slots_) {
    slot.buffer = make_aligned_buffer(options_.block);
    slot.req.data = &slot;
    slot.owner = this;
  }
  open_req_.data = stat_req_.data = this;
  int flags = O_RDONLY | (options_.direct ? O_DIRECT : 0);

  meter_.emplace();  // the timed region starts just before open()
  int rc = uv_fs_open(&loop_, &open_req_, options_.path.c_str(), flags, 0, on_open);
  if (rc == 0) uv_run(&loop_, UV_RUN_DEFAULT);  // until the last read's callback
  else fail_with(rc, "open", true);

  if (file_ >= 0) {
    uv_fs_t close_req;
    uv_fs_close(&loop_, &close_req, file_, nullptr);  // after the timed region; synchronous is fine
    uv_fs_req_cleanup(&close_req);
  }
  uv_loop_close(&loop_);
  if (result_line_) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016" PRIx64, checksum_.value());
    result_line_->add("checksum", hex).add("block", std::uint64_t(options_.block)).add("depth", options_.depth).print();
  }
  return exit_code_;
}

void FileRead::on_open(uv_fs_t* req) {
  auto* self = static_cast<FileRead*>(req->data);
  auto result = req->result;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "open", true);
  self->file_ = uv_file(result);
  int rc = uv_fs_fstat(&self->loop_, &self->stat_req_, self->file_, on_stat);
  if (rc != 0) self->fail_with(rc, "fstat", true);
}

void FileRead::on_stat(uv_fs_t* req) {
  auto* self = static_cast<FileRead*>(req->data);
  auto result = req->result;
  self->size_ = req->statbuf.st_size;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "fstat", true);
  // Knowing the size, no read is spent past the end, and an O_DIRECT tail is never re-read at
  // an unaligned offset.
  for (Slot& slot : self->slots_) self->read_next_block(slot);
  self->finish_if_done();  // an empty file
}

void FileRead::read_next_block(Slot& slot) {
  if (failed_ || next_offset_ >= size_) return;
  std::uint64_t offset = next_offset_;
  std::size_t length = std::size_t(std::min<std::uint64_t>(options_.block, size_ - offset));
  next_offset_ += length;
  read_into(slot, offset, length);
}

void FileRead::read_into(Slot& slot, std::uint64_t offset, std::size_t length) {
  slot.offset = offset;
  slot.length = length;
  // O_DIRECT wants whole sectors: ask for the block rounded up; the read stops at end of file.
  std::size_t ask = options_.direct ? (length + kDirectAlignment - 1) / kDirectAlignment * kDirectAlignment : length;
  uv_buf_t buf = uv_buf_init(slot.buffer.get(), unsigned(ask));
  int rc = uv_fs_read(&loop_, &slot.req, file_, &buf, 1, std::int64_t(offset), on_read);
  if (rc != 0) return fail_with(rc, "read", offset % kDirectAlignment == 0);
  ++in_flight_;
}

void FileRead::on_read(uv_fs_t* req) {
  auto* slot = static_cast<Slot*>(req->data);
  FileRead* self = slot->owner;
  auto result = req->result;
  uv_fs_req_cleanup(req);
  --self->in_flight_;
  if (result < 0) {
    self->fail_with(int(result), "read", slot->offset % kDirectAlignment == 0);
  } else if (result > 0 && !self->failed_) {
    std::size_t n = std::min(std::size_t(result), slot->length);
    self->checksum_.add(slot->offset, slot->buffer.get(), n);
    self->bytes_ += n;
    if (n < slot->length)
      self->read_into(*slot, slot->offset + n, slot->length - n);  // a short read: the rest of this block
    else
      self->read_next_block(*slot);
  } else if (result == 0) {
    self->next_offset_ = self->size_;  // the file shrank since fstat: stop; the checksum will say so
  }
  self->finish_if_done();
}

void FileRead::fail_with(int uv_error, const char* what, bool aligned_offset) {
  if (failed_) return;
  failed_ = true;
  // Reads already in flight still complete (their buffers stay alive until uv_run returns).
  if (options_.direct && uv_error == UV_EINVAL && aligned_offset)
    exit_code_ = bench::skip(kDirectUnsupported);
  else
    exit_code_ = bench::fail(uv_failure(what, options_.path, uv_error));
}

void FileRead::finish_if_done() {
  if (in_flight_ != 0 || failed_ || result_line_) return;
  if (next_offset_ < size_) return;
  result_line_ = meter_->finish("file-read", bytes_);  // the last byte is checksummed: time stops
}

}  // namespace

int file_read(const bench::FileReadOptions& options) {
  try {
    FileRead command(options);
    return command.run();
  } catch (const std::bad_alloc&) {  // the buffers are allocated before the timed region starts
    return bench::fail("cannot allocate " + std::to_string(options.depth) + " buffers of " +
                       std::to_string(options.block) + " bytes");
  }
}

}  // namespace libuv_backend
