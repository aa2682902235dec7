// concurrent_downloads: an HTTP client that opens N connections (default 100) and sends all N
// requests together, then checks every response (status 200, a body of exactly Content-Length
// bytes). It shows the batching: each connection is its own task, and the runtime hands the SQEs
// that the tasks queue in one loop turn to the kernel in one io_uring_enter.
//
// The connections meet at a gate before sending: the last one to connect resumes all the others
// at once, so all N sends are queued in the same turn and go to the kernel in one io_uring_enter
// (the request phase printed below). Small sends on a fresh connection complete during that
// submission, so the phase needs exactly that one enter.
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "example_util.hpp"
#include "net_example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: concurrent_downloads --port N [--host IP] [--connections N] [--path /]\n"
    "  Opens N connections (default 100) to the HTTP server at IP:PORT (default 127.0.0.1), sends the\n"
    "  N requests \"GET PATH\" together, verifies every response (status 200, a body of exactly\n"
    "  Content-Length bytes) and prints the SQEs and io_uring_enter calls of the connect phase and of\n"
    "  the request phase. Exits 0 when every response is verified, 1 otherwise.\n"
    "  --timeout-ms MS  give up on a connect or a read after MS (default 10000)\n";

constexpr std::size_t kHeadLimit = 16 * 1024;

struct Plan {
  ringcore::SocketAddress address;
  std::string request;
  unsigned connections;
  std::chrono::milliseconds timeout;
};

// Parked coroutines that the last arrival resumes all at once, right away (not through the ready
// queue, which would cost the loop one more trip into the kernel before they run).
class Gate {
 public:
  explicit Gate(unsigned parties) : missing_(parties) {}
  struct Awaiter {
    Gate& gate;
    bool last = false;
    bool await_ready() noexcept { return last = --gate.missing_ == 0; }
    void await_suspend(std::coroutine_handle<> h) { gate.waiting_.push_back(h); }
    bool await_resume() const noexcept { return last; }
  };
  // Completes at once, with true, for the last to arrive, who then calls open(); the others wait.
  Awaiter arrive() { return Awaiter{*this}; }
  void open() {
    auto waiting = std::move(waiting_);
    for (auto h : waiting) ringcore::Runtime::current().resume(h);
  }

 private:
  unsigned missing_;
  std::vector<std::coroutine_handle<>> waiting_;
};

struct Run {
  explicit Run(unsigned n) : gate(n) {}
  Gate gate;
  ringcore::WaitGroup finished;
  ringcore::RingStats at_start, at_gate, after_sends;
  unsigned connected = 0, sends_done = 0, verified = 0, failed = 0;
  unsigned long long body_bytes = 0;
  std::string first_error;

  void fail(unsigned id, const std::string& what) {
    if (failed++ == 0) first_error = "connection " + std::to_string(id) + ": " + what;
  }
};

const ringcore::RingStats& ring_stats() { return ringcore::Runtime::current().ring().stats(); }

bool iequals_prefix(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i)
    if (char(std::tolower((unsigned char)s[i])) != lower_prefix[i]) return false;
  return true;
}

// The status code and Content-Length of a response head ("HTTP/1.1 200 OK\r\n...\r\n\r\n").
struct Head {
  int status = 0;
  long long content_length = -1;
};
Head parse_head(std::string_view head) {
  Head h;
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1." || head[8] != ' ') return h;
  h.status = int(example::parse_number(head.substr(9, 3), 100, 599).value_or(0));
  for (std::size_t pos = head.find("\r\n"); pos != std::string_view::npos && pos + 2 < head.size();) {
    std::size_t end = head.find("\r\n", pos + 2);
    std::string_view line = head.substr(pos + 2, end - pos - 2);
    if (iequals_prefix(line, "content-length:")) {
      std::string_view v = line.substr(15);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
      auto n = example::parse_number(v, 0, 1ull << 40);
      h.content_length = n ? (long long)*n : -1;
    }
    pos = end;
  }
  return h;
}

// Reads the response: the head, then exactly Content-Length body bytes.
ringcore::task<void> read_response(ringcore::TcpStream& s, const Plan& plan, Run& run, unsigned id) {
  std::string buf(kHeadLimit, '\0');
  std::size_t have = 0, head_end = std::string::npos;
  while (head_end == std::string::npos) {
    if (have == buf.size()) co_return run.fail(id, "response head longer than 16 KiB");
    auto n = co_await ringcore::with_timeout(s.read(buf.data() + have, buf.size() - have), plan.timeout);
    if (!n) co_return run.fail(id, "read: " + n.error().message());
    if (*n == 0) co_return run.fail(id, "connection closed before the response head ended");
    have += *n;
    head_end = std::string_view(buf.data(), have).find("\r\n\r\n");
  }
  Head head = parse_head(std::string_view(buf.data(), head_end + 2));
  if (head.status != 200) co_return run.fail(id, "status " + std::to_string(head.status) + ", not 200");
  if (head.content_length < 0) co_return run.fail(id, "no valid Content-Length");
  auto wanted = (unsigned long long)head.content_length;
  unsigned long long body = have - (head_end + 4);
  while (body < wanted) {
    std::size_t want = std::size_t(std::min<unsigned long long>(buf.size(), wanted - body));
    auto n = co_await ringcore::with_timeout(s.read(buf.data(), want), plan.timeout);
    if (!n) co_return run.fail(id, "read body: " + n.error().message());
    if (*n == 0) co_return run.fail(id, "connection closed after " + std::to_string(body) + " of " +
                                            std::to_string(wanted) + " body bytes");
    body += *n;
  }
  if (body != wanted) co_return run.fail(id, "more body bytes than Content-Length");
  run.body_bytes += body;
  ++run.verified;
}

