#include "options.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <limits>

namespace loadgen {

const char* const kUsage =
    "usage: loadgen --port N [--host ADDR] --proto echo|http [--size B]\n"
    "               [--mode keepalive|reconnect] [--connections C] [--requests N | --duration-ms D]\n"
    "               [--pipeline P] [--timeout-ms T] [--target /path] [--rate R [--lag-limit-us L]]\n"
    "\n"
    "The one network client every benchmark server faces; it verifies every reply.\n"
    "  --host ADDR      the server's IPv4 or IPv6 address (default 127.0.0.1)\n"
    "  --proto echo     each request is B bytes (default 64) of a pattern that depends on the connection,\n"
    "                   the request number and the byte index; the reply must be exactly those bytes\n"
    "  --proto http     GET <target> HTTP/1.1; the reply must be status 200 with a body equal to\n"
    "                   proto::make_hello_body(B) (default 13: \"Hello, World!\")\n"
    "  --mode keepalive C connections opened at once, N requests each on the same connection (default)\n"
    "  --mode reconnect C slots in parallel, each N times: connect, one request, full reply, close\n"
    "  --requests N     requests per connection or slot (default 1)\n"
    "  --duration-ms D  instead of --requests: keep going for D ms, then finish what is in flight\n"
    "  --pipeline P     keepalive: up to P requests outstanding per connection (default 1)\n"
    "  --timeout-ms T   bound on the whole run (default 30000, or D + 30000 with --duration-ms);\n"
    "                   whatever is unfinished then is a timeout error\n"
    "  --rate R         open loop (keepalive only): R requests/s in total, each connection on its own fixed\n"
    "                   schedule of R/C per second, phased so the whole run sends one request every 1/R s.\n"
    "                   The schedule starts once every connection is open. A request is sent when due if\n"
    "                   its connection has fewer than P outstanding, else as soon as a reply makes room.\n"
    "                   --requests N: N scheduled requests per connection; --duration-ms D: every request\n"
    "                   scheduled in the first D ms (all are sent and verified, however late).\n"
    "  --lag-limit-us L open loop: a request the generator itself sent more than L us (default 1000) after\n"
    "                   it could have (due, and its connection free) counts as behind schedule\n"
    "Sizes take K and M suffixes (powers of two).\n"
    "Latency: from the request's first write (reconnect: from connect()) to its reply's last byte; with\n"
    "--rate also corrected: from the moment the request was scheduled (no coordinated omission).\n"
    "An error ends its connection: keepalive gives up that connection's remaining requests, reconnect goes on\n"
    "with the slot's next request. The first error is described on stderr.\n"
    "Prints one JSON line: requests (verified), errors (= connect_errors + timeouts + mismatches + resets and\n"
    "early closes), elapsed_ns (first connect to last reply; open loop: schedule start to last reply),\n"
    "lat_p50/p90/p99/p999/p9999/max_ns (from the actual send), bytes_sent, bytes_received, client_cpu_ns,\n"
    "first_error; open loop adds offered_rps, achieved_rps, clat_p50/p90/p99/p999/p9999/max_ns (corrected),\n"
    "behind_requests (sent late by more than L us through the generator's own fault), behind_share\n"
    "(behind_requests / requests), client_lag_p99_ns and client_lag_max_ns (that lag over all requests) and server_wait_max_ns (the\n"
    "longest a due request waited for its connection's outstanding replies: the server's share).\n"
    "Exit 0 when errors == 0, 1 otherwise, 2 on a bad command line.\n";

namespace {

bool parse_number(std::string_view text, std::uint64_t& out, bool allow_suffix) {
  std::uint64_t mult = 1;
  if (allow_suffix && !text.empty()) {
    char last = text.back();
    if (last == 'K' || last == 'k') mult = 1ULL << 10;
    if (last == 'M' || last == 'm') mult = 1ULL << 20;
    if (mult != 1) text.remove_suffix(1);
  }
  if (text.empty()) return false;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v > UINT64_MAX / mult) return false;
  out = v * mult;
  return true;
}

}  // namespace

