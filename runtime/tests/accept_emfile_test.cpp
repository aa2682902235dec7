// Proves EMFILE on accept leaves the server alive: with its descriptor limit lowered (in a child
// process), clients beyond the limit wait in the backlog, and are served once descriptors free up.
#include <sys/wait.h>

#include "net_support.hpp"

using namespace ringcore;
using namespace ringcore::testing;

namespace {

constexpr int kLimit = 32;    // the server child's RLIMIT_NOFILE
constexpr int kClients = 60;  // more than it can hold at once

TEST(AcceptEmfile, ServerKeepsServingAndResumesAcceptingWhenDescriptorsFree) {
  auto listener = TcpListener::bind("127.0.0.1", 0);
  ASSERT_TRUE(listener.has_value());
  int report[2];
  ASSERT_EQ(::pipe(report), 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(report[0]);
    rlimit rl{kLimit, kLimit};
    ::setrlimit(RLIMIT_NOFILE, &rl);
    ::alarm(120);  // hang guard: the child never outlives a stuck test
    EchoStats stats;
    try {
      SignalSet stop{SIGTERM};
      Runtime rt;
      rt.run([&]() -> task<void> {
        spawn(echo_server(*listener, stats));
        co_await stop.wait();
      }());
    } catch (...) {
      ::_exit(3);
    }
    std::string line = std::to_string(stats.accept_errors) + " " + std::to_string(stats.connections);
    if (::write(report[1], line.data(), line.size()) < 0) ::_exit(4);
    ::_exit(0);
  }
  ::close(report[1]);
  ASSERT_GT(child, 0);

  // Phase 1: open many connections; the server hits EMFILE after ~kLimit of them.
  std::vector<int> clients;
  for (int i = 0; i < kClients; ++i) {
    int fd = blocking_connect(listener->local_address());
    ASSERT_GE(fd, 0) << "connect " << i;
    clients.push_back(fd);
  }
  // The first ones are served right away.
  for (int i = 0; i < 5; ++i) {
    std::string msg = "early " + std::to_string(i);
    ASSERT_TRUE(send_all(clients[i], msg));
    EXPECT_EQ(recv_exact(clients[i], msg.size()), msg) << "client " << i;
  }
  // Phase 2: free descriptors on the server by closing the first half of the clients.
  for (int i = 0; i < kClients / 2; ++i) ::close(clients[i]);
  // Phase 3: every remaining client, including those that waited in the backlog, gets its echo.
  // Each closes once served, so the server, still short of descriptors, can take the next.
  int served = 0;
  for (int i = kClients / 2; i < kClients; ++i) {
    std::string msg = "late " + std::to_string(i);
    if (send_all(clients[i], msg) && recv_exact(clients[i], msg.size()) == msg) ++served;
    ::close(clients[i]);
  }
  EXPECT_EQ(served, kClients - kClients / 2) << "the server stopped accepting after EMFILE";

  // The server is still alive (not crashed by EMFILE); end it and read what it saw.
  int status = 0;
  EXPECT_EQ(::waitpid(child, &status, WNOHANG), 0) << "the server process exited";
  ::kill(child, SIGTERM);
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  char buf[64] = {};
  ssize_t n = ::read(report[0], buf, sizeof buf - 1);
  ::close(report[0]);
  ASSERT_GT(n, 0);
  unsigned long accept_errors = 0, connections = 0;
  std::sscanf(buf, "%lu %lu", &accept_errors, &connections);
  EXPECT_GT(accept_errors, 0u) << "the server never hit EMFILE: the test did not test anything";
  EXPECT_EQ(connections, unsigned(kClients));
}

}  // namespace
