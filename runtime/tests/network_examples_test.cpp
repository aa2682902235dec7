// Proves the network examples serve exactly what their --help promises, refuse what they must, and end cleanly.
//
// In detail: echo round-trips bytes exactly (plain, and linked with --message-size, short tail
// included); http_server answers exactly proto::HttpSession's bytes (keep-alive, pipelined, close,
// 400/431/414 then close) in each accept/receive mode, backs off on EMFILE and serves everyone once
// descriptors free up; file_server serves files exactly and refuses every path out of its root (its
// path function is unit-tested and fuzzed too); concurrent_downloads sends 100 requests in one
// io_uring_enter; sqpoll runs with SQPOLL (or says clearly why not); multishot_accept takes N
// connections with 1 SQE; every server ends with exit 0 and its summary on SIGTERM/SIGINT; bad
// flags exit 2 and a taken port exits 1 with a clear message.
#include <gmock/gmock.h>

// The examples' paths, the protocol library and file_server_path.cpp come from tests/CMakeLists.txt;
// until it wires them in, this file builds to one visible skip instead of breaking the build.
#if !defined(RINGCORE_EXAMPLE_ECHO)
TEST(NetworkExamples, NotWiredIntoTheBuild) {
  GTEST_SKIP() << "tests/CMakeLists.txt does not yet pass the network examples to network_examples_test";
}
#else

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "file_server_path.hpp"
#include "net_support.hpp"
#include "protocol/http.hpp"
#include "run_process.hpp"

using namespace ringcore;
using namespace ringcore::testing;
using ::testing::HasSubstr;

namespace {

const std::string kEcho = RINGCORE_EXAMPLE_ECHO;
const std::string kHttpServer = RINGCORE_EXAMPLE_HTTP_SERVER;
const std::string kFileServer = RINGCORE_EXAMPLE_FILE_SERVER;
const std::string kConcurrentDownloads = RINGCORE_EXAMPLE_CONCURRENT_DOWNLOADS;
const std::string kSqpoll = RINGCORE_EXAMPLE_SQPOLL;
const std::string kMultishotAccept = RINGCORE_EXAMPLE_MULTISHOT_ACCEPT;

// An example server running in the background for one test: started with its stdout and stderr on
// pipes (and, if asked, a lower open-file limit), ready once it printed "listening on ADDR:PORT"
// (waited for at most 20 s), and always stopped by the destructor: SIGTERM, then SIGKILL if it has
// not exited 20 s later.
class BackgroundServer {
 public:
  explicit BackgroundServer(const std::vector<std::string>& argv, rlim_t nofile = 0) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(err[1], STDERR_FILENO);
      if (nofile > 0) {
        rlimit rl{nofile, nofile};
        ::setrlimit(RLIMIT_NOFILE, &rl);
      }
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (port_ == 0 && !exited_ && std::chrono::steady_clock::now() < deadline) {
      pump(100);
      reap(false);
      find_listening_line();
    }
  }
  ~BackgroundServer() {
    if (!exited_) stop();
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  BackgroundServer(const BackgroundServer&) = delete;
  BackgroundServer& operator=(const BackgroundServer&) = delete;

  bool listening() const { return port_ != 0 && !exited_; }
  std::uint16_t port() const { return port_; }
  const SocketAddress& address() const { return address_; }

  // Sends `sig` and waits for the exit; returns the exit code (-1: killed by a signal).
  int stop(int sig = SIGTERM) {
    if (!exited_) ::kill(pid_, sig);
    return wait_exit();
  }
  // Waits (at most 20 s, then SIGKILL) for the server to exit by itself.
  int wait_exit() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!exited_ && std::chrono::steady_clock::now() < deadline) {
      pump(50);
      reap(false);
    }
    if (!exited_) {
      ::kill(pid_, SIGKILL);
      reap(true);
    }
    while (pump(50)) {  // whatever is left in the pipes
    }
    return exit_code_;
  }
  const std::string& out() const { return out_; }
  const std::string& err() const { return err_; }
  std::string describe() const { return "stdout: " + out_ + "\nstderr: " + err_; }

 private:
  // Reads what the pipes hold, waiting up to `ms` for something; false once both are at EOF.
  bool pump(int ms) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (out_fd_ < 0 && err_fd_ < 0) return false;
    if (::poll(fds, 2, ms) <= 0) return out_fd_ >= 0 || err_fd_ >= 0;
    char buf[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      int& fd = i == 0 ? out_fd_ : err_fd_;
      if (n <= 0) {
        ::close(fd);
        fd = -1;
      } else {
        (i == 0 ? out_ : err_).append(buf, std::size_t(n));
      }
    }
    return out_fd_ >= 0 || err_fd_ >= 0;
  }
  void reap(bool block) {
    int status = 0;
    if (pid_ <= 0 || ::waitpid(pid_, &status, block ? 0 : WNOHANG) != pid_) return;
    exited_ = true;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void find_listening_line() {
    const std::string marker = "listening on ";
    std::size_t at = out_.find(marker);
    if (at == std::string::npos) return;
    std::size_t end = out_.find('\n', at);
    if (end == std::string::npos) return;
    std::string where = out_.substr(at + marker.size(), end - at - marker.size());  // "1.2.3.4:N" or "[::1]:N"
    std::size_t colon = where.rfind(':');
    std::string ip = where.substr(0, colon);
    if (!ip.empty() && ip.front() == '[') ip = ip.substr(1, ip.size() - 2);
    auto port = std::uint16_t(std::stoul(where.substr(colon + 1)));
    auto a = SocketAddress::parse(ip, port);
    if (!a) return;
    address_ = *a;
    port_ = port;
  }

  pid_t pid_ = -1;
  int out_fd_ = -1, err_fd_ = -1;
  std::string out_, err_;
  bool exited_ = false;
  int exit_code_ = -1;
  std::uint16_t port_ = 0;
  SocketAddress address_;
};

