// One accepted connection, served by one coroutine until the peer leaves or breaks the protocol.
#pragma once

#include "asio_types.hpp"
#include "bench/backend.hpp"
#include "protocol/http.hpp"

namespace asio_backend {

// Writes back every byte read, one read at a time, in order.
Task<> serve_echo(Socket socket, bench::ServeMeter::Totals& totals);

// Answers HTTP/1.1 through proto::HttpSession: all responses to one read go out in one write.
Task<> serve_http(Socket socket, const proto::HttpSession::Responses& responses, bench::ServeMeter::Totals& totals);

}  // namespace asio_backend