ringcore::task<void> download(const Plan& plan, Run& run, unsigned id) {
  ringcore::TcpStream stream;
  std::string error;
  auto fd = co_await ringcore::socket(plan.address.family(), SOCK_STREAM);
  if (fd) {
    stream = ringcore::TcpStream(*fd);
    auto c = co_await ringcore::with_timeout(ringcore::connect(*fd, plan.address.get(), plan.address.size()),
                                             plan.timeout);
    if (!c) error = "connect: " + c.error().message();
  } else {
    error = "socket: " + fd.error().message();
  }
  if (error.empty()) ++run.connected;
  // Everyone arrives, connected or not; the last one lets all of them go at once.
  if (co_await run.gate.arrive()) {
    run.at_gate = ring_stats();
    run.gate.open();  // the others queue their sends now, before this one does
  }
  if (!error.empty()) {
    run.fail(id, error);
    run.finished.done();
    co_return;
  }
  auto sent = co_await stream.write(plan.request.data(), plan.request.size());
  if (++run.sends_done == run.connected) run.after_sends = ring_stats();
  if (!sent || *sent != plan.request.size()) {
    run.fail(id, sent ? "short send" : "send: " + sent.error().message());
  } else {
    co_await read_response(stream, plan, run, id);
  }
  run.finished.done();
}

void print_phase(const char* name, const ringcore::RingStats& from, const ringcore::RingStats& to) {
  std::printf("%s: %llu SQEs in %llu io_uring_enter call(s)\n", name,
              (unsigned long long)(to.sqes_submitted - from.sqes_submitted),
              (unsigned long long)(to.enters - from.enters));
}

ringcore::task<int> download_all(const Plan& plan) {
  Run run(plan.connections);
  run.at_start = ring_stats();
  run.finished.add(plan.connections);
  for (unsigned id = 0; id < plan.connections; ++id) ringcore::spawn(download(plan, run, id));
  co_await run.finished.wait();
  print_phase("connect phase", run.at_start, run.at_gate);
  if (run.connected > 0) print_phase("request phase", run.at_gate, run.after_sends);
  std::printf("responses: %u of %u verified (status 200, body of Content-Length bytes), %llu body bytes\n",
              run.verified, plan.connections, run.body_bytes);
  if (run.failed > 0) {
    std::fprintf(stderr, "concurrent_downloads: %u of %u failed; first: %s\n", run.failed, plan.connections,
                 run.first_error.c_str());
    co_return 1;
  }
  co_return 0;
}

unsigned round_up_to_power_of_two(unsigned n) {
  unsigned p = 1;
  while (p < n) p *= 2;
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  std::string host = "127.0.0.1", path = "/";
  std::optional<unsigned long long> port;
  unsigned connections = 100;
  unsigned long long timeout_ms = 10000;
  example::Args args(argc, argv);
  while (args.next()) {
    if (args.flag() == "--port") {
      port = args.number(1, 65535);
      if (!port) return example::usage_error("concurrent_downloads", "--port needs a number 1..65535", kUsage);
    } else if (args.flag() == "--host") {
      auto h = args.value();
      if (!h || !ringcore::SocketAddress::parse(*h, 1))
        return example::usage_error("concurrent_downloads", "--host needs an IP address", kUsage);
      host = std::string(*h);
    } else if (args.flag() == "--connections") {
      auto n = args.number(1, 4096);
      if (!n) return example::usage_error("concurrent_downloads", "--connections needs a number 1..4096", kUsage);
      connections = unsigned(*n);
    } else if (args.flag() == "--path") {
      auto p = args.value();
      if (!p || p->empty() || p->front() != '/' || p->find_first_of(" \r\n") != std::string_view::npos)
        return example::usage_error("concurrent_downloads", "--path needs a path starting with /", kUsage);
      path = std::string(*p);
    } else if (args.flag() == "--timeout-ms") {
      auto t = args.number(1, 3600000);
      if (!t) return example::usage_error("concurrent_downloads", "--timeout-ms needs a number", kUsage);
      timeout_ms = *t;
    } else {
      return example::usage_error("concurrent_downloads", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  if (!port) return example::usage_error("concurrent_downloads", "--port is required", kUsage);
  auto address = ringcore::SocketAddress::parse(host, std::uint16_t(*port));
  std::string authority = address->to_string();
  Plan plan{*address, "GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n",
            connections, std::chrono::milliseconds(timeout_ms)};
  // One descriptor per connection: lift the soft limit as far as the hard one allows.
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &rl);
  }
  ringcore::RingOptions options;
  // Room for every connection's request in one submission (a connect with its timeout takes two).
  options.entries = round_up_to_power_of_two(std::max(256u, 2 * connections));
  return example::guarded("concurrent_downloads", [&] { return ringcore::block_on(download_all(plan), options); });
}