// A client socket (10 s send/receive timeouts) that closes itself.
struct Client {
  explicit Client(const SocketAddress& a) : fd(blocking_connect(a)) {}
  ~Client() {
    if (fd >= 0) ::close(fd);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  int fd;
};

struct Received {
  std::string data;
  bool eof = false;  // the peer closed the connection (not a timeout, not a reset)
};

Received recv_until_eof(int fd) {
  Received r;
  char buf[65536];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) return r;
    if (n == 0) {
      r.eof = true;
      return r;
    }
    r.data.append(buf, std::size_t(n));
  }
}

// Sends `data` from a second thread while this one reads the echo until EOF, so neither side's
// socket buffer can fill up and stall the other; then half-closes.
Received echo_round_trip(const SocketAddress& a, const std::string& data) {
  Client c(a);
  if (c.fd < 0) return {};
  std::thread sender([&] {
    send_all(c.fd, data);
    ::shutdown(c.fd, SHUT_WR);
  });
  Received r = recv_until_eof(c.fd);
  sender.join();
  return r;
}

// A port something else is already listening on.
struct TakenPort {
  TakenPort() {
    fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 1);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~TakenPort() { ::close(fd); }
  int fd;
  std::uint16_t port;
};

// ---------------------------------------------------------------------------------------------
// echo

TEST(EchoExample, RoundTripsBytesExactly) {
  BackgroundServer server({kEcho});
  ASSERT_TRUE(server.listening()) << server.describe();
  for (std::size_t size : {1ul, 64ul, 65536ul, 1ul << 20}) {
    std::string data = pattern(size, unsigned(size));
    Received r = echo_round_trip(server.address(), data);
    EXPECT_TRUE(r.eof) << "size " << size;
    EXPECT_EQ(r.data.size(), size);
    EXPECT_TRUE(r.data == data) << "size " << size;
  }
  EXPECT_EQ(server.stop(), 0) << server.describe();
  EXPECT_THAT(server.out(), HasSubstr("echo: Terminated; 4 connections, " + std::to_string(1 + 64 + 65536 + (1 << 20)) +
                                      " bytes echoed, 0 linked chains (0 finished by hand), 0 resets, 0 errors"));
}

TEST(EchoExample, LinkedRecvSendEchoesWholeMessagesAndAShortTail) {
  for (std::size_t size : {1ul, 64ul, 65536ul, 1ul << 20}) {
    BackgroundServer server({kEcho, "--message-size", std::to_string(size)});
    ASSERT_TRUE(server.listening()) << server.describe();
    // Three whole messages, then (except for 1-byte messages) half a message and the end of the
    // stream: that last recv comes back short, breaks the chain, and is echoed by hand.
    const std::size_t tail = size / 2;
    std::string data = pattern(3 * size + tail, unsigned(size) + 7);
    Received r = echo_round_trip(server.address(), data);
    EXPECT_TRUE(r.eof) << "size " << size;
    EXPECT_EQ(r.data.size(), data.size());
    EXPECT_TRUE(r.data == data) << "size " << size;
    EXPECT_EQ(server.stop(), 0) << server.describe();
    // Chains: 3 whole messages, the short tail if any, and the one that met the end of the stream.
    const std::string chains =
        tail > 0 ? "5 linked chains (1 finished by hand)" : "4 linked chains (0 finished by hand)";
    EXPECT_THAT(server.out(), HasSubstr(std::to_string(data.size()) + " bytes echoed, " + chains)) << server.out();
  }
}

