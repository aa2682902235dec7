// The bytes the load generator writes and the checks on what comes back, for both protocols.
// Requests form one stream per connection (request r at bytes [r*L, (r+1)*L) of it), so a writer
// that was cut short resumes from a byte position, and pipelined requests go out in one write.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "options.hpp"

namespace loadgen {

class Payload {
 public:
  Payload(const Options& options);

  // Bytes of one request.
  std::size_t request_size() const { return request_size_; }

  // Up to `max` bytes of connection `connection`'s request stream from byte `position`
  // (request numbers are offset by `first_request`): a view of precomputed bytes (http) or of
  // `scratch`, filled here (echo). Never empty when max > 0.
  std::string_view requests(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position,
                            std::size_t max, unsigned char* scratch, std::size_t scratch_size) const;

  // Echo: checks `len` reply bytes at stream `position` against what was sent. Returns the index of
  // the first wrong byte within `data`, or len when all match; `scratch` holds the expected bytes.
  std::size_t check_echo(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position,
                         const unsigned char* data, std::size_t len, unsigned char* scratch,
                         std::size_t scratch_size) const;
  // Echo: the byte the stream should hold at `position` (for the error message).
  unsigned char echo_byte(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position) const;

  // Http: the body every reply must carry.
  const std::string& expected_body() const { return expected_body_; }

 private:
  Proto proto_;
  std::size_t request_size_;
  std::string http_requests_;  // (pipeline + 1) copies of the request, so any window of the stream is contiguous
  std::string expected_body_;
};

}  // namespace loadgen
