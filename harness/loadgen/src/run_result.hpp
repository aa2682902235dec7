// What one run of the load generator found: the counters of its JSON line.
#pragma once

#include <cstdint>
#include <string>

namespace loadgen {

struct RunResult {
  std::uint64_t requests = 0;        // replies received complete and verified
  std::uint64_t errors = 0;          // connect_errors + timeouts + mismatches + resets and early closes
  std::uint64_t connect_errors = 0;
  std::uint64_t timeouts = 0;        // connections (or slots) with work unfinished at the deadline
  std::uint64_t mismatches = 0;      // replies with wrong bytes, status, length or framing
  std::int64_t first_connect_ns = 0; // CLOCK_MONOTONIC
  std::int64_t last_reply_ns = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  std::string first_error;
  // Open loop (--rate).
  std::int64_t schedule_start_ns = 0;    // when every connection was open and the schedule began (0: never)
  std::uint64_t behind_requests = 0;     // sent more than lag_limit_us late through the generator's own fault
  std::int64_t client_lag_max_ns = 0;    // the largest such lag: send time - max(scheduled, connection free)
  std::int64_t server_wait_max_ns = 0;   // the longest a due request waited for its connection to have room           // "connection 17 request 3: echo mismatch at byte 12: ..."
};

}  // namespace loadgen
