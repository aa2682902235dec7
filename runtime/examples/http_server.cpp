// http_server: an HTTP/1.1 keep-alive "Hello, World!" server for load generators such as wrk.
// Requests are parsed by the suite's shared proto::HttpSession (the same code as every benchmark
// backend), so the answers are byte for byte the suite's: pipelined requests are answered in
// order and every response to one read goes out in one send; Connection: close, malformed (400)
// and oversized (431/414) requests end the connection after their response.
//
// Per connection: one task, one input buffer and one output string, reused for every request, so
// after warm-up a request costs no heap allocation: one send SQE, since the data comes from one
// multishot recv per connection into buffers the kernel picks from a shared ring (a provided
// buffer ring) when data arrives; no recv SQE per request, no buffer pinned per idle connection.
// The runtime hands the SQEs of every connection to the kernel together, in one io_uring_enter
// per loop turn. Connections come from one multishot accept request.
//
// The defaults are what measured best here (scripts/http_vs_nginx.sh, README "What each io_uring
// feature buys"): SINGLE_ISSUER|DEFER_TASKRUN (entered through a registered ring fd), the multishot
// recv over a buffer ring (3-4% less CPU per request than a recv per read at 100 connections, 0-3%
// at 1,000, in paired wrk rounds), all of a read's responses in one send. The options below did not
// lower the CPU per request beyond the noise on this machine.
// Options: --sqpoll (a kernel thread submits), --fixed-files (connections accepted straight into
// the ring's registered file table, every request with IOSQE_FIXED_FILE), --recv-per-read (the
// plain way instead of the buffer ring: one recv SQE per read, into the connection's own buffer,
// with IORING_RECVSEND_POLL_FIRST).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "example_util.hpp"
#include "http_example_util.hpp"
#include "net_example_util.hpp"
#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: http_server [--bind ADDR] [--port N] [--size BYTES] [--sqpoll] [--fixed-files] [--recv-per-read]\n"
    "                   [--batch-wait US]\n"
    "  Answers every GET/HEAD with 200 \"Hello, World!\" (keep-alive, pipelining), until SIGINT/SIGTERM;\n"
    "  then prints a one-line summary (connections, requests, CPU time per request) and exits 0.\n"
    "  --size B        answer B bytes instead (the suite's hello body)\n"
    "  --sqpoll        IORING_SETUP_SQPOLL: a kernel thread polls the submission queue\n"
    "  --fixed-files   accept_direct into the registered file table; requests use IOSQE_FIXED_FILE\n"
    "  --recv-per-read a recv SQE per read into the connection's buffer, instead of the default: one\n"
    "                  multishot recv per connection into provided buffers (IORING_REGISTER_PBUF_RING)\n"
    "  --buffer-ring   the default (kept so that older command lines still run)\n"
    "  --batch-wait US wait for as many completions as the last turn brought, or US microseconds with at\n"
    "                  least one (the kernel's min_wait_usec, Linux 6.12+): fewer io_uring_enter calls\n"
    "  --bind ADDR     address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        port (default 0: the kernel picks one; \"listening on ADDR:PORT\" names it)\n";

// --fixed-files: slots in the registered file table (open connections at most).
constexpr unsigned kFixedFileSlots = 4096;
// The buffer ring: buffers are handed back before the response is sent, so they are only held
// between a completion and its task running: a few hundred cover a full batch of completions.
constexpr unsigned kRingBuffers = 1024;
constexpr unsigned kRingBufferSize = 4096;
constexpr std::uint16_t kBufferGroup = 1;

struct Counters {
  std::uint64_t connections = 0;
  std::uint64_t requests = 0;
  std::uint64_t bad_requests = 0;   // answered with an error status (400, 405, 413, 414, 431, 501, 505)
  std::uint64_t resets = 0;         // connections the client reset (wrk ends its connections so)
  std::uint64_t errors = 0;         // connections ended by any other socket error
  std::uint64_t accept_errors = 0;  // EMFILE, ENFILE...
  std::uint64_t no_buffers = 0;     // multishot recvs that found every buffer in use (retried)

  void count_error(std::error_code e) { ++(example::peer_went_away(e) ? resets : errors); }
};

struct Server {
  explicit Server(std::size_t body_size) : responses(body_size) {}
  proto::HttpSession::Responses responses;
  proto::HttpLimits limits;
  ringcore::BufferRing* buffers = nullptr;  // the provided buffers; none with --recv-per-read
  Counters counters;
  bool stopping = false;                    // after SIGINT/SIGTERM: no new connections are served
  std::vector<ringcore::TcpStream*> open;   // the connections being served, to end them at exit
  ringcore::WaitGroup all_closed;
};

