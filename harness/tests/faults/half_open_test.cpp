// Proves half_open_connections() (proc_stats.hpp) counts exactly the connections no server can see
// end: ESTABLISHED, idle, with no client socket left on the machine. The client vanishes without a
// FIN or RST through TCP_REPAIR (close() of a socket in repair mode sends nothing; needs
// CAP_NET_ADMIN, so without it the test is skipped). Runs in this process, against no backend.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "bench/listener.hpp"
#include "bench/unique_fd.hpp"
#include "proc_stats.hpp"

namespace faults {
namespace {

// One accepted connection on a listener of this process.
struct Pair {
  bench::UniqueFd client, server;
};

Pair connect_pair(const bench::Listener& listener) {
  Pair pair;
  pair.client = bench::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(listener.port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(pair.client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  pair.server = bench::UniqueFd(::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC));
  EXPECT_TRUE(pair.server) << std::strerror(errno);
  return pair;
}

// Closes the client's socket without telling the peer: false when repair mode is not permitted.
bool vanish(bench::UniqueFd& client) {
  int on = 1;
  if (::setsockopt(client.get(), IPPROTO_TCP, TCP_REPAIR, &on, sizeof on) != 0) return false;
  client.close();
  return true;
}

// The count settles once the kernel has processed what the last step sent; bounded.
int half_open_after_settling(std::uint16_t port, int expected) {
  int n = half_open_connections(::getpid(), port);
  for (int i = 0; i < 200 && n != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    n = half_open_connections(::getpid(), port);
  }
  return n;
}

TEST(HalfOpenConnections, OnlyEstablishedIdleWithTheClientGone) {
  bench::Listener listener;
  std::string error;
  ASSERT_TRUE(bench::open_listener("127.0.0.1", 0, listener, error)) << error;
  bench::UniqueFd listen_fd(listener.fd);

  Pair live = connect_pair(listener);
  EXPECT_EQ(half_open_connections(::getpid(), listener.port), 0) << "the client is still there";

  Pair vanished = connect_pair(listener);
  if (!vanish(vanished.client)) GTEST_SKIP() << "TCP_REPAIR needs CAP_NET_ADMIN: " << std::strerror(errno);
  EXPECT_EQ(half_open_after_settling(listener.port, 1), 1) << "the vanished client's connection";

  Pair closed = connect_pair(listener);
  closed.client.close();  // a FIN: the server's socket goes to CLOSE_WAIT, which its server must notice
  EXPECT_EQ(half_open_after_settling(listener.port, 1), 1) << "CLOSE_WAIT is not half-open";

  Pair unread = connect_pair(listener);
  ASSERT_EQ(::send(unread.client.get(), "abc", 3, 0), 3);
  ASSERT_TRUE(vanish(unread.client));
  EXPECT_EQ(half_open_after_settling(listener.port, 1), 1) << "bytes the server never read are not idle";

  vanished.server.close();
  EXPECT_EQ(half_open_connections(::getpid(), listener.port), 0) << "closed by the server";
}

}  // namespace
}  // namespace faults
