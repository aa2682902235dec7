// Reads HTTP/1.1 responses from a byte stream that arrives in arbitrary pieces (a response split
// across reads, several responses in one read) and checks each one: status 200, a Content-Length
// body equal to the expected body. Headers are parsed generally (any order, names in any case,
// extra headers such as nginx's Date and Server allowed); their bytes are not compared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

class HttpResponseReader {
 public:
  // The longest status line plus headers accepted; longer is an error, not a hang.
  static constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

  explicit HttpResponseReader(std::string_view expected_body) : expected_body_(expected_body) {}

  struct Step {
    std::size_t consumed = 0;  // bytes of the input used
    bool complete = false;     // one response ended within them (feed stops there)
    bool failed = false;       // the response is wrong; error() says how
  };
  // Consumes bytes up to the end of the current response at most.
  Step feed(const char* data, std::size_t len);

  // For a failed step: what was wrong, e.g. "http status 400 (expected 200)".
  const std::string& error() const { return error_; }
  // The last complete response carried "Connection: close".
  bool server_closes() const { return server_closes_; }
  // Between responses (nothing of a next one read yet).
  bool idle() const { return state_ == State::headers && partial_.empty(); }
  // Forgets any partial response (a new connection).
  void reset();

 private:
  enum class State { headers, body };
  bool parse_head(std::string_view head);
  Step fail(std::size_t consumed, std::string message);

  std::string_view expected_body_;
  State state_ = State::headers;
  std::string partial_;  // a header block split across reads; keeps its capacity, so no allocation after warm-up
  std::uint64_t body_offset_ = 0;
  bool server_closes_ = false;
  std::string error_;
};

}  // namespace loadgen