// Lists a connection in Server::open for as long as its task runs.
class OpenConnection {
 public:
  OpenConnection(Server& server, ringcore::TcpStream& stream) : server_(server), stream_(&stream) {
    server.open.push_back(stream_);
    server.all_closed.add();
  }
  ~OpenConnection() {
    auto& open = server_.open;
    *std::find(open.begin(), open.end(), stream_) = open.back();
    open.pop_back();
    server_.all_closed.done();
  }
  OpenConnection(const OpenConnection&) = delete;
  OpenConnection& operator=(const OpenConnection&) = delete;

 private:
  Server& server_;
  ringcore::TcpStream* stream_;
};

using Step = proto::HttpSession::Step;

// Parses what a plain recv just put at the end of `pending`.
Step parse_in_place(proto::HttpSession& session, example::InputBuffer& pending, std::size_t received,
                    std::string& out) {
  pending.commit(received);
  Step step = session.on_data(pending.bytes(), out);
  pending.consume(step.consumed);
  return step;
}

// Parses a provided buffer: where it lies when nothing is pending (the common case, whole requests
// in one buffer), copying only an incomplete tail to `pending`. Nothing when the bytes cannot be
// held (cannot happen within the parser's limits).
std::optional<Step> parse_provided(proto::HttpSession& session, example::InputBuffer& pending,
                                   std::string_view received, std::string& out) {
  if (pending.empty()) {
    Step step = session.on_data(received, out);
    if (!pending.append(received.substr(step.consumed))) return std::nullopt;
    return step;
  }
  if (!pending.append(received)) return std::nullopt;
  Step step = session.on_data(pending.bytes(), out);
  pending.consume(step.consumed);
  return step;
}

ringcore::task<void> serve_connection(ringcore::TcpStream s, Server& server) {
  OpenConnection listed(server, s);
  Counters& counters = server.counters;
  proto::HttpSession session(server.responses, server.limits);
  example::InputBuffer pending(4096, example::max_request_bytes(server.limits) + kRingBufferSize);
  std::string out;
  out.reserve(4096);
  // The client speaks only after our answer: wait for its data before trying to receive, instead
  // of one futile attempt per request (IORING_RECVSEND_POLL_FIRST).
  s.set_poll_first();
  // One multishot recv for the whole connection, into buffers the kernel picks (not with --recv-per-read).
  std::optional<ringcore::RecvStream> incoming;
  if (server.buffers) incoming.emplace(*server.buffers, s.fd(), s.fixed());
  for (;;) {
    std::optional<Step> step;
    if (incoming) {
      auto buf = co_await incoming->next();
      if (!buf && buf.error().value() == ENOBUFS) {
        ++counters.no_buffers;  // every buffer is between a completion and its task: next turn
        co_await ringcore::yield();
        continue;  // next() re-arms the request
      }
      if (!buf) co_return counters.count_error(buf.error());
      if (buf->size() == 0) co_return;  // the client closed
      step = parse_provided(session, pending, {buf->data(), buf->size()}, out);
    }  // the provided buffer goes back to the ring here, before we wait for the send
    else if (pending.reserve()) {
      auto n = co_await s.read(pending.space(), pending.space_size());
      if (!n) co_return counters.count_error(n.error());
      if (*n == 0) co_return;  // the client closed
      step = parse_in_place(session, pending, *n, out);
    }
    if (!step) {
      out.clear();
      proto::append_error(out, 431);
      step = Step{.consumed = 0, .responses = 1, .close = true, .error = true};
    }
    counters.requests += step->responses;
    if (step->error) ++counters.bad_requests;
    if (!out.empty()) {  // every response to this read in one send
      auto sent = co_await s.write_all(out.data(), out.size());
      if (!sent) co_return counters.count_error(sent.error());
      out.clear();
    }
    if (step->close) {
      incoming.reset();  // cancels the multishot recv: what the client still sends is drained below
      co_await example::lingering_close(s);
      co_return;
    }
  }
}

