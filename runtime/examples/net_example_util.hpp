// What the network examples share: number and --bind/--port flag parsing, binding with one clear
// line when the address is taken, the "listening on ADDR:PORT" line that tests and scripts wait
// for, and the CPU time the process used (for the summary lines).
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <charconv>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "ringcore/ringcore.hpp"

namespace example {

// A decimal number in [min, max], nothing else (no sign, no suffix, no trailing junk).
inline std::optional<unsigned long long> parse_number(std::string_view text, unsigned long long min,
                                                      unsigned long long max) {
  unsigned long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < min || v > max) return std::nullopt;
  return v;
}

// Walks argv flag by flag; value() takes the argument after the current flag.
class Args {
 public:
  Args(int argc, char** argv) : argc_(argc), argv_(argv) {}
  bool next() { return ++i_ < argc_; }
  std::string_view flag() const { return argv_[i_]; }
  // The flag's value, or nothing when the command line ends first.
  std::optional<std::string_view> value() {
    if (i_ + 1 >= argc_) return std::nullopt;
    return std::string_view(argv_[++i_]);
  }
  // The flag's value as a number in [min, max].
  std::optional<unsigned long long> number(unsigned long long min, unsigned long long max) {
    auto v = value();
    return v ? parse_number(*v, min, max) : std::nullopt;
  }

 private:
  int argc_;
  char** argv_;
  int i_ = 0;
};

struct ListenFlags {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;
};

// Handles --bind/--port. Returns false when the current flag is neither; sets `error` when its
// value is missing or invalid.
inline bool parse_listen_flag(Args& args, ListenFlags& flags, std::string& error) {
  if (args.flag() == "--port") {
    auto port = args.number(0, 65535);
    if (!port) error = "--port needs a number 0..65535";
    else flags.port = std::uint16_t(*port);
    return true;
  }
  if (args.flag() == "--bind") {
    auto addr = args.value();
    if (!addr || !ringcore::SocketAddress::parse(*addr, 0))
      error = "--bind needs an IP address such as 127.0.0.1 or ::1";
    else flags.bind = std::string(*addr);
    return true;
  }
  return false;
}

// Binds and listens, or prints "<prog>: cannot listen on ADDR:PORT: <reason>" and returns nothing.
// TCP_NODELAY is set on the listening socket: Linux copies it into every accepted socket, so
// small responses leave at once without one setsockopt per connection (and it also reaches
// connections accepted straight into the registered file table, which have no descriptor).
inline std::optional<ringcore::TcpListener> listen_or_report(const char* prog, const ListenFlags& flags) {
  auto address = ringcore::SocketAddress::parse(flags.bind, flags.port);
  auto listener =
      address ? ringcore::TcpListener::bind(*address) : ringcore::Result<ringcore::TcpListener>(address.error());
  if (!listener) {
    std::string where = address ? address->to_string() : flags.bind;
    std::fprintf(stderr, "%s: cannot listen on %s: %s\n", prog, where.c_str(), listener.error().message().c_str());
    return std::nullopt;
  }
  int one = 1;
  ::setsockopt(listener->fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return std::move(*listener);
}

// The line tests and scripts wait for, flushed at once: stdout is usually a pipe.
inline void announce(const ringcore::TcpListener& listener) {
  std::printf("listening on %s\n", listener.local_address().to_string().c_str());
  std::fflush(stdout);
}

// A client that resets the connection, or is gone when we write, is how load generators such as
// wrk end their connections: the summaries count it apart from real errors.
// (Compared by value and category address: comparing with std::errc, or categories with ==, is a
// member call on a polymorphic object, which UBSan checks by probing memory through a pipe: a
// server out of descriptors has none to spare, and UBSan would report a false error.)
inline bool peer_went_away(std::error_code e) {
  return &e.category() == &std::system_category() && (e.value() == ECONNRESET || e.value() == EPIPE);
}

// User + system CPU seconds of the whole process. io_uring's kernel threads (io-wq workers, the
// SQPOLL thread) belong to the process, so their time is included: the figure is comparable with
// another server's CPU time.
inline double cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

}  // namespace example