ParseOutcome parse_options(int argc, char** argv, Options& o) {
  auto usage = [](std::string msg) { return ParseOutcome{ParseOutcome::Kind::usage_error, std::move(msg)}; };
  bool port_set = false, proto_set = false, size_set = false, requests_set = false, duration_set = false,
       timeout_set = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") return {ParseOutcome::Kind::help, {}};
    if (flag.substr(0, 2) != "--") return usage("unexpected argument '" + std::string(flag) + "'");
    if (flag != "--port" && flag != "--host" && flag != "--proto" && flag != "--size" && flag != "--mode" &&
        flag != "--connections" && flag != "--requests" && flag != "--duration-ms" && flag != "--pipeline" &&
        flag != "--timeout-ms" && flag != "--target" && flag != "--rate" && flag != "--lag-limit-us")
      return usage("unknown flag '" + std::string(flag) + "'");
    if (i + 1 >= argc) return usage(std::string(flag) + " needs a value");
    std::string_view value = argv[++i];
    // A numeric flag within [lo, hi]; sizes may carry K/M suffixes.
    auto number = [&](std::uint64_t lo, std::uint64_t hi, std::uint64_t& out, bool suffix = false) {
      return parse_number(value, out, suffix) && out >= lo && out <= hi;
    };
    auto range_error = [&](std::uint64_t lo, std::uint64_t hi) {
      return usage(std::string(flag) + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                   ", got '" + std::string(value) + "'");
    };
    std::uint64_t n = 0;
    if (flag == "--port") {
      if (!number(1, 65535, n)) return range_error(1, 65535);
      o.port = std::uint16_t(n);
      port_set = true;
    } else if (flag == "--host") {
      std::string host(value);
      unsigned char addr[sizeof(in6_addr)];
      if (::inet_pton(AF_INET, host.c_str(), addr) != 1 && ::inet_pton(AF_INET6, host.c_str(), addr) != 1)
        return usage("--host must be an IPv4 or IPv6 address, got '" + host + "'");
      o.host = std::move(host);
    } else if (flag == "--proto") {
      if (value == "echo") o.proto = Proto::echo;
      else if (value == "http") o.proto = Proto::http;
      else return usage("--proto must be echo or http, got '" + std::string(value) + "'");
      proto_set = true;
    } else if (flag == "--size") {
      if (!number(1, 64ULL << 20, n, true)) return range_error(1, 64ULL << 20);
      o.size = n;
      size_set = true;
    } else if (flag == "--mode") {
      if (value == "keepalive") o.mode = Mode::keepalive;
      else if (value == "reconnect") o.mode = Mode::reconnect;
      else return usage("--mode must be keepalive or reconnect, got '" + std::string(value) + "'");
    } else if (flag == "--connections") {
      if (!number(1, 1'000'000, n)) return range_error(1, 1'000'000);
      o.connections = std::uint32_t(n);
    } else if (flag == "--requests") {
      if (!number(1, 1ULL << 40, n)) return range_error(1, 1ULL << 40);
      o.requests = n;
      requests_set = true;
    } else if (flag == "--duration-ms") {
      if (!number(1, 86'400'000, n)) return range_error(1, 86'400'000);
      o.duration_ms = std::int64_t(n);
      duration_set = true;
    } else if (flag == "--pipeline") {
      if (!number(1, 1024, n)) return range_error(1, 1024);
      o.pipeline = std::uint32_t(n);
    } else if (flag == "--timeout-ms") {
      if (!number(1, 86'400'000, n)) return range_error(1, 86'400'000);
      o.timeout_ms = std::int64_t(n);
      timeout_set = true;
    } else if (flag == "--rate") {
      if (!number(1, 100'000'000, n)) return range_error(1, 100'000'000);
      o.rate = n;
    } else if (flag == "--lag-limit-us") {
      if (!number(1, 60'000'000, n)) return range_error(1, 60'000'000);
      o.lag_limit_us = std::int64_t(n);
    } else if (flag == "--target") {
      if (value.empty() || value.front() != '/') return usage("--target must start with '/'");
      for (unsigned char c : value)
        if (c <= 0x20 || c >= 0x7f) return usage("--target must be visible ASCII without spaces");
      o.target = std::string(value);
    }
  }
  if (!port_set) return usage("--port is required");
  if (!proto_set) return usage("--proto is required (echo or http)");
  if (requests_set && duration_set) return usage("--requests and --duration-ms exclude each other");
  if (o.mode == Mode::reconnect && o.pipeline != 1) return usage("--pipeline needs --mode keepalive");
  if (o.rate > 0 && o.mode != Mode::keepalive) return usage("--rate needs --mode keepalive");
  if (!size_set) o.size = o.proto == Proto::http ? 13 : 64;
  if (duration_set) {
    if (!timeout_set) o.timeout_ms = o.duration_ms + 30'000;
    if (o.timeout_ms <= o.duration_ms) return usage("--timeout-ms must exceed --duration-ms");
    o.requests = 0;
  }
  return {};
}

}  // namespace loadgen