TEST(EchoExample, LinkedModeServesANewClientWhileAnotherWaits) {
  // The first client's next chain is in flight, waiting on the network, when the second connects.
  // The runtime once waited for both of that chain's completions before anything else: the second
  // client's accept sat in the CQ, and the second client waited forever (here: its 10 s timeout).
  BackgroundServer server({kEcho, "--message-size", "64"});
  ASSERT_TRUE(server.listening()) << server.describe();
  Client first(server.address());
  ASSERT_GE(first.fd, 0);
  const std::string a = pattern(64, 21), b = pattern(64, 22);
  ASSERT_TRUE(send_all(first.fd, a));
  EXPECT_EQ(recv_exact(first.fd, 64), a);
  Client second(server.address());  // connects only now, while the first's next chain waits
  ASSERT_GE(second.fd, 0);
  ASSERT_TRUE(send_all(second.fd, b));
  EXPECT_EQ(recv_exact(second.fd, 64), b) << "the second client got no echo while the first waited";
  ASSERT_TRUE(send_all(first.fd, b));
  EXPECT_EQ(recv_exact(first.fd, 64), b);
  ::shutdown(first.fd, SHUT_WR);
  ::shutdown(second.fd, SHUT_WR);
  EXPECT_TRUE(recv_until_eof(first.fd).eof);
  EXPECT_TRUE(recv_until_eof(second.fd).eof);
  EXPECT_EQ(server.stop(), 0) << server.describe();
  // 3 whole messages, and per client the chain that met the end of the stream.
  EXPECT_THAT(server.out(), HasSubstr("2 connections, 192 bytes echoed, 5 linked chains (0 finished by hand)"));
}

TEST(EchoExample, ServesIpv6) {
  BackgroundServer server({kEcho, "--bind", "::1"});
  if (!server.listening() && server.err().find("cannot listen") != std::string::npos)
    GTEST_SKIP() << "no IPv6 loopback here: " << server.err();
  ASSERT_TRUE(server.listening()) << server.describe();
  EXPECT_THAT(server.out(), HasSubstr("listening on [::1]:"));
  std::string data = pattern(4096, 3);
  EXPECT_EQ(echo_round_trip(server.address(), data).data, data);
  EXPECT_EQ(server.stop(SIGINT), 0) << server.describe();  // Ctrl-C ends it as cleanly as SIGTERM
  EXPECT_THAT(server.out(), HasSubstr("echo: Interrupt; 1 connections, 4096 bytes echoed"));
}

// ---------------------------------------------------------------------------------------------
// http_server

// What proto::HttpSession answers to `requests`, computed here with the same code.
std::string session_answer(const std::string& requests) {
  static const proto::HttpSession::Responses responses;
  proto::HttpSession session(responses);
  std::string out;
  session.on_data(requests, out);
  return out;
}

const std::string kGet = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

class HttpServerExample : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::vector<std::string> argv{kHttpServer};
    // A mode is one flag, or a flag and its value ("--batch-wait 50").
    if (std::string mode = GetParam(); mode != "default") {
      const std::size_t space = mode.find(' ');
      argv.push_back(mode.substr(0, space));
      if (space != std::string::npos) argv.push_back(mode.substr(space + 1));
    }
    server_.emplace(argv);
    if (!server_->listening() && std::string(GetParam()) == "--sqpoll" &&
        server_->err().find("SQPOLL") != std::string::npos)
      GTEST_SKIP() << "SQPOLL refused here: " << server_->err();
    ASSERT_TRUE(server_->listening()) << server_->describe();
  }
  BackgroundServer& server() { return *server_; }
  std::optional<BackgroundServer> server_;
};

INSTANTIATE_TEST_SUITE_P(Modes, HttpServerExample,
                         ::testing::Values("default", "--fixed-files", "--recv-per-read", "--sqpoll", "--batch-wait 50"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.erase(0, name.find_first_not_of('-'));
                           for (char& ch : name)
                             if (ch == '-' || ch == ' ') ch = '_';
                           return name;
                         });

TEST_P(HttpServerExample, KeepAliveAndPipelinedRequestsGetExactlyTheSessionsBytesInOrder) {
  Client c(server().address());
  ASSERT_GE(c.fd, 0);
  const std::string one = session_answer(kGet);
  ASSERT_THAT(one, HasSubstr("Hello, World!"));
  for (int i = 0; i < 3; ++i) {  // keep-alive: one request at a time on the same connection
    ASSERT_TRUE(send_all(c.fd, kGet));
    EXPECT_EQ(recv_exact(c.fd, one.size()), one) << "request " << i;
  }
  // Ten pipelined requests in one send, a HEAD among them: answered in order, nothing more.
  std::string pipelined;
  for (int i = 0; i < 10; ++i) pipelined += i == 4 ? "HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n" : kGet;
  const std::string answers = session_answer(pipelined);
  ASSERT_TRUE(send_all(c.fd, pipelined));
  EXPECT_EQ(recv_exact(c.fd, answers.size()), answers);
  ::shutdown(c.fd, SHUT_WR);
  Received rest = recv_until_eof(c.fd);
  EXPECT_TRUE(rest.eof);
  EXPECT_EQ(rest.data, "");
}

TEST_P(HttpServerExample, ConnectionCloseGetsTheResponseThenTheEnd) {
  Client c(server().address());
  const std::string request = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(send_all(c.fd, request));
  Received r = recv_until_eof(c.fd);
  EXPECT_TRUE(r.eof);
  EXPECT_EQ(r.data, session_answer(request));
  EXPECT_THAT(r.data, HasSubstr("Connection: close\r\n"));
}

