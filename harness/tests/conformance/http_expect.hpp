// What the HTTP tests expect: the exact bytes proto::HttpSession answers with, and a reader that
// checks any server's responses by meaning (status, Content-Length, body) for the reference server.
#pragma once

#include <string>
#include <string_view>

#include "http_response_reader.hpp"
#include "protocol/http.hpp"
#include "tcp_client.hpp"

namespace conformance {

inline constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

inline const proto::HttpSession::Responses& session_responses() {
  static const proto::HttpSession::Responses responses(proto::kDefaultHelloSize);
  return responses;
}

inline std::string error_response(int status) {
  std::string out;
  proto::append_error(out, status);
  return out;
}

// Reads `count` responses from `client` and checks each is 200 with the "Hello, World!" body.
// False with `error` set otherwise; `raw` gets the bytes read.
inline bool read_hello_responses(TcpClient& client, int count, std::string& raw, std::string& error) {
  static const std::string body = proto::make_hello_body(proto::kDefaultHelloSize);
  loadgen::HttpResponseReader reader(body);
  int complete = 0;
  std::size_t parsed = raw.size();
  while (complete < count) {
    if (parsed == raw.size() && !client.read_some(raw, error)) {
      error += " after " + std::to_string(complete) + " of " + std::to_string(count) + " responses";
      return false;
    }
    auto step = reader.feed(raw.data() + parsed, raw.size() - parsed);
    parsed += step.consumed;
    if (step.failed) {
      error = "response " + std::to_string(complete) + ": " + reader.error();
      return false;
    }
    complete += step.complete;
  }
  if (parsed != raw.size()) {
    error = std::to_string(raw.size() - parsed) + " bytes after the last expected response";
    return false;
  }
  return true;
}

}  // namespace conformance
