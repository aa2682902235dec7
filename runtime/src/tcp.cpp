#include "ringcore/tcp.hpp"

#include <netinet/tcp.h>
#include <unistd.h>

#include <utility>

#include "ringcore/detail/current.hpp"
#include "ringcore/ops/connect.hpp"
#include "ringcore/ops/socket.hpp"
#include "ringcore/runtime.hpp"

namespace ringcore {

TcpStream::TcpStream(TcpStream&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), fixed_(o.fixed_), poll_first_(o.poll_first_) {}

TcpStream& TcpStream::operator=(TcpStream&& o) noexcept {
  if (this != &o) {
    TcpStream dying(std::move(*this));
    fd_ = std::exchange(o.fd_, -1);
    fixed_ = o.fixed_;
    poll_first_ = o.poll_first_;
  }
  return *this;
}

TcpStream::~TcpStream() {
  if (fd_ < 0) return;
  if (!fixed_) {
    ::close(fd_);
    return;
  }
  // A registered file has no plain descriptor: release its slot through the ring, without waiting.
  if (detail::tl_ring != nullptr && !Runtime::current().shutting_down()) {
    io_uring_sqe* sqe = detail::tl_ring->get_sqe();
    io_uring_prep_close_direct(sqe, unsigned(fd_));
    io_uring_sqe_set_data64(sqe, detail::kIgnoredUserData);
  }
}

task<Result<TcpStream>> TcpStream::connect(SocketAddress address) {
  Result<int> fd = co_await ringcore::socket(address.family(), SOCK_STREAM, 0);
  if (!fd) co_return fd.error();
  TcpStream stream(*fd);
  Result<void> c = co_await ringcore::connect(*fd, address.get(), address.size());
  if (!c) co_return c.error();
  co_return std::move(stream);
}

task<Result<void>> TcpStream::read_exact(void* buf, std::size_t len) {
  auto* p = static_cast<char*>(buf);
  while (len > 0) {
    Result<std::size_t> n = co_await read(p, len);
    if (!n) co_return n.error();
    if (*n == 0) co_return std::make_error_code(std::errc::connection_aborted);
    p += *n;
    len -= *n;
  }
  co_return Result<void>();
}

task<Result<void>> TcpStream::close() {
  if (fd_ < 0) co_return errno_code(EBADF);
  int fd = std::exchange(fd_, -1);
  if (fixed_) co_return co_await ringcore::close_direct(unsigned(fd));
  co_return co_await ringcore::close(fd);
}

Result<void> TcpStream::set_nodelay(bool on) {
  int v = on ? 1 : 0;
  if (fixed_) return errno_code(EBADF);
  if (::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) != 0) return errno_code(errno);
  return {};
}

TcpListener::TcpListener(TcpListener&& o) noexcept : fd_(std::exchange(o.fd_, -1)), address_(o.address_) {}

TcpListener& TcpListener::operator=(TcpListener&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(o.fd_, -1);
    address_ = o.address_;
  }
  return *this;
}

TcpListener::~TcpListener() {
  if (fd_ >= 0) ::close(fd_);
}

Result<TcpListener> TcpListener::bind(std::string_view ip, std::uint16_t port, int backlog) {
  Result<SocketAddress> a = SocketAddress::parse(ip, port);
  if (!a) return a.error();
  return bind(*a, backlog);
}

Result<TcpListener> TcpListener::bind(const SocketAddress& address, int backlog) {
  TcpListener l;
  l.fd_ = ::socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l.fd_ < 0) return errno_code(errno);
  int one = 1;
  ::setsockopt(l.fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (address.family() == AF_INET6) ::setsockopt(l.fd_, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (::bind(l.fd_, address.get(), address.size()) != 0) return errno_code(errno);
  if (::listen(l.fd_, backlog) != 0) return errno_code(errno);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  ::getsockname(l.fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  l.address_ = SocketAddress::from_sockaddr(reinterpret_cast<sockaddr*>(&bound), len);
  return l;
}

}  // namespace ringcore