TEST_P(HttpServerExample, ErrorsGetTheirStatusThenTheEnd) {
  struct Case {
    const char* name;
    std::string request;
    int status;
  };
  const std::vector<Case> cases = {
      {"malformed header", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n", 400},
      {"bare LF", "GET / HTTP/1.1\nHost: a\n\n", 400},
      {"oversized headers", "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n", 431},
      {"oversized target", "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n", 414},
      // A good request, then a broken one: the good answer, then the error, then the end.
      {"good then malformed", kGet + "BROKEN\r\n\r\n", 400},
  };
  for (const Case& k : cases) {
    Client c(server().address());
    ASSERT_TRUE(send_all(c.fd, k.request)) << k.name;
    Received r = recv_until_eof(c.fd);
    std::string expected = session_answer(k.request);
    EXPECT_THAT(expected, HasSubstr("HTTP/1.1 " + std::to_string(k.status) + " ")) << k.name;
    EXPECT_TRUE(r.eof) << k.name;
    EXPECT_EQ(r.data, expected) << k.name;
  }
}

TEST_P(HttpServerExample, SigtermEndsItWithExitZeroAndTheSummary) {
  {
    Client c(server().address());
    std::string requests;
    for (int i = 0; i < 10; ++i) requests += kGet;
    ASSERT_TRUE(send_all(c.fd, kGet));
    ASSERT_EQ(recv_exact(c.fd, session_answer(kGet).size()), session_answer(kGet));
    ASSERT_TRUE(send_all(c.fd, requests + "GET / HTTP/1.1\r\nbad\r\n\r\n"));
    Received r = recv_until_eof(c.fd);
    ASSERT_TRUE(r.eof);
  }
  EXPECT_EQ(server().stop(), 0) << server().describe();
  EXPECT_THAT(server().out(),
              HasSubstr("http_server: Terminated; 1 connections, 12 requests (1 bad), 0 resets, 0 errors"));
  EXPECT_EQ(server().err(), "");
}

TEST(HttpServerBackOff, OutOfDescriptorsItBacksOffAndServesEveryoneOnceSomeAreFree) {
  // 24 descriptors: stdio, the listener, the signalfd and the ring leave room for about 18
  // connections; 40 clients connect at once, the rest wait in the listen backlog.
  BackgroundServer server({kHttpServer}, 24);
  ASSERT_TRUE(server.listening()) << server.describe();
  const std::string answer = session_answer(kGet);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(std::make_unique<Client>(server.address()));
    ASSERT_GE(clients.back()->fd, 0) << i;
    ASSERT_TRUE(send_all(clients.back()->fd, kGet)) << i;
  }
  EXPECT_EQ(recv_exact(clients[0]->fd, answer.size()), answer);  // the first ones are being served
  clients.erase(clients.begin(), clients.begin() + 30);          // 30 leave: descriptors free up
  for (auto& c : clients) EXPECT_EQ(recv_exact(c->fd, answer.size()), answer);  // the last 10 get served too
  clients.clear();
  EXPECT_EQ(server.stop(), 0) << server.describe();
  const std::string& out = server.out();
  std::size_t at = out.find(" accept errors");
  ASSERT_NE(at, std::string::npos) << out;
  std::size_t start = out.rfind(' ', at - 1) + 1;
  EXPECT_GT(std::stoul(out.substr(start, at - start)), 0u) << out;  // EMFILE was met (and survived)
  EXPECT_THAT(out, HasSubstr("40 connections")) << out;
}

TEST_P(HttpServerExample, SigtermEndsOpenConnectionsToo) {
  Client idle(server().address());  // keep-alive, between requests
  ASSERT_TRUE(send_all(idle.fd, kGet));
  ASSERT_EQ(recv_exact(idle.fd, session_answer(kGet).size()), session_answer(kGet));
  EXPECT_EQ(server().stop(), 0) << server().describe();
  Received r = recv_until_eof(idle.fd);
  EXPECT_TRUE(r.eof);  // the server shut the connection down before exiting
  EXPECT_EQ(r.data, "");
  EXPECT_THAT(server().out(), HasSubstr("1 connections, 1 requests (0 bad), 0 resets, 0 errors"));
  EXPECT_EQ(server().err(), "");
}

// ---------------------------------------------------------------------------------------------
// file_server

namespace fs = std::filesystem;

void write_file(const fs::path& p, const std::string& content) {
  std::ofstream f(p, std::ios::binary);
  f << content;
}

