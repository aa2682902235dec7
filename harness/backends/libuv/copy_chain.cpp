// copy-chain: a chain of threadpool requests, one after the other: uv_fs_read of a chunk, and in
// its callback uv_fs_write of exactly the bytes read (at the same offset), then the next chunk.
#include <fcntl.h>
#include <uv.h>

#include <cstdint>
#include <new>
#include <optional>
#include <string>

#include "aligned_buffer.hpp"
#include "bench/backend.hpp"
#include "commands.hpp"
#include "uv_error.hpp"

namespace libuv_backend {
namespace {

class CopyChain {
 public:
  explicit CopyChain(const bench::CopyChainOptions& options)
      : options_(options), buffer_(make_aligned_buffer(options.chunk)) {}
  CopyChain(const CopyChain&) = delete;
  CopyChain& operator=(const CopyChain&) = delete;

  int run();

 private:
  static void on_source_open(uv_fs_t* req);
  static void on_destination_open(uv_fs_t* req);
  static void on_read(uv_fs_t* req);
  static void on_write(uv_fs_t* req);
  static CopyChain* from(uv_fs_t* req) { return static_cast<CopyChain*>(req->data); }

  void read_chunk();
  void write_rest();
  void fail_with(int uv_error, const char* what, const std::string& path);

  bench::CopyChainOptions options_;
  AlignedBuffer buffer_;
  uv_loop_t loop_{};
  uv_fs_t open_req_{};
  uv_fs_t read_req_{};
  uv_fs_t write_req_{};
  uv_file source_ = -1;
  uv_file destination_ = -1;
  std::uint64_t offset_ = 0;       // where the current chunk starts, in both files
  std::size_t chunk_length_ = 0;   // bytes the current chunk's read returned
  std::size_t chunk_written_ = 0;  // of those, bytes written so far
  std::uint64_t chunks_ = 0;
  std::optional<bench::FileMeter> meter_;
  std::optional<bench::JsonLine> result_line_;
  int exit_code_ = bench::kExitOk;
};

int CopyChain::run() {
  uv_loop_init(&loop_);
  open_req_.data = read_req_.data = write_req_.data = this;
  meter_.emplace();
  uv_fs_open(&loop_, &open_req_, options_.src.c_str(), O_RDONLY, 0, on_source_open);
  uv_run(&loop_, UV_RUN_DEFAULT);  // until the chain ends: end of file or an error

  for (uv_file f : {source_, destination_}) {
    if (f < 0) continue;
    uv_fs_t close_req;
    uv_fs_close(&loop_, &close_req, f, nullptr);  // after the timed region; synchronous is fine
    uv_fs_req_cleanup(&close_req);
  }
  uv_loop_close(&loop_);
  if (result_line_) result_line_->add("chunks", chunks_).add("chunk", std::uint64_t(options_.chunk)).print();
  return exit_code_;
}

void CopyChain::on_source_open(uv_fs_t* req) {
  CopyChain* self = from(req);
  auto result = req->result;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "open", self->options_.src);
  self->source_ = uv_file(result);
  uv_fs_open(&self->loop_, &self->open_req_, self->options_.dst.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644,
             on_destination_open);
}

void CopyChain::on_destination_open(uv_fs_t* req) {
  CopyChain* self = from(req);
  auto result = req->result;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "open", self->options_.dst);
  self->destination_ = uv_file(result);
  self->read_chunk();
}

void CopyChain::read_chunk() {
  uv_buf_t buf = uv_buf_init(buffer_.get(), unsigned(options_.chunk));
  uv_fs_read(&loop_, &read_req_, source_, &buf, 1, std::int64_t(offset_), on_read);
}

void CopyChain::on_read(uv_fs_t* req) {
  CopyChain* self = from(req);
  auto result = req->result;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "read", self->options_.src);
  if (result == 0) {
    self->result_line_ = self->meter_->finish("copy-chain", self->offset_);  // the last chunk is written
    return;
  }
  self->chunk_length_ = std::size_t(result);  // a short read is a short chunk, written as such
  self->chunk_written_ = 0;
  self->write_rest();
}

void CopyChain::write_rest() {
  uv_buf_t buf = uv_buf_init(buffer_.get() + chunk_written_, unsigned(chunk_length_ - chunk_written_));
  uv_fs_write(&loop_, &write_req_, destination_, &buf, 1, std::int64_t(offset_ + chunk_written_), on_write);
}

void CopyChain::on_write(uv_fs_t* req) {
  CopyChain* self = from(req);
  auto result = req->result;
  uv_fs_req_cleanup(req);
  if (result < 0) return self->fail_with(int(result), "write", self->options_.dst);
  if (result == 0) return self->fail_with(UV_EIO, "write (no progress)", self->options_.dst);
  self->chunk_written_ += std::size_t(result);
  if (self->chunk_written_ < self->chunk_length_) return self->write_rest();  // a short write
  self->offset_ += self->chunk_length_;
  ++self->chunks_;
  self->read_chunk();
}

void CopyChain::fail_with(int uv_error, const char* what, const std::string& path) {
  exit_code_ = bench::fail(uv_failure(what, path, uv_error));
}

}  // namespace

int copy_chain(const bench::CopyChainOptions& options) {
  try {
    CopyChain command(options);
    return command.run();
  } catch (const std::bad_alloc&) {
    return bench::fail("cannot allocate a buffer of " + std::to_string(options.chunk) + " bytes");
  }
}

}  // namespace libuv_backend
