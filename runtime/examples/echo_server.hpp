// The echo server of the echo and sqpoll examples: accept → read → write back, until SIGINT/SIGTERM.
//
// Two ways to serve a connection:
//  - plain: read whatever arrived, write it all back, repeat;
//  - linked (--message-size B): recv and send are one IOSQE_IO_LINK chain, so the kernel starts the
//    send the moment the recv completes, without a trip back to us. That needs the size up front:
//    the send is prepared before the recv has run, so it can only say "send B bytes of this buffer".
//    A plain recv may legitimately return fewer bytes than asked (TCP has no message boundaries),
//    and would not break the chain: the send would then echo B bytes, of which only the first few
//    are fresh, the rest stale from an earlier message. With MSG_WAITALL the kernel keeps receiving
//    until all B bytes are there, and only then counts the recv as complete; anything shorter (the
//    peer closed mid-message, or an error) fails the chain and the send reports ECANCELED without
//    sending. We then echo the bytes we did get ourselves.
#pragma once

#include <sys/socket.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "net_example_util.hpp"
#include "ringcore/ringcore.hpp"

namespace example {

struct EchoCounters {
  std::uint64_t connections = 0;
  std::uint64_t bytes = 0;           // echoed back
  std::uint64_t chains = 0;          // linked recv → send pairs submitted
  std::uint64_t finished_by_hand = 0;  // chains broken by a short recv (or cut short send), completed by us
  std::uint64_t resets = 0;          // connections the client reset (or left while we wrote)
  std::uint64_t errors = 0;          // connections ended by any other error
  std::uint64_t accept_errors = 0;   // EMFILE and friends

  void count_error(std::error_code e) { ++(peer_went_away(e) ? resets : errors); }
};

inline ringcore::task<void> echo_plain(ringcore::TcpStream s, EchoCounters& counters) {
  constexpr std::size_t kBufferSize = 64 * 1024;
  auto buf = std::make_unique_for_overwrite<char[]>(kBufferSize);
  for (;;) {
    auto got = co_await s.read(buf.get(), kBufferSize);
    if (!got) co_return counters.count_error(got.error());
    if (*got == 0) co_return;  // the peer closed its side: we are done too
    auto sent = co_await s.write_all(buf.get(), *got);  // short sends continue inside the op
    if (!sent) co_return counters.count_error(sent.error());
    counters.bytes += *got;
  }
}

inline ringcore::task<void> echo_linked(ringcore::TcpStream s, std::size_t message_size, EchoCounters& counters) {
  auto buf = std::make_unique_for_overwrite<char[]>(message_size);
  const auto len = unsigned(message_size);
  for (;;) {
    // MSG_WAITALL on the send too: the kernel then retries a partial send itself.
    auto [got, sent] = co_await ringcore::link(ringcore::RecvOp(s.fd(), buf.get(), len, MSG_WAITALL, s.fixed()),
                                               ringcore::SendOp(s.fd(), buf.get(), len, MSG_WAITALL, s.fixed()));
    ++counters.chains;
    if (!got) co_return counters.count_error(got.error());
    if (*got == 0) co_return;  // end of stream at a message boundary (the send was cancelled)
    if (!sent && sent.error() != std::errc::operation_canceled) co_return counters.count_error(sent.error());
    std::size_t already = sent ? *sent : 0;
    if (already < *got) {  // a short recv broke the chain (or the send was cut short)
      ++counters.finished_by_hand;
      auto rest = co_await s.write_all(buf.get() + already, *got - already);
      if (!rest) co_return counters.count_error(rest.error());
    }
    counters.bytes += *got;
    // After a short recv the next one sees the end of the stream (or the error) and ends the loop.
  }
}

// One multishot accept request serves every connection; on EMFILE and the like back off 10 ms and
// re-arm, rather than spin on an error the kernel will keep returning.
inline ringcore::task<void> accept_echo_connections(ringcore::TcpListener& listener, std::size_t message_size,
                                                    EchoCounters& counters) {
  ringcore::Acceptor incoming = listener.incoming();
  for (;;) {
    auto fd = co_await incoming.next();
    if (!fd) {
      ++counters.accept_errors;
      co_await ringcore::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    ++counters.connections;
    ringcore::TcpStream stream(*fd);
    if (message_size > 0) ringcore::spawn(echo_linked(std::move(stream), message_size, counters));
    else ringcore::spawn(echo_plain(std::move(stream), counters));
  }
}

// Serves until SIGINT/SIGTERM, then prints one summary line. What is still in flight is cancelled
// by the runtime when it ends.
inline ringcore::task<int> serve_echo(const char* prog, ringcore::TcpListener& listener, ringcore::SignalSet& signals,
                                      std::size_t message_size) {
  EchoCounters counters;
  ringcore::spawn(accept_echo_connections(listener, message_size, counters));
  auto sig = co_await signals.wait();
  const auto& ring = ringcore::Runtime::current().ring().stats();
  std::printf("%s: %s; %llu connections, %llu bytes echoed, %llu linked chains (%llu finished by hand), "
              "%llu resets, %llu errors, %llu accept errors; %llu SQEs in %llu io_uring_enter calls; cpu %.3f s\n",
              prog, sig ? strsignal(*sig) : "signal wait failed", (unsigned long long)counters.connections,
              (unsigned long long)counters.bytes, (unsigned long long)counters.chains,
              (unsigned long long)counters.finished_by_hand, (unsigned long long)counters.resets,
              (unsigned long long)counters.errors,
              (unsigned long long)counters.accept_errors, (unsigned long long)ring.sqes_submitted,
              (unsigned long long)ring.enters, cpu_seconds());
  std::fflush(stdout);
  co_return 0;
}

}  // namespace example