// <tmp>/root is served; <tmp>/outside holds a secret that no request may ever return.
class FileTree {
 public:
  FileTree() {
    char tmpl[] = "/tmp/ringcore-file-server-XXXXXX";
    base_ = ::mkdtemp(tmpl);
    fs::create_directories(root() / "sub");
    fs::create_directories(root() / "empty_dir");
    fs::create_directories(base_ / "outside");
    write_file(root() / "hello.txt", "hello from the root\n");
    write_file(root() / "index.html", "<h1>index</h1>\n");
    write_file(root() / "sub" / "page.html", "<p>page</p>\n");
    write_file(root() / "big.bin", pattern(1 << 20, 99));
    write_file(root() / "empty.txt", "");
    write_file(root() / ".hidden", "dot file\n");
    write_file(base_ / "outside" / "secret.txt", secret());
    // Symlinks: out of the root (absolute and relative, to a file and to a directory) and one
    // that stays inside (served: RESOLVE_BENEATH allows it).
    fs::create_symlink("/etc/passwd", root() / "passwd_link");
    fs::create_symlink("../outside/secret.txt", root() / "secret_link");
    fs::create_symlink(base_ / "outside" / "secret.txt", root() / "secret_abs_link");
    fs::create_symlink("../outside", root() / "outside_dir_link");
    fs::create_symlink("/proc/self/root/etc/passwd", root() / "proc_link");
    fs::create_symlink("hello.txt", root() / "inside_link.txt");
    ::mkfifo((root() / "fifo").c_str(), 0644);
  }
  ~FileTree() {
    std::error_code ec;
    fs::remove_all(base_, ec);
  }
  fs::path root() const { return base_ / "root"; }
  static std::string secret() { return "TOP-SECRET-outside-the-root\n"; }

 private:
  fs::path base_;
};

struct HttpReply {
  int status = 0;
  std::string head;
  std::string body;
  bool eof = false;
};

HttpReply parse_reply(const Received& r) {
  HttpReply reply;
  reply.eof = r.eof;
  std::size_t end = r.data.find("\r\n\r\n");
  if (r.data.size() < 12 || end == std::string::npos) return reply;
  reply.status = std::stoi(r.data.substr(9, 3));
  reply.head = r.data.substr(0, end + 4);
  reply.body = r.data.substr(end + 4);
  return reply;
}

// One request on its own connection ("Connection: close"), read to the end.
HttpReply request(const SocketAddress& a, const std::string& target, const std::string& method = "GET") {
  Client c(a);
  if (c.fd < 0) return {};
  send_all(c.fd, method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  return parse_reply(recv_until_eof(c.fd));
}

class FileServerExample : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.emplace(std::vector<std::string>{kFileServer, "--root", tree_.root().string()});
    ASSERT_TRUE(server_->listening()) << server_->describe();
  }
  const SocketAddress& address() { return server_->address(); }
  FileTree tree_;
  std::optional<BackgroundServer> server_;
};

TEST_F(FileServerExample, ServesFilesExactlyWithLengthAndType) {
  HttpReply hello = request(address(), "/hello.txt");
  EXPECT_EQ(hello.status, 200);
  EXPECT_TRUE(hello.eof);
  EXPECT_EQ(hello.body, "hello from the root\n");
  EXPECT_THAT(hello.head, HasSubstr("Content-Length: 20\r\n"));
  EXPECT_THAT(hello.head, HasSubstr("Content-Type: text/plain; charset=utf-8\r\n"));

  HttpReply big = request(address(), "/big.bin");
  EXPECT_EQ(big.status, 200);
  EXPECT_THAT(big.head, HasSubstr("Content-Length: 1048576\r\n"));
  EXPECT_THAT(big.head, HasSubstr("Content-Type: application/octet-stream\r\n"));
  EXPECT_EQ(big.body.size(), 1u << 20);
  EXPECT_TRUE(big.body == pattern(1 << 20, 99));

  HttpReply page = request(address(), "/sub/page.html?query=1");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "<p>page</p>\n");
  EXPECT_THAT(page.head, HasSubstr("Content-Type: text/html; charset=utf-8\r\n"));

  HttpReply index = request(address(), "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<h1>index</h1>\n");

  HttpReply empty = request(address(), "/empty.txt");
  EXPECT_EQ(empty.status, 200);
  EXPECT_THAT(empty.head, HasSubstr("Content-Length: 0\r\n"));
  EXPECT_EQ(empty.body, "");

  HttpReply head = request(address(), "/big.bin", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_THAT(head.head, HasSubstr("Content-Length: 1048576\r\n"));
  EXPECT_EQ(head.body, "");

  HttpReply inside = request(address(), "/inside_link.txt");  // a symlink that stays inside
  EXPECT_EQ(inside.status, 200);
  EXPECT_EQ(inside.body, "hello from the root\n");

  HttpReply absolute_form = request(address(), "http://localhost/hello.txt");
  EXPECT_EQ(absolute_form.status, 200);
  EXPECT_EQ(absolute_form.body, "hello from the root\n");
}

TEST_F(FileServerExample, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  Client c(address());
  const std::string get_hello = "GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string get_page = "GET /sub/page.html HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string get_missing = "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_TRUE(send_all(c.fd, get_hello + get_missing + get_page + get_hello));
  ::shutdown(c.fd, SHUT_WR);
  Received r = recv_until_eof(c.fd);
  EXPECT_TRUE(r.eof);
  std::size_t a = r.data.find("hello from the root\n"), b = r.data.find("404 Not Found"),
              p = r.data.find("<p>page</p>"), a2 = r.data.rfind("hello from the root\n");
  ASSERT_NE(a, std::string::npos) << r.data;
  ASSERT_NE(b, std::string::npos) << r.data;
  ASSERT_NE(p, std::string::npos) << r.data;
  EXPECT_LT(a, b);
  EXPECT_LT(b, p);
  EXPECT_LT(p, a2);
}

