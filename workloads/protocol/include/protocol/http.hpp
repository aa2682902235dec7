// The one HTTP/1.1 request parser and response builder every server in the suite uses
// (all backends, the ringcore http_server and file_server examples), so no server wins by parsing less.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace proto {

struct HttpLimits {
  std::size_t max_request_line = 8 * 1024;   // longer: 414 URI Too Long
  std::size_t max_header_bytes = 16 * 1024;  // request line + headers; longer: 431
  std::size_t max_headers = 100;             // more: 431
  std::size_t max_body = 64 * 1024;          // Content-Length above this: 413
};

enum class ParseStatus { complete, incomplete, error };

struct HttpRequest {
  std::string_view method;
  std::string_view target;
  int version_minor = 1;      // HTTP/1.<minor>; only 1.0 and 1.1 are accepted
  bool keep_alive = true;     // after Connection headers and the version's default
  std::size_t length = 0;     // bytes of the request, headers and body included
};

struct ParseResult {
  ParseStatus status = ParseStatus::incomplete;
  HttpRequest request;        // valid when status == complete
  int error_status = 0;       // 400, 413, 414, 431, 501 or 505 when status == error
};

// Parses the first request in `buf`. Never reads past buf; never allocates.
ParseResult parse_request(std::string_view buf, const HttpLimits& limits = {});

std::string_view reason_phrase(int status);

// Appends a complete response. Content-Length is always set; "Connection: close" when !keep_alive.
void append_response(std::string& out, int status, std::string_view content_type, std::string_view body,
                     bool keep_alive);
// Appends an error response whose connection is then closed.
void append_error(std::string& out, int status);

// What the benchmark servers answer: "Hello, World!" or, for --size B, B bytes of hello_body_byte().
std::string make_hello_body(std::size_t size);
inline constexpr std::size_t kDefaultHelloSize = 13;
char hello_body_byte(std::size_t i);

// A connection's HTTP side for the benchmark servers: feed it the bytes read, it appends the
// responses (pipelined requests answered in order) and says when to close.
class HttpSession {
 public:
  // Responses are precomputed once per server; sessions share them.
  struct Responses {
    explicit Responses(std::size_t body_size = kDefaultHelloSize);
    std::string keep_alive;
    std::string close;
  };

  explicit HttpSession(const Responses& responses, const HttpLimits& limits = {})
      : responses_(&responses), limits_(limits) {}

  struct Step {
    std::size_t consumed = 0;   // bytes of `in` used up; the caller keeps the rest for later
    std::size_t responses = 0;  // responses appended to `out`
    bool close = false;         // close after `out` is written (Connection: close, HTTP/1.0, or an error)
    bool error = false;         // the last response was an error (400/413/414/431/501/505)
  };
  Step on_data(std::string_view in, std::string& out);

 private:
  const Responses* responses_;
  HttpLimits limits_;
};

}  // namespace proto
