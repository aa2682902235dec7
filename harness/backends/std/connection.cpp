#include "connection.hpp"

#include <unistd.h>

#include <memory>
#include <string>

#include "blocking_io.hpp"
#include "bench/input_buffer.hpp"

namespace std_backend {
namespace {

// echo: every read is written straight back. A read or write error (ECONNRESET, EPIPE) ends the
// connection as one error; end of file ends it cleanly.
void serve_echo(int fd, ServeCounters& counters) {
  auto buffer = std::make_unique_for_overwrite<char[]>(kReadBytes);
  for (;;) {
    ssize_t n = read_some(fd, buffer.get(), kReadBytes);
    if (n == 0) return;
    if (n < 0) {
      counters.add(counters.errors, 1);
      return;
    }
    counters.add(counters.bytes_in, std::uint64_t(n));
    // Counted before the write, undone if it fails: the stop thread may print the counters while
    // this thread is between a write the client already received and the count.
    counters.add(counters.requests, 1);
    if (!write_all(fd, buffer.get(), std::size_t(n))) {
      counters.requests.fetch_sub(1, std::memory_order_relaxed);
      counters.add(counters.errors, 1);
      return;
    }
    counters.add(counters.bytes_out, std::uint64_t(n));
  }
}

// http: the bytes go through the shared HttpSession; all responses to one read (pipelining) leave
// in one write. Both buffers are reused for the whole connection.
void serve_http(int fd, const proto::HttpSession::Responses& responses, ServeCounters& counters) {
  proto::HttpSession session(responses);
  bench::InputBuffer in(kReadBytes);
  std::string out;
  for (;;) {
    std::size_t space = in.space();
    ssize_t n = read_some(fd, in.tail(), space);
    if (n == 0) return;  // a partial request at end of file is dropped, not an error
    if (n < 0) {
      counters.add(counters.errors, 1);
      return;
    }
    counters.add(counters.bytes_in, std::uint64_t(n));
    in.commit(std::size_t(n));

    out.clear();
    proto::HttpSession::Step step = session.on_data(in.view(), out);
    in.consume(step.consumed);
    if (!out.empty()) {
      counters.add(counters.requests, step.responses);  // before the write, as for echo
      if (!write_all(fd, out.data(), out.size())) {
        counters.requests.fetch_sub(step.responses, std::memory_order_relaxed);
        counters.add(counters.errors, 1);
        return;
      }
      counters.add(counters.bytes_out, out.size());
    }
    if (step.error) counters.add(counters.errors, 1);
    if (step.close) return;
  }
}

}  // namespace

bench::ServeMeter::Totals ServeCounters::snapshot() const {
  bench::ServeMeter::Totals t;
  t.requests = requests.load(std::memory_order_relaxed);
  t.connections = connections.load(std::memory_order_relaxed);
  t.errors = errors.load(std::memory_order_relaxed);
  t.bytes_in = bytes_in.load(std::memory_order_relaxed);
  t.bytes_out = bytes_out.load(std::memory_order_relaxed);
  return t;
}

void serve_connection(int fd, const ServeContext& context) {
  if (context.proto == bench::Proto::http) {
    serve_http(fd, *context.responses, *context.counters);
  } else {
    serve_echo(fd, *context.counters);
  }
  ::close(fd);
}

}  // namespace std_backend