TEST_F(FileServerExample, EveryPathOutOfTheRootIsRefusedAndNeverServed) {
  const std::vector<std::string> attacks = {
      "/../outside/secret.txt",
      "/sub/../../outside/secret.txt",
      "/%2e%2e/outside/secret.txt",
      "/%2E%2e%2Foutside%2Fsecret.txt",
      "/..%2foutside%2fsecret.txt",
      "/..%2Foutside/secret.txt",
      "//etc/passwd",
      "/etc/passwd",                        // under the root: there is no such file
      "http://localhost/../outside/secret.txt",
      "http://localhost//etc/passwd",
      "/..\\outside\\secret.txt",
      "/%5c..%5coutside%5csecret.txt",
      "/hello.txt%00.png",
      "/%00../outside/secret.txt",
      "/%252e%252e/outside/secret.txt",      // double encoding: decoded once, a harmless odd name
      "/%c0%ae%c0%ae/outside/secret.txt",    // overlong UTF-8 dots: bytes, not dots
      "/passwd_link",                        // symlink to /etc/passwd (absolute)
      "/secret_link",                        // symlink ../outside/secret.txt (relative, climbs out)
      "/secret_abs_link",                    // absolute symlink to the secret
      "/outside_dir_link/secret.txt",        // symlinked directory that leaves the root
      "/proc_link",                          // through /proc/self/root
      "/sub/",                               // a directory without index.html
      "/empty_dir",                          // a directory: no listing
      "/.hidden",
      "/fifo",                               // not a regular file (and must not hang the server)
  };
  for (const std::string& target : attacks) {
    HttpReply r = request(address(), target);
    EXPECT_TRUE(r.status == 403 || r.status == 404) << target << " gave " << r.status << "\n" << r.head << r.body;
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("root:"), std::string::npos) << target;
    EXPECT_TRUE(r.eof) << target;
  }
  EXPECT_EQ(request(address(), "/no-such-file.txt").status, 404);
  EXPECT_EQ(request(address(), "/hello.txt", "POST").status, 405);
  // Targets that are not paths at all.
  for (std::string target : {"*", "../outside/secret.txt", "/%zz", "/%4"}) {
    HttpReply r = request(address(), target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.body.find("TOP-SECRET"), std::string::npos) << target;
  }
  // The server is still fine after all that.
  EXPECT_EQ(request(address(), "/hello.txt").body, "hello from the root\n");
  EXPECT_EQ(server_->stop(), 0) << server_->describe();
  EXPECT_THAT(server_->out(), HasSubstr("file_server: Terminated; "));
}

TEST(FileServerPath, AcceptsPlainPathsAndNamesTheIndexOfDirectories) {
  using file_server::safe_relative_path;
  EXPECT_EQ(safe_relative_path("/a/b.txt").relative, "a/b.txt");
  EXPECT_EQ(safe_relative_path("/a/b.txt").status, 0);
  EXPECT_EQ(safe_relative_path("/").relative, "index.html");
  EXPECT_EQ(safe_relative_path("/docs/").relative, "docs/index.html");
  EXPECT_EQ(safe_relative_path("/a%20b.txt?x=/../y#z").relative, "a b.txt");
  EXPECT_EQ(safe_relative_path("HTTP://host:80/a").relative, "a");
  EXPECT_EQ(safe_relative_path("http://host").relative, "index.html");
  EXPECT_EQ(safe_relative_path("/%252e%252e").relative, "%2e%2e");
  EXPECT_EQ(safe_relative_path("/a..b/c.").relative, "a..b/c.");
}

TEST(FileServerPath, RefusesEveryWayOut) {
  using file_server::safe_relative_path;
  struct Case {
    const char* target;
    int status;
  };
  for (const Case& k : std::vector<Case>{
           {"/..", 403}, {"/../x", 403}, {"/a/../../x", 403}, {"/a/./b", 403}, {"/%2e%2e/x", 403},
           {"/%2E%2e%2Fx", 403}, {"/..%2fx", 403}, {"/a%2Fb", 403}, {"//etc/passwd", 403}, {"/a//b", 403},
           {"/a\\b", 403}, {"/%5c", 403}, {"/a%00b", 403}, {"/%0a", 403}, {"/%7f", 403}, {"/.git/config", 403},
           {"http://h/../x", 403}, {"*", 400}, {"a/b", 400}, {"", 400}, {"../x", 400}, {"/%", 400},
           {"/%4", 400}, {"/%zz", 400}, {"/%g0", 400}}) {
    auto r = safe_relative_path(k.target);
    EXPECT_EQ(r.status, k.status) << k.target;
    EXPECT_EQ(r.relative, "") << k.target;
  }
  EXPECT_EQ(safe_relative_path("/" + std::string(5000, 'a')).status, 404);
}

