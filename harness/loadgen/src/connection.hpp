// One connection of keepalive mode, or one slot of reconnect mode (a succession of sockets).
// Requests on a socket form one byte stream: request k of it occupies bytes [k*L, (k+1)*L).
#pragma once

#include <cstdint>
#include <string_view>

#include "http_response_reader.hpp"

namespace loadgen {

enum class ConnectionState : std::uint8_t {
  idle,        // no socket (reconnect: between requests, waiting to be restarted)
  connecting,  // connect() issued, not yet known to have succeeded
  open,        // requests flowing
  finished,    // all its work done, or given up after an error
};

struct Connection {
  explicit Connection(std::string_view expected_body) : reader(expected_body) {}

  int fd = -1;
  std::uint32_t id = 0;          // connection (keepalive) or slot (reconnect) number; seeds the echo pattern
  std::uint32_t generation = 0;  // bumped per socket, so an event for a closed socket is recognised
  ConnectionState state = ConnectionState::idle;
  bool write_blocked = false;    // the last write hit EAGAIN: wait for EPOLLOUT
  // This socket's streams.
  std::uint64_t first_request = 0;  // number of the socket's first request (reconnect: the slot's attempt)
  std::uint64_t issued = 0;         // requests issued on the socket
  std::uint64_t completed = 0;      // replies verified on the socket
  std::uint64_t sent = 0;           // request-stream bytes written
  std::uint64_t received = 0;       // echo: reply-stream bytes verified
  // The slot's progress (reconnect).
  std::uint64_t attempts = 0;       // requests started, successful or not
  std::int64_t* starts = nullptr;   // start times of the requests in flight: a ring of `pipeline` entries
  // Open loop (--rate).
  std::uint64_t due = 0;            // requests whose scheduled time has come (sent or waiting for room)
  std::int64_t free_since_ns = 0;   // since when fewer than `pipeline` requests have been outstanding
  HttpResponseReader reader;
};

}  // namespace loadgen
