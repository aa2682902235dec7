#include "payload.hpp"

#include <algorithm>
#include <cstring>

#include "echo_pattern.hpp"
#include "protocol/http.hpp"

namespace loadgen {

Payload::Payload(const Options& o) : proto_(o.proto) {
  if (proto_ == Proto::http) {
    std::string one = "GET " + o.target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    request_size_ = one.size();
    http_requests_.reserve(one.size() * (o.pipeline + 1));
    for (std::uint32_t i = 0; i <= o.pipeline; ++i) http_requests_ += one;
    expected_body_ = proto::make_hello_body(o.size);
  } else {
    request_size_ = o.size;
  }
}

std::string_view Payload::requests(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position,
                                   std::size_t max, unsigned char* scratch, std::size_t scratch_size) const {
  if (proto_ == Proto::http) {
    std::size_t offset = position % request_size_;
    return std::string_view(http_requests_).substr(offset, std::min(max, http_requests_.size() - offset));
  }
  std::size_t n = std::min(max, scratch_size);
  std::size_t done = 0;
  while (done < n) {
    std::uint64_t request = (position + done) / request_size_;
    std::uint64_t offset = (position + done) % request_size_;
    std::size_t take = std::size_t(std::min<std::uint64_t>(n - done, request_size_ - offset));
    EchoPattern(connection, first_request + request).fill(offset, scratch + done, take);
    done += take;
  }
  return {reinterpret_cast<const char*>(scratch), n};
}

std::size_t Payload::check_echo(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position,
                                const unsigned char* data, std::size_t len, unsigned char* scratch,
                                std::size_t scratch_size) const {
  std::size_t done = 0;
  while (done < len) {
    std::string_view expected =
        requests(connection, first_request, position + done, len - done, scratch, scratch_size);
    if (std::memcmp(data + done, expected.data(), expected.size()) != 0) {
      std::size_t i = 0;
      while (data[done + i] == static_cast<unsigned char>(expected[i])) ++i;
      return done + i;
    }
    done += expected.size();
  }
  return len;
}

unsigned char Payload::echo_byte(std::uint32_t connection, std::uint64_t first_request, std::uint64_t position) const {
  return EchoPattern(connection, first_request + position / request_size_).at(position % request_size_);
}

}  // namespace loadgen