// Random targets from the characters that matter: whatever is accepted is a plain relative path.
TEST(FileServerPath, FuzzedTargetsNeverYieldAnEscapingPath) {
  const std::string alphabet = "/.%2eEfF5c0a\\?#x";
  std::mt19937 rng(12345);
  for (int i = 0; i < 200000; ++i) {
    std::string target;
    std::size_t len = rng() % 16;
    for (std::size_t j = 0; j < len; ++j) target += alphabet[rng() % alphabet.size()];
    auto r = file_server::safe_relative_path(target);
    if (r.status != 0) {
      EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 404) << target;
      continue;
    }
    const std::string& p = r.relative;
    ASSERT_FALSE(p.empty()) << target;
    EXPECT_NE(p.front(), '/') << target;
    EXPECT_EQ(p.find("//"), std::string::npos) << target;
    EXPECT_EQ(p.find('\\'), std::string::npos) << target;
    EXPECT_EQ(p.find('\0'), std::string::npos) << target;
    EXPECT_EQ(p.find("/."), std::string::npos) << target;  // no segment starts with a dot
    EXPECT_NE(p.front(), '.') << target;
  }
}

// ---------------------------------------------------------------------------------------------
// concurrent_downloads

TEST(ConcurrentDownloadsExample, SendsAHundredRequestsInOneEnterAndVerifiesEveryResponse) {
  BackgroundServer server({kHttpServer});
  ASSERT_TRUE(server.listening()) << server.describe();
  auto r = run_process({kConcurrentDownloads, "--port", std::to_string(server.port())});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("request phase: 100 SQEs in 1 io_uring_enter call(s)"));
  EXPECT_THAT(r.out,
              HasSubstr("responses: 100 of 100 verified (status 200, body of Content-Length bytes), 1300 body bytes"));
  EXPECT_THAT(r.out, HasSubstr("connect phase: "));
  EXPECT_EQ(server.stop(), 0);
  EXPECT_THAT(server.out(), HasSubstr("100 connections, 100 requests (0 bad)"));
}

