// One request and its exact reply in either protocol, so that each fault is written once and tried
// with echo and with http: echo answers with the request's own bytes; http with proto::HttpSession's
// keep-alive response, byte for byte (nginx, the reference server, is checked by meaning instead:
// status 200 and the hello body, as in the conformance suite).
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "backend_under_test.hpp"
#include "data_file.hpp"
#include "http_expect.hpp"
#include "tcp_client.hpp"

namespace faults {

using conformance::TcpClient;

class Exchange {
 public:
  static constexpr std::size_t kEchoMessage = 64;  // the load generator's default message size
  // nginx's reply to a GET is at least its status line, Server, Date, type and length headers and the body.
  static constexpr std::size_t kReferenceReplySize = 120;

  explicit Exchange(std::string proto) : proto_(std::move(proto)) {}

  bool is_http() const { return proto_ == "http"; }

  // The i-th request: echo, 64 bytes of the data pattern seeded by i (no two alike); http, a GET.
  std::string request(int i) const {
    return is_http() ? std::string(conformance::kGet) : conformance::data_bytes(kEchoMessage, std::uint64_t(i) + 1);
  }

  // The bytes of one http reply (nginx's differ: its headers are its own). For echo, the request's.
  std::size_t reply_size() const {
    return conformance::is_reference_server() ? kReferenceReplySize : conformance::session_responses().keep_alive.size();
  }

  // Reads the replies to `requests`, `count` requests sent back to back, and checks them exactly.
  bool read_replies(TcpClient& client, std::string_view requests, std::size_t count, std::string& error) const {
    if (!is_http()) return read_echo(client, requests, error);
    if (conformance::is_reference_server()) {
      std::string raw;
      return conformance::read_hello_responses(client, int(count), raw, error);
    }
    const std::string& one = conformance::session_responses().keep_alive;
    std::string got;
    if (!client.read_exact(one.size() * count, got, error)) return false;
    for (std::size_t i = 0; i < count; ++i) {
      if (std::string_view(got).substr(i * one.size(), one.size()) != one) {
        error = "response " + std::to_string(i) + " of " + std::to_string(count) + " differs from the session's: '" +
                got.substr(i * one.size(), one.size()) + "'";
        return false;
      }
    }
    return true;
  }

  // Sends request i and checks its reply.
  bool round_trip(TcpClient& client, int i, std::string& error) const {
    std::string req = request(i);
    return client.send_all(req, error) && read_replies(client, req, 1, error);
  }

  // A new connection that completes one round trip: the server is alive and answers correctly.
  bool fresh_round_trip(std::uint16_t port, int i, std::string& error) const {
    TcpClient client;
    return client.connect(port, conformance::kSocketTimeoutMs, error) && round_trip(client, i, error);
  }

 private:
  static bool read_echo(TcpClient& client, std::string_view sent, std::string& error) {
    std::string echoed;
    if (!client.read_exact(sent.size(), echoed, error)) return false;
    std::size_t same = 0;
    while (same < sent.size() && echoed[same] == sent[same]) ++same;
    if (same == sent.size()) return true;
    error = "echo differs from what was sent at byte " + std::to_string(same) + " of " + std::to_string(sent.size());
    return false;
  }

  std::string proto_;
};

}  // namespace faults
