// file_server --root DIR: serves the files under DIR over HTTP/1.1 (GET and HEAD, keep-alive,
// pipelining; the suite's shared request parser). Each file goes out in 64 KiB chunks, each chunk
// a linked read → send pair (IOSQE_IO_LINK): the file's length is known, so each read's length is
// too, and a short read (the file shrank meanwhile) fails the chain instead of sending stale bytes.
//
// Security is the point of this example. A request can only reach files beneath the root:
//  1. file_server_path.cpp turns the target into a relative path or refuses it (403 for "..",
//     encoded slashes, backslashes, NUL bytes, "//", dot-files; 400 for what is not a path);
//  2. the kernel opens that path with openat2(root, path, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)
//     (file_server_open.hpp): if resolving it would ever leave the root, through ".." or a symlink
//     (absolute, or relative and climbing out), or pass through a /proc "magic link", the open
//     fails with EXDEV/ELOOP and we answer 403. We chose openat2 over realpath() plus a prefix
//     check because that check is a race: a symlink swapped in between the check and the open
//     wins. openat2 checks during the very lookup that opens the file (Linux 5.6+; without it we
//     refuse to start);
//  3. only regular files are served: directories get 403 (no listings), and FIFOs or devices are
//     opened non-blocking so they cannot stall the server before we refuse them.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

#include "example_util.hpp"
#include "file_server_open.hpp"
#include "file_server_path.hpp"
#include "http_example_util.hpp"
#include "net_example_util.hpp"
#include "protocol/http.hpp"
#include "ringcore/ringcore.hpp"

