// http_server: an HTTP/1.1 keep-alive "Hello, World!" server for load generators such as wrk.
// Requests are parsed by the suite's shared proto::HttpSession (the same code as every benchmark
// backend), so the answers are byte for byte the suite's: pipelined requests are answered in
// order and every response to one read goes out in one send; Connection: close, malformed (400)
// and oversized (431/414) requests end the connection after their response.
//
// Per connection: one task, one input buffer and one output string, reused for every request, so
// after warm-up a request costs no heap allocation: one recv and one send SQE, and the runtime
// hands the SQEs of every connection to the kernel together, in one io_uring_enter per loop turn.
// Connections come from one multishot accept request.
//
// Options: --sqpoll (a kernel thread submits), --fixed-files (connections accepted straight into
// the ring's registered file table, every request with IOSQE_FIXED_FILE), --buffer-ring (the kernel
// picks a receive buffer from a shared ring when data arrives, instead of one pinned per connection).
#include <signal.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "example_util.hpp"
#include "http_example_util.hpp"
#include "net_example_util.hpp"
#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: http_server [--bind ADDR] [--port N] [--size BYTES] [--sqpoll] [--fixed-files] [--buffer-ring]\n"
    "  Answers every GET/HEAD with 200 \"Hello, World!\" (keep-alive, pipelining), until SIGINT/SIGTERM;\n"
    "  then prints a one-line summary (connections, requests, CPU time per request) and exits 0.\n"
    "  --size B        answer B bytes instead (the suite's hello body)\n"
    "  --sqpoll        IORING_SETUP_SQPOLL: a kernel thread polls the submission queue\n"
    "  --fixed-files   accept_direct into the registered file table; requests use IOSQE_FIXED_FILE\n"
    "  --buffer-ring   receive into provided buffers (IORING_REGISTER_PBUF_RING)\n";

// --fixed-files: slots in the registered file table (open connections at most).
constexpr unsigned kFixedFileSlots = 4096;
// --buffer-ring: buffers are handed back before the response is sent, so they are only held
// between a completion and its task running: a few hundred cover a full batch of completions.
constexpr unsigned kRingBuffers = 1024;
constexpr unsigned kRingBufferSize = 4096;
constexpr std::uint16_t kBufferGroup = 1;

struct Counters {
  std::uint64_t connections = 0;
  std::uint64_t requests = 0;
  std::uint64_t bad_requests = 0;   // answered with an error status (400, 405, 413, 414, 431, 501, 505)
  std::uint64_t errors = 0;         // connections ended by a socket error (reset, EPIPE)
  std::uint64_t accept_errors = 0;  // EMFILE, ENFILE...
  std::uint64_t no_buffers = 0;     // --buffer-ring: recvs that found every buffer in use (retried)
};

struct Server {
  proto::HttpSession::Responses responses;
  proto::HttpLimits limits;
  ringcore::BufferRing* buffers = nullptr;  // set with --buffer-ring
  Counters counters;
};

// Feeds one received chunk to the session. `received` is the connection's own buffer (plain recv)
// or a provided buffer; a request split across chunks is completed in `pending`. False when the
// bytes cannot be held (cannot happen within the parser's limits; answered 431 to be safe).
bool on_received(Server& server, proto::HttpSession& session, example::InputBuffer& pending, std::string_view received,
                 bool received_in_pending, std::string& out, proto::HttpSession::Step& step) {
  if (received_in_pending) {
    pending.commit(received.size());
  } else if (!pending.empty()) {
    if (!pending.append(received)) return false;
  } else {
    // The common case with provided buffers: whole requests in one buffer, parsed where they lie;
    // only an incomplete tail is copied.
    step = session.on_data(received, out);
    return pending.append(received.substr(step.consumed));
  }
  step = session.on_data(pending.bytes(), out);
  pending.consume(step.consumed);
  return true;
}

