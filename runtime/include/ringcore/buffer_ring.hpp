// BufferRing: a provided-buffer ring (IORING_REGISTER_PBUF_RING). Instead of every pending recv
// pinning its own buffer, the kernel picks a free buffer from the ring when data actually arrives:
// 10,000 idle connections need no 10,000 buffers. A received Buffer goes back to the ring when
// the Buffer object is destroyed.
//
// liburing 2.3 has no io_uring_setup_buf_ring: we map page-aligned memory ourselves and register it
// with io_uring_register_buf_ring.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "ringcore/detail/op.hpp"
#include "ringcore/result.hpp"

namespace ringcore {

class BufferRing {
 public:
  // Prefer Runtime::make_buffer_ring: a BufferRing must outlive every request that may pick one of
  // its buffers, which the runtime guarantees and a local variable may not.
  // `count` buffers (a power of two, ≤ 32768) of `size` bytes as buffer group `group`.
  // ENOSYS/EINVAL from the kernel when it lacks provided-buffer rings.
  static Result<std::unique_ptr<BufferRing>> create(Ring& ring, std::uint16_t group, unsigned count, unsigned size);
  ~BufferRing();
  BufferRing(const BufferRing&) = delete;
  BufferRing& operator=(const BufferRing&) = delete;

  // Received bytes in one of the ring's buffers; returned to the ring on destruction.
  class Buffer {
   public:
    Buffer() = default;
    Buffer(BufferRing* owner, std::uint16_t id, std::size_t len) : owner_(owner), id_(id), len_(len) {}
    Buffer(Buffer&& o) noexcept : owner_(o.owner_), id_(o.id_), len_(o.len_) { o.owner_ = nullptr; }
    Buffer& operator=(Buffer&& o) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    ~Buffer() { reset(); }
    const char* data() const { return owner_ ? owner_->buffer(id_) : nullptr; }
    std::size_t size() const { return len_; }
    std::uint16_t id() const { return id_; }
    void reset();

   private:
    BufferRing* owner_ = nullptr;
    std::uint16_t id_ = 0;
    std::size_t len_ = 0;
  };

  // RecvSelectOp — io_uring_prep_recv with IOSQE_BUFFER_SELECT: receive into a buffer the kernel
  // picks from this ring. ENOBUFS when all buffers are in use.
  class RecvOp : public detail::Op<RecvOp> {
   public:
    RecvOp(BufferRing& ring, int fd, bool fixed_file) : ring_(ring), fd_(fd) {
      sqe_flags_ |= IOSQE_BUFFER_SELECT | (fixed_file ? IOSQE_FIXED_FILE : 0);
    }
    void prep(io_uring_sqe* sqe) {
      io_uring_prep_recv(sqe, fd_, nullptr, ring_.size_, 0);
      sqe->buf_group = ring_.group_;
    }
    Result<Buffer> result() const;

   private:
    BufferRing& ring_;
    int fd_;
  };

  RecvOp recv(int fd, bool fixed_file = false) { return RecvOp(*this, fd, fixed_file); }

  unsigned count() const { return count_; }
  unsigned buffer_size() const { return size_; }
  std::uint16_t group() const { return group_; }
  // Buffers currently handed out to the application.
  unsigned in_use() const { return in_use_; }
  // Gives buffer `id` back to the kernel (a Buffer does this when destroyed).
  void recycle(std::uint16_t id);
  // For ops that receive into this ring: wrap buffer `id` holding `len` bytes, or give back one the
  // application never saw.
  Buffer adopt(std::uint16_t id, std::size_t len) {
    ++in_use_;
    return Buffer(this, id, len);
  }
  void recycle_unused(std::uint16_t id) {
    ++in_use_;
    recycle(id);
  }

 private:
  BufferRing(Ring& ring, std::uint16_t group, unsigned count, unsigned size);
  char* buffer(std::uint16_t id) const { return data_ + std::size_t(id) * size_; }

  Ring& ring_;
  std::uint16_t group_;
  unsigned count_, size_;
  io_uring_buf_ring* br_ = nullptr;
  std::size_t br_bytes_ = 0;
  char* data_ = nullptr;
  std::size_t data_bytes_ = 0;
  unsigned in_use_ = 0;
  bool registered_ = false;
};

}  // namespace ringcore