namespace {

constexpr const char* kUsage =
    "usage: file_server --root DIR [--bind ADDR] [--port N]\n"
    "  Serves the regular files under DIR over HTTP/1.1 (GET, HEAD) until SIGINT/SIGTERM, then prints\n"
    "  a one-line summary and exits 0. Paths that would leave DIR get 403; missing files 404;\n"
    "  a path ending in / serves that directory's index.html; directories are never listed.\n"
    "  --root DIR      the directory to serve (required)\n"
    "  --bind ADDR     address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
    "  --port N        port (default 0: the kernel picks one; \"listening on ADDR:PORT\" names it)\n";

constexpr std::size_t kChunk = 64 * 1024;

std::string_view content_type(std::string_view path) {
  std::size_t dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "css") return "text/css";
  if (ext == "js") return "text/javascript";
  if (ext == "json") return "application/json";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

struct Counters {
  std::uint64_t connections = 0, requests = 0;
  std::uint64_t ok = 0, forbidden = 0, not_found = 0, bad = 0, other = 0;  // by status
  std::uint64_t body_bytes = 0;
  std::uint64_t aborted = 0;  // connections closed mid-response (client gone, or a file changed under us)
  std::uint64_t resets = 0;   // connections the client reset while we waited for a request
  std::uint64_t errors = 0;   // connections ended by any other error
};

struct Site {
  int root_fd;
  proto::HttpLimits limits;
  Counters counters;
};

void count_status(Counters& c, int status) {
  ++c.requests;
  if (status == 200) ++c.ok;
  else if (status == 403) ++c.forbidden;
  else if (status == 404) ++c.not_found;
  else if (status == 400 || status == 405 || status == 413 || status == 414 || status == 431) ++c.bad;
  else ++c.other;
}

enum class After { keep_open, close, abort };  // abort: the response is broken, close at once

void append_file_head(std::string& out, std::string_view type, std::uint64_t length, bool keep_alive) {
  out += "HTTP/1.1 200 OK\r\nServer: ringcore-file-server\r\nContent-Type: ";
  out += type;
  out += "\r\nContent-Length: ";
  out += std::to_string(length);
  out += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
}

// Sends `data` whole (short sends continue inside the op, without resuming us).
ringcore::task<bool> send_whole(ringcore::TcpStream& s, std::string_view data) {
  auto sent = co_await s.write_all(data.data(), data.size());
  co_return bool(sent);
}

// The head in front of the first chunk, then chunk after chunk, each a linked read → send.
ringcore::task<After> send_file(ringcore::TcpStream& s, ringcore::File& file, std::uint64_t size, std::string_view head,
                                char* chunk, Counters& counters) {
  std::memcpy(chunk, head.data(), head.size());
  std::size_t prefix = head.size();
  if (size == 0) co_return co_await send_whole(s, {chunk, prefix}) ? After::keep_open : After::abort;
  for (std::uint64_t offset = 0; offset < size;) {
    std::size_t n = std::size_t(std::min<std::uint64_t>(kChunk - prefix, size - offset));
    auto [got, sent] = co_await ringcore::link(
        file.read_at(chunk + prefix, n, offset),
        ringcore::SendOp(s.fd(), chunk, unsigned(prefix + n), MSG_WAITALL, s.fixed()));
    // A short read means the file shrank since we sent its length: the response cannot be
    // completed; closing tells the client (its body is short).
    if (!got || *got != n) co_return After::abort;
    if (!sent && sent.error() != std::errc::operation_canceled) co_return After::abort;
    std::size_t already = sent ? *sent : 0;
    if (already < prefix + n && !co_await send_whole(s, {chunk + already, prefix + n - already}))
      co_return After::abort;
    counters.body_bytes += n;
    offset += n;
    prefix = 0;
  }
  co_return After::keep_open;
}

// Answers one request; `out` is the connection's reusable string for heads and short responses.
ringcore::task<After> respond(ringcore::TcpStream& s, Site& site, const proto::HttpRequest& request, char* chunk,
                              std::string& out) {
  Counters& counters = site.counters;
  const bool keep_alive = request.keep_alive;
  out.clear();
  auto short_response = [&](int status, bool keep) {  // "404 Not Found" and the like
    count_status(counters, status);
    std::string body(proto::reason_phrase(status));
    body += '\n';
    proto::append_response(out, status, "text/plain", body, keep);
  };
  const bool head_only = request.method == "HEAD";
  if (request.method != "GET" && !head_only) {
    short_response(405, false);
    co_return co_await send_whole(s, out) ? After::close : After::abort;
  }
  file_server::SafePath safe = file_server::safe_relative_path(request.target);
  int status = safe.status;
  ringcore::File file;
  struct statx st {};
  if (status == 0) {
    auto fd = co_await file_server::OpenBeneathOp(site.root_fd, safe.relative.c_str());
    if (!fd) status = file_server::status_for_open_error(fd.error());
    else file = ringcore::File(*fd);
  }
  if (status == 0) {
    auto r = co_await ringcore::fstatx(file.fd(), &st, STATX_TYPE | STATX_SIZE);
    if (!r) status = 500;
    else if (!S_ISREG(st.stx_mode)) status = 403;  // a directory (no listings), FIFO, device...
    // O_NONBLOCK was for the open only (a FIFO would have blocked it); reads of a regular file
    // should wait for the disk, not fail with EAGAIN.
    else if (::fcntl(file.fd(), F_SETFL, 0) != 0) status = 500;
  }
  if (status != 0) {
    bool keep = keep_alive && status != 400;
    short_response(status, keep);
    if (!co_await send_whole(s, out)) co_return After::abort;
    co_return keep ? After::keep_open : After::close;
  }
  count_status(counters, 200);
  append_file_head(out, content_type(safe.relative), st.stx_size, keep_alive);
  After after;
  if (head_only) after = co_await send_whole(s, out) ? After::keep_open : After::abort;
  else after = co_await send_file(s, file, st.stx_size, out, chunk, counters);
  if (after == After::keep_open && !keep_alive) after = After::close;
  co_return after;
}

ringcore::task<void> serve_connection(ringcore::TcpStream s, Site& site) {
  Counters& counters = site.counters;
  example::InputBuffer in(4096, example::max_request_bytes(site.limits));
  auto chunk = std::make_unique_for_overwrite<char[]>(kChunk);
  std::string out;
  for (;;) {
    // Answer every complete request received so far, in order.
    for (;;) {
      auto parsed = proto::parse_request(in.bytes(), site.limits);
      if (parsed.status == proto::ParseStatus::incomplete) break;
      After after;
      if (parsed.status == proto::ParseStatus::error) {
        count_status(counters, parsed.error_status);
        out.clear();
        proto::append_error(out, parsed.error_status);
        after = co_await send_whole(s, out) ? After::close : After::abort;
      } else {
        after = co_await respond(s, site, parsed.request, chunk.get(), out);
        in.consume(parsed.request.length);
      }
      if (after == After::abort) {
        ++counters.aborted;
        co_return;
      }
      if (after == After::close) {
        co_await example::lingering_close(s);
        co_return;
      }
    }
    if (!in.reserve()) {  // cannot happen: the parser refuses requests this long first
      ++counters.errors;
      co_return;
    }
    auto n = co_await s.read(in.space(), in.space_size());
    if (!n) {
      ++(example::peer_went_away(n.error()) ? counters.resets : counters.errors);
      co_return;
    }
    if (*n == 0) co_return;
    in.commit(*n);
  }
}

ringcore::task<void> accept_connections(ringcore::TcpListener& listener, Site& site) {
  ringcore::Acceptor incoming = listener.incoming();
  for (;;) {
    auto fd = co_await incoming.next();
    if (!fd) {  // EMFILE and the like: back off, then next() re-arms the request
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ++site.counters.connections;
    ringcore::spawn(serve_connection(ringcore::TcpStream(*fd), site));
  }
}

ringcore::task<int> serve(ringcore::TcpListener& listener, ringcore::SignalSet& signals, Site& site) {
  ringcore::spawn(accept_connections(listener, site));
  auto sig = co_await signals.wait();
  const Counters& c = site.counters;
  std::printf("file_server: %s; %llu connections, %llu requests: %llu ok, %llu forbidden, %llu not found, %llu bad, "
              "%llu other; %llu body bytes sent; %llu aborted, %llu resets, %llu errors\n",
              sig ? strsignal(*sig) : "signal wait failed", (unsigned long long)c.connections,
              (unsigned long long)c.requests, (unsigned long long)c.ok, (unsigned long long)c.forbidden,
              (unsigned long long)c.not_found, (unsigned long long)c.bad, (unsigned long long)c.other,
              (unsigned long long)c.body_bytes, (unsigned long long)c.aborted, (unsigned long long)c.resets,
              (unsigned long long)c.errors);
  std::fflush(stdout);
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (example::wants_help(argc, argv, kUsage)) return 0;
  example::ListenFlags listen;
  std::string root;
  example::Args args(argc, argv);
  while (args.next()) {
    std::string error;
    if (example::parse_listen_flag(args, listen, error)) {
      if (!error.empty()) return example::usage_error("file_server", error, kUsage);
    } else if (args.flag() == "--root") {
      auto dir = args.value();
      if (!dir || dir->empty()) return example::usage_error("file_server", "--root needs a directory", kUsage);
      root = std::string(*dir);
    } else {
      return example::usage_error("file_server", "unknown argument " + std::string(args.flag()), kUsage);
    }
  }
  if (root.empty()) return example::usage_error("file_server", "--root DIR is required", kUsage);
  return example::guarded("file_server", [&] {
    int root_fd = file_server::open_root(root.c_str());
    if (root_fd < 0) return 1;
    struct CloseRoot {
      int fd;
      ~CloseRoot() { ::close(fd); }
    } close_root{root_fd};
    ringcore::SignalSet signals{SIGINT, SIGTERM};
    auto listener = example::listen_or_report("file_server", listen);
    if (!listener) return 1;
    Site site{root_fd, {}, {}};
    ringcore::Runtime runtime;
    example::announce(*listener);
    return runtime.run(serve(*listener, signals, site));
  });
}