TEST(ConcurrentDownloadsExample, VerifiesLargeBodiesFromTheFileServer) {
  FileTree tree;
  BackgroundServer server({kFileServer, "--root", tree.root().string()});
  ASSERT_TRUE(server.listening()) << server.describe();
  auto r = run_process({kConcurrentDownloads, "--port", std::to_string(server.port()), "--connections", "20",
                        "--path", "/big.bin"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("request phase: 20 SQEs in 1 io_uring_enter call(s)"));
  EXPECT_THAT(r.out, HasSubstr("responses: 20 of 20 verified (status 200, body of Content-Length bytes), " +
                               std::to_string(20ull << 20) + " body bytes"));
}

TEST(ConcurrentDownloadsExample, FailuresExitOne) {
  BackgroundServer server({kHttpServer});
  ASSERT_TRUE(server.listening()) << server.describe();
  auto not_found = run_process({kConcurrentDownloads, "--port", std::to_string(server.port()), "--connections", "5",
                                "--path", "/x\tz"});
  EXPECT_EQ(not_found.exit_code, 1);  // the server answers 400 to a target with a tab
  EXPECT_THAT(not_found.err, HasSubstr("5 of 5 failed; first: connection"));
  EXPECT_THAT(not_found.err, HasSubstr("status 400, not 200"));
  TakenPort closed;  // listening, but never accepting: use a port nobody listens on instead
  ::close(closed.fd);
  closed.fd = -1;
  auto refused = run_process({kConcurrentDownloads, "--port", std::to_string(closed.port), "--connections", "3"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("connect: Connection refused"));
}

// ---------------------------------------------------------------------------------------------
// sqpoll

TEST(SqpollExample, EchoesWithSqpollActive) {
  BackgroundServer server({kSqpoll, "--idle-ms", "50"});
  if (!server.listening() && server.err().find("SQPOLL not available") != std::string::npos) {
    EXPECT_EQ(server.wait_exit(), 1);
    GTEST_SKIP() << "the kernel refused SQPOLL: " << server.err();
  }
  ASSERT_TRUE(server.listening()) << server.describe();
  EXPECT_THAT(server.out(), HasSubstr("SQPOLL active ("));
  EXPECT_THAT(server.out(), HasSubstr("SQPOLL"));
  for (std::size_t size : {1ul, 65536ul, 1ul << 20}) {
    std::string data = pattern(size, 5);
    Received r = echo_round_trip(server.address(), data);
    EXPECT_TRUE(r.eof);
    EXPECT_TRUE(r.data == data) << "size " << size;
  }
  EXPECT_EQ(server.stop(), 0) << server.describe();
  EXPECT_THAT(server.out(), HasSubstr("sqpoll: Terminated; 3 connections"));
}

TEST(SqpollExample, ARefusedSetupIsAClearMessageAndExitOne) {
  // SQPOLL pinned to a CPU that does not exist: the kernel refuses the ring (EINVAL), as it would
  // refuse SQPOLL itself without the privileges (EPERM).
  auto r = run_process({kSqpoll, "--cpu", "4000"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("sqpoll: SQPOLL not available: io_uring setup"));
  EXPECT_THAT(r.err, HasSubstr("SQPOLL|SQ_AFF"));
  EXPECT_EQ(r.out.find("listening on"), std::string::npos);
}

TEST(SqpollExample, LinkedModeWorksUnderSqpollToo) {
  BackgroundServer server({kSqpoll, "--message-size", "100"});
  if (!server.listening() && server.err().find("SQPOLL not available") != std::string::npos)
    GTEST_SKIP() << "the kernel refused SQPOLL: " << server.err();
  ASSERT_TRUE(server.listening()) << server.describe();
  std::string data = pattern(1050, 8);
  EXPECT_EQ(echo_round_trip(server.address(), data).data, data);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_THAT(server.out(), HasSubstr("1050 bytes echoed, 12 linked chains (1 finished by hand)"));
}

// ---------------------------------------------------------------------------------------------
// multishot_accept

TEST(MultishotAcceptExample, OneSqeAcceptsNConnections) {
  BackgroundServer server({kMultishotAccept, "--connections", "25"});
  ASSERT_TRUE(server.listening()) << server.describe();
  for (int i = 1; i <= 25; ++i) {
    Client c(server.address());
    ASSERT_GE(c.fd, 0);
    Received r = recv_until_eof(c.fd);
    EXPECT_TRUE(r.eof);
    EXPECT_EQ(r.data, "connection " + std::to_string(i) + "\n");
  }
  EXPECT_EQ(server.wait_exit(), 0) << server.describe();  // ends by itself after 25
  EXPECT_THAT(server.out(),
              HasSubstr("multishot_accept: 25 connections accepted: 25 CQEs from 1 SQE (0 accept errors)"));
}

TEST(MultishotAcceptExample, SigtermPrintsTheCountsSoFar) {
  BackgroundServer server({kMultishotAccept});
  ASSERT_TRUE(server.listening()) << server.describe();
  std::vector<std::unique_ptr<Client>> clients;  // connected together: the CQEs may come in one batch
  for (int i = 0; i < 3; ++i) clients.push_back(std::make_unique<Client>(server.address()));
  for (auto& c : clients) EXPECT_TRUE(recv_until_eof(c->fd).eof);
  EXPECT_EQ(server.stop(), 0) << server.describe();
  EXPECT_THAT(server.out(), HasSubstr("3 connections accepted: 3 CQEs from 1 SQE"));
}

// ---------------------------------------------------------------------------------------------
// Every example: --help, bad flags, a taken port.

TEST(NetworkExamples, HelpBadFlagsAndATakenPort) {
  TakenPort taken;
  FileTree tree;
  struct Example {
    std::string path;
    std::vector<std::string> required;  // arguments it cannot start without
  };
  const std::vector<Example> servers = {{kEcho, {}},
                                        {kHttpServer, {}},
                                        {kFileServer, {"--root", tree.root().string()}},
                                        {kSqpoll, {}},
                                        {kMultishotAccept, {}}};
  for (const auto& ex : servers) {
    auto help = run_process({ex.path, "--help"});
    EXPECT_EQ(help.exit_code, 0) << ex.path;
    EXPECT_THAT(help.out, HasSubstr("usage:")) << ex.path;
    auto bad = run_process({ex.path, "--bogus"});
    EXPECT_EQ(bad.exit_code, 2) << ex.path;
    EXPECT_THAT(bad.err, HasSubstr("unknown argument --bogus")) << ex.path;
    auto bad_port = run_process({ex.path, "--port", "70000"});
    EXPECT_EQ(bad_port.exit_code, 2) << ex.path;
    auto bad_bind = run_process({ex.path, "--bind", "localhost"});
    EXPECT_EQ(bad_bind.exit_code, 2) << ex.path;
    std::vector<std::string> argv{ex.path, "--port", std::to_string(taken.port)};
    argv.insert(argv.end(), ex.required.begin(), ex.required.end());
    auto in_use = run_process(argv);
    EXPECT_EQ(in_use.exit_code, 1) << ex.path << in_use.err;
    EXPECT_THAT(in_use.err, HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(taken.port) +
                                      ": Address already in use"))
        << ex.path;
  }
  auto help = run_process({kConcurrentDownloads, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage:"));
  EXPECT_EQ(run_process({kConcurrentDownloads}).exit_code, 2);  // --port is required
  EXPECT_EQ(run_process({kConcurrentDownloads, "--port", "1", "--connections", "0"}).exit_code, 2);
  EXPECT_EQ(run_process({kConcurrentDownloads, "--bogus"}).exit_code, 2);
  EXPECT_EQ(run_process({kFileServer}).exit_code, 2);  // --root is required
  auto no_root = run_process({kFileServer, "--root", "/nonexistent/dir"});
  EXPECT_EQ(no_root.exit_code, 1);
  EXPECT_THAT(no_root.err, HasSubstr("--root /nonexistent/dir: No such file or directory"));
  EXPECT_EQ(run_process({kEcho, "--message-size", "0"}).exit_code, 2);
}

}  // namespace

#endif  // RINGCORE_EXAMPLE_ECHO
