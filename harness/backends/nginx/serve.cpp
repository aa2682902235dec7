// serve --proto http: picks a port, writes nginx.conf into a fresh temporary directory, runs nginx,
// says "ready N" once it answers, and on SIGTERM/SIGINT stops it and prints its counters.
#include "serve.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "child_serve_meter.hpp"
#include "free_port.hpp"
#include "nginx_config.hpp"
#include "nginx_process.hpp"
#include "nginx_status.hpp"
#include "protocol/http.hpp"
#include "temp_dir.hpp"

namespace nginx_backend {
namespace {

using namespace std::chrono_literals;

constexpr const char* kNginxBinary = "/usr/sbin/nginx";
constexpr auto kReadyTimeout = 5000ms;
constexpr auto kReadyPoll = 10ms;
// A port picked free can be taken before nginx binds it; nginx then retries bind() itself for
// about 2.5 s and exits. Pick another port this many times in all.
constexpr int kStartAttempts = 3;

// nginx preallocates its connection table; size it to what the process may open (listening
// socket and logs included), as the other servers are bounded only by RLIMIT_NOFILE.
unsigned worker_connections() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 65536;
  return unsigned(std::clamp<rlim_t>(rl.rlim_cur, 1024, 65536));
}

bool file_contains(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.find(needle) != std::string::npos;
}

// What nginx said last, for a failure message.
std::string nginx_said(const TempDir& dir) {
  std::string line = last_line_of(dir.file("error.log"));
  if (line.empty()) line = last_line_of(dir.file("nginx.stderr"));
  return line.empty() ? "" : " (" + line + ")";
}

// The counters line's requests and connections, from nginx's own counts less the wrapper's: the
// readiness probe (one connection, one request: wait_until_ready returns at the first answer) and
// the status query itself. Without counts, zeros: the runner then uses the load generator's count.
// Bytes and errors are not in stub_status: zeros too.
bench::ServeMeter::Totals served(const std::optional<NginxCounts>& counts) {
  constexpr std::uint64_t kProbeConnections = 1, kProbeRequests = 1, kStatusConnections = 1, kStatusRequests = 1;
  bench::ServeMeter::Totals totals;
  if (!counts) return totals;
  const std::uint64_t own_connections = kProbeConnections + kStatusConnections;
  const std::uint64_t own_requests = kProbeRequests + kStatusRequests;
  totals.connections = counts->accepted > own_connections ? counts->accepted - own_connections : 0;
  totals.requests = counts->requests > own_requests ? counts->requests - own_requests : 0;
  return totals;
}

enum class Startup { ready, exited, timed_out, interrupted };

// nginx writes its pid file only after it has bound and opened its listening sockets.
bool pid_file_names(const TempDir& dir, pid_t pid) {
  std::ifstream in(dir.file("nginx.pid"));
  long written = 0;
  return (in >> written) && written == long(pid);
}

// Polls until nginx answers a request, it exits, the time is up, or we are told to stop. Its CPU
// clock is read then, as the start of serving: a connect alone succeeds while nginx is still setting
// up, and that set-up (3-5 ms of CPU) was charged to serving, most visibly in 10-request bursts. The
// answer could come from another process that took the port; the pid file says the listener is nginx's.
Startup wait_until_ready(NginxProcess& nginx, const StopSignals& signals, const TempDir& dir,
                         const sockaddr_storage& address, socklen_t len) {
  auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
  for (;;) {
    if (nginx.exited()) return Startup::exited;
    if (pid_file_names(dir, nginx.pid()) && answers_http(address, len)) return Startup::ready;
    if (std::chrono::steady_clock::now() >= deadline) return Startup::timed_out;
    int sig = signals.wait(kReadyPoll);
    if (sig == SIGTERM || sig == SIGINT) return Startup::interrupted;
  }
}

}  // namespace

int serve(const bench::ServeOptions& options) {
  if (options.proto != bench::Proto::http) return bench::skip("nginx is an HTTP-only reference");
  if (::access(kNginxBinary, X_OK) != 0) return bench::skip("nginx is not installed");
  sockaddr_storage address{};
  socklen_t address_len = 0;
  if (!make_address(options.bind, options.port, address, address_len))
    return bench::fail("bad --bind address '" + options.bind + "'");

  StopSignals signals;  // before the fork: no window in which a SIGTERM kills us and leaves nginx
  std::string error;
  TempDir dir(error);
  if (dir.path().empty()) return bench::fail(error);
  NginxSite site{dir.path(), "", options.size, worker_connections(), dir.file("status.sock")};
  if (options.size > kMaxInlineBody && !write_file(dir.file(kBodyFile), proto::make_hello_body(options.size)))
    return bench::fail("write " + dir.file(kBodyFile) + " failed");

  for (int attempt = 1;; ++attempt) {
    std::uint16_t port = options.port != 0 ? options.port : pick_free_port(address, address_len);
    if (port == 0) return bench::fail("no free port on " + options.bind);
    reinterpret_cast<sockaddr_in*>(&address)->sin_port = htons(port);  // same offset in sockaddr_in6
    site.listen = listen_address(options.bind, port);
    if (!write_file(dir.file("nginx.conf"), render_config(site))) return bench::fail("write nginx.conf failed");
    ::unlink(dir.file("error.log").c_str());  // each attempt's own messages
    ::unlink(site.status_socket.c_str());     // left by an attempt that failed

    NginxProcess nginx(kNginxBinary, dir.path(), signals, error);
    if (!nginx.started()) return bench::fail(error);
    switch (wait_until_ready(nginx, signals, dir, address, address_len)) {
      case Startup::ready:
        break;
      case Startup::exited: {
        bool port_taken = file_contains(dir.file("error.log"), "Address already in use");
        if (port_taken && options.port == 0 && attempt < kStartAttempts) continue;
        if (file_contains(dir.file("error.log"), "unknown directive \"stub_status\"") && attempt < kStartAttempts) {
          site.status_socket.clear();  // an nginx built without stub_status: serve without counts
          continue;
        }
        return bench::fail("nginx " + describe_wait_status(*nginx.exited()) + " before accepting on " + site.listen +
                           nginx_said(dir));
      }
      case Startup::timed_out:
        return bench::fail("nginx did not accept on " + site.listen + " within 5 s" + nginx_said(dir));
      case Startup::interrupted:
        return bench::fail("stopped before nginx was ready");
    }

    ChildServeMeter meter;
    meter.ready(port, nginx.pid());
    for (;;) {
      int sig = signals.wait(3600s);  // SIGCHLD wakes us if nginx dies
      if (sig == SIGTERM || sig == SIGINT) break;
      if (auto status = nginx.exited())
        return bench::fail("nginx " + describe_wait_status(*status) + " while serving" + nginx_said(dir));
    }
    // The status query comes first: nginx answers it after whatever it still had queued (the
    // client's last closes, say), as an in-process server handles those before its stop signal.
    // Read at SIGTERM instead, nginx's CPU per request in 1,000-connection bursts fell from ~31 to
    // ~23 us: the wrapper had cut nginx off mid-work. Its graceful stop and exit are not counted.
    std::optional<NginxCounts> counts;
    if (!site.status_socket.empty()) counts = query_status(site.status_socket);
    meter.stopping(nginx.pid());
    nginx.stop();
    meter.report(served(counts));
    return bench::kExitOk;
  }
}

}  // namespace nginx_backend