ringcore::task<void> serve_connection(ringcore::TcpStream s, Server& server) {
  Counters& counters = server.counters;
  proto::HttpSession session(server.responses, server.limits);
  example::InputBuffer pending(4096, example::max_request_bytes(server.limits) + kRingBufferSize);
  std::string out;
  out.reserve(4096);
  for (;;) {
    proto::HttpSession::Step step;
    bool held;
    if (server.buffers) {
      auto buf = co_await server.buffers->recv(s.fd(), s.fixed());
      if (!buf && buf.error() == std::errc::no_buffer_space) {
        ++counters.no_buffers;  // every buffer is between a completion and its task: next turn
        co_await ringcore::yield();
        continue;
      }
      if (!buf) {
        ++counters.errors;
        co_return;
      }
      if (buf->size() == 0) co_return;  // the client closed
      held = on_received(server, session, pending, {buf->data(), buf->size()}, false, out, step);
    } else {  // the buffer goes back to the ring here, before we wait for the send
      if (!pending.reserve()) {
        held = false;
      } else {
        auto n = co_await s.read(pending.space(), pending.space_size());
        if (!n) {
          ++counters.errors;
          co_return;
        }
        if (*n == 0) co_return;
        held = on_received(server, session, pending, {pending.space(), *n}, true, out, step);
      }
    }
    if (!held) {
      out.clear();
      proto::append_error(out, 431);
      step.responses = 1;
      step.close = step.error = true;
    }
    counters.requests += step.responses;
    if (step.error) ++counters.bad_requests;
    if (!out.empty()) {
      auto sent = co_await s.write(out.data(), out.size());
      if (!sent || (*sent < out.size() && !co_await example::send_rest(s, out, *sent))) {
        ++counters.errors;
        co_return;
      }
      out.clear();
    }
    if (step.close) {
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
    ++server.counters.connections;
    ringcore::spawn(serve_connection(ringcore::TcpStream(*fd), server));
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
    ++server.counters.connections;
    ringcore::spawn(serve_connection(std::move(*conn), server));
  }
}

ringcore::task<int> serve(ringcore::TcpListener& listener, ringcore::SignalSet& signals, Server& server,
                          bool fixed_files) {
  const double cpu_at_start = example::cpu_seconds();
  if (fixed_files) ringcore::spawn(accept_direct(listener, server));
  else ringcore::spawn(accept_multishot(listener, server));
  auto sig = co_await signals.wait();
  const Counters& c = server.counters;
  const auto& ring = ringcore::Runtime::current().ring().stats();
  const double cpu = example::cpu_seconds() - cpu_at_start;
  std::printf("http_server: %s; %llu connections, %llu requests (%llu bad), %llu errors, %llu accept errors, "
              "%llu recvs without a buffer; %llu SQEs in %llu io_uring_enter calls; cpu %.3f s (%.2f us/request)\n",
              sig ? strsignal(*sig) : "signal wait failed", (unsigned long long)c.connections,
              (unsigned long long)c.requests, (unsigned long long)c.bad_requests, (unsigned long long)c.errors,
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
  bool fixed_files = false, buffer_ring = false;
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
    } else if (args.flag() == "--sqpoll") {
      options.sqpoll = true;
    } else if (args.flag() == "--fixed-files") {
      fixed_files = true;
    } else if (args.flag() == "--buffer-ring") {
      buffer_ring = true;
    } else {
      return example::usage_error("http_server", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  return example::guarded("http_server", [&] {
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("http_server", listen);
    if (!listener) return 1;
    Server server{proto::HttpSession::Responses(body_size), {}, nullptr, {}};
    ringcore::Runtime runtime(options);  // throws with the reason (e.g. SQPOLL refused): exit 1
    if (fixed_files) {
      int r = runtime.ring().register_files(kFixedFileSlots);
      if (r < 0) {
        std::fprintf(stderr, "http_server: --fixed-files: cannot register %u file slots: %s\n", kFixedFileSlots,
                     std::strerror(-r));
        return 1;
      }
    }
    // Declared after the runtime, so destroyed before it, while its ring can still unregister the
    // buffers. No task holds a buffer across a suspension, and recvs still waiting for data then
    // fail with ENOBUFS instead of picking a buffer.
    std::unique_ptr<ringcore::BufferRing> buffers;
    if (buffer_ring) {
      auto created = ringcore::BufferRing::create(runtime.ring(), kBufferGroup, kRingBuffers, kRingBufferSize);
      if (!created) {
        std::fprintf(stderr, "http_server: --buffer-ring: %s\n", created.error().message().c_str());
        return 1;
      }
      buffers = std::move(*created);
      server.buffers = buffers.get();
    }
    std::printf("ring: %s\n", runtime.ring().describe().c_str());
    example::announce(*listener);
    return runtime.run(serve(*listener, signals, server, fixed_files));
  });
}
