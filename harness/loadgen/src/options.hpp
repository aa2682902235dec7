// The load generator's command line (see `loadgen --help`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

enum class Proto { echo, http };
enum class Mode { keepalive, reconnect };

struct Options {
  std::string host = "127.0.0.1";   // any IPv4 or IPv6 literal
  std::uint16_t port = 0;
  Proto proto = Proto::echo;
  std::uint64_t size = 0;             // echo: message bytes (64); http: expected body bytes (13)
  Mode mode = Mode::keepalive;
  std::uint32_t connections = 1;
  std::uint64_t requests = 1;         // per connection (keepalive) or per slot (reconnect)
  std::int64_t duration_ms = 0;       // > 0: throughput mode, loop until this much time has passed
  std::uint32_t pipeline = 1;         // requests outstanding per connection
  std::int64_t timeout_ms = 30'000;   // bounds the whole run
  std::string target = "/";
  // Open loop (--rate): requests/s over all connections on a fixed schedule; 0 is closed loop.
  std::uint64_t rate = 0;
  std::int64_t lag_limit_us = 1'000;  // a send the generator itself delayed by more than this is late
};

struct ParseOutcome {
  enum class Kind { run, help, usage_error } kind = Kind::run;
  std::string message;  // usage_error: the one-line reason
};

ParseOutcome parse_options(int argc, char** argv, Options& out);

extern const char* const kUsage;

}  // namespace loadgen