ringcore::task<void> accept_multishot(ringcore::TcpListener& listener, Server& server) {
  ringcore::Acceptor incoming = listener.incoming();
  for (;;) {
    auto fd = co_await incoming.next();
    if (!fd) {  // EMFILE and the like: the request has ended; back off, then next() re-arms it
      ++server.counters.accept_errors;
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ringcore::TcpStream stream(*fd);
    if (server.stopping) continue;  // closed at once
    ++server.counters.connections;
    ringcore::spawn(serve_connection(std::move(stream), server));
  }
}

// --fixed-files: the runtime's multishot Acceptor hands out plain descriptors, so direct accepts
// are one request per connection here.
ringcore::task<void> accept_direct(ringcore::TcpListener& listener, Server& server) {
  for (;;) {
    auto conn = co_await listener.accept_direct();
    if (!conn) {  // ENFILE when the file table is full
      ++server.counters.accept_errors;
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (server.stopping) continue;  // closed at once
    ++server.counters.connections;
    ringcore::spawn(serve_connection(std::move(*conn), server));
  }
}

ringcore::task<void> shut_down(int fd, bool fixed) { (void)co_await ringcore::ShutdownOp(fd, SHUT_RDWR, fixed); }

// Ends every open connection before the loop stops: shutdown(SHUT_RDWR) makes each one's pending
// recv (or multishot recv) see the end of the stream, so its task finishes on its own and nothing
// it holds (a multishot recv owning provided buffers) is left for the runtime's teardown, after
// the buffer ring is gone. The shutdowns go to the kernel in one batch; we wait at most 5 s.
ringcore::task<void> close_connections(Server& server) {
  server.stopping = true;
  for (ringcore::TcpStream* s : server.open) ringcore::spawn(shut_down(s->fd(), s->fixed()));
  for (int ms = 0; ms < 5000 && server.all_closed.count() > 0; ++ms)
    co_await ringcore::sleep_for(std::chrono::milliseconds(1));
}

ringcore::task<int> serve(ringcore::TcpListener& listener, ringcore::SignalSet& signals, Server& server,
                          bool fixed_files) {
  const double cpu_at_start = example::cpu_seconds();
  if (fixed_files) ringcore::spawn(accept_direct(listener, server));
  else ringcore::spawn(accept_multishot(listener, server));
  auto sig = co_await signals.wait();
  co_await close_connections(server);
  const Counters& c = server.counters;
  const auto& ring = ringcore::Runtime::current().ring().stats();
  const double cpu = example::cpu_seconds() - cpu_at_start;
  std::printf("http_server: %s; %llu connections, %llu requests (%llu bad), %llu resets, %llu errors, "
              "%llu accept errors, "
              "%llu recvs without a buffer; %llu SQEs in %llu io_uring_enter calls; cpu %.3f s (%.2f us/request)\n",
              sig ? strsignal(*sig) : "signal wait failed", (unsigned long long)c.connections,
              (unsigned long long)c.requests, (unsigned long long)c.bad_requests, (unsigned long long)c.resets,
              (unsigned long long)c.errors,
              (unsigned long long)c.accept_errors, (unsigned long long)c.no_buffers,
              (unsigned long long)ring.sqes_submitted, (unsigned long long)ring.enters, cpu,
              c.requests ? cpu * 1e6 / double(c.requests) : 0.0);
  std::fflush(stdout);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  example::ListenFlags listen;
  std::size_t body_size = proto::kDefaultHelloSize;
  bool fixed_files = false, buffer_ring = true;
  ringcore::RingOptions options;  // defaults: SINGLE_ISSUER|DEFER_TASKRUN where the kernel has them
  example::Args args(argc, argv);
  while (args.next()) {
    std::string error;
    if (example::parse_listen_flag(args, listen, error)) {
      if (!error.empty()) return example::usage_error("http_server", error, kUsage);
    } else if (args.flag() == "--size") {
      auto size = args.number(0, 16u << 20);
      if (!size) return example::usage_error("http_server", "--size needs a number 0..16M", kUsage);
      body_size = std::size_t(*size);
    } else if (args.flag() == "--batch-wait") {
      auto us = args.number(0, 1000000);
      if (!us) return example::usage_error("http_server", "--batch-wait needs microseconds 0..1000000", kUsage);
      options.batch_wait_us = unsigned(*us);
    } else if (args.flag() == "--sqpoll") {
      options.sqpoll = true;
    } else if (args.flag() == "--fixed-files") {
      fixed_files = true;
    } else if (args.flag() == "--buffer-ring") {
      buffer_ring = true;
    } else if (args.flag() == "--recv-per-read") {
      buffer_ring = false;
    } else {
      return example::usage_error("http_server", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  return example::guarded("http_server", [&] {
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("http_server", listen);
    if (!listener) return 1;
    Server server(body_size);
    ringcore::Runtime runtime(options);  // throws with the reason (e.g. SQPOLL refused): exit 1
    if (fixed_files) {
      int r = runtime.ring().register_files(kFixedFileSlots);
      if (r < 0) {
        std::fprintf(stderr, "http_server: --fixed-files: cannot register %u file slots: %s\n", kFixedFileSlots,
                     std::strerror(-r));
        return 1;
      }
    }
    // Owned by the runtime: it outlives every connection's multishot recv, shutdown drain included.
    if (buffer_ring) {
      auto created = runtime.make_buffer_ring(kBufferGroup, kRingBuffers, kRingBufferSize);
      if (!created) {
        std::fprintf(stderr, "http_server: buffer ring (--recv-per-read does without): %s\n",
                     created.error().message().c_str());
        return 1;
      }
      server.buffers = *created;
    }
    std::printf("ring: %s\n", runtime.ring().describe().c_str());
    example::announce(*listener);
    return runtime.run(serve(*listener, signals, server, fixed_files));
  });
}
