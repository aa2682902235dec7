#include "ringcore/buffer_ring.hpp"

#include <sys/mman.h>

#include "ringcore/ring.hpp"

namespace ringcore {

Result<std::unique_ptr<BufferRing>> BufferRing::create(Ring& ring, std::uint16_t group, unsigned count,
                                                       unsigned size) {
  if (count == 0 || (count & (count - 1)) != 0 || count > 32768 || size == 0) return errno_code(EINVAL);
  std::unique_ptr<BufferRing> br(new BufferRing(ring, group, count, size));
  if (br->br_ == nullptr || br->data_ == nullptr) return errno_code(ENOMEM);
  int r = ring.register_buffer_ring(br->br_, count, group);
  if (r < 0) return errno_code(-r);
  br->registered_ = true;
  io_uring_buf_ring_init(br->br_);
  const int mask = io_uring_buf_ring_mask(count);
  for (unsigned i = 0; i < count; ++i) io_uring_buf_ring_add(br->br_, br->buffer(std::uint16_t(i)), size, std::uint16_t(i), mask, int(i));
  io_uring_buf_ring_advance(br->br_, int(count));
  return br;
}

BufferRing::BufferRing(Ring& ring, std::uint16_t group, unsigned count, unsigned size)
    : ring_(ring), group_(group), count_(count), size_(size) {
  // The ring of buffer descriptors must be page-aligned memory the kernel maps too.
  br_bytes_ = count * sizeof(io_uring_buf);
  void* p = ::mmap(nullptr, br_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  br_ = p == MAP_FAILED ? nullptr : static_cast<io_uring_buf_ring*>(p);
  data_bytes_ = std::size_t(count) * size;
  void* d = ::mmap(nullptr, data_bytes_, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  data_ = d == MAP_FAILED ? nullptr : static_cast<char*>(d);
}

BufferRing::~BufferRing() {
  if (registered_) ring_.unregister_buffer_ring(group_);
  if (br_) ::munmap(br_, br_bytes_);
  if (data_) ::munmap(data_, data_bytes_);
}

void BufferRing::recycle(std::uint16_t id) {
  io_uring_buf_ring_add(br_, buffer(id), size_, id, io_uring_buf_ring_mask(count_), 0);
  io_uring_buf_ring_advance(br_, 1);
  --in_use_;
}

BufferRing::Buffer& BufferRing::Buffer::operator=(Buffer&& o) noexcept {
  if (this != &o) {
    reset();
    owner_ = o.owner_;
    id_ = o.id_;
    len_ = o.len_;
    o.owner_ = nullptr;
  }
  return *this;
}

void BufferRing::Buffer::reset() {
  if (owner_) owner_->recycle(id_);
  owner_ = nullptr;
}

Result<BufferRing::Buffer> BufferRing::RecvOp::result() const {
  // A buffer the kernel picked must go back even if the result is 0 (end of stream) or an error.
  if (cqe_flags & IORING_CQE_F_BUFFER) {
    ++ring_.in_use_;
    Buffer b(&ring_, std::uint16_t(cqe_flags >> IORING_CQE_BUFFER_SHIFT), res > 0 ? std::size_t(res) : 0);
    if (res < 0) return errno_code(-res);
    return b;
  }
  if (res < 0) return errno_code(-res);
  return Buffer();  // res == 0 without a buffer: end of stream
}

}  // namespace ringcore
