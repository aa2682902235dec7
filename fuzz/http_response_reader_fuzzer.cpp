// Fuzzes the load generator's reply reader, loadgen::HttpResponseReader: it never reads past
// the bytes it is given, always makes progress, accepts a response only when a second, plain
// reading agrees (status 200, body length == Content-Length == the expected body, body bytes
// equal), and decides the same whether the stream arrives in one read or in many.
//
// Input: byte 0 chooses the expected body, byte 1 the size of each read (0: all at once), the
// rest is the stream of responses the server sent.
//
// What scripts/fuzz.sh compiles in with it (paths from the repository root):
// fuzz-build: -I harness/loadgen/src -I workloads/protocol/include harness/loadgen/src/http_response_reader.cpp workloads/protocol/src/http.cpp
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exact_copy.hpp"
#include "fuzz_check.hpp"
#include "http_response_reader.hpp"
#include "protocol/http.hpp"

namespace {

const std::string& expected_body(std::uint8_t choice) {
  static const std::string bodies[] = {proto::make_hello_body(proto::kDefaultHelloSize), "",
                                       proto::make_hello_body(1), proto::make_hello_body(1000)};
  return bodies[choice % 4];
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// A plain second reading of one response the reader accepted.
void check_accepted_response(std::string_view response, std::string_view body) {
  // "HTTP/1.x 200", then a reason phrase after a space or the end of the line.
  FUZZ_CHECK(response.substr(0, 7) == "HTTP/1." && response.substr(8, 4) == " 200" && response.size() > 12 &&
             (response[12] == ' ' || response[12] == '\r'));
  std::size_t head_size = response.find("\r\n\r\n") + 4;
  FUZZ_CHECK(head_size >= 4);  // found
  FUZZ_CHECK(response.size() - head_size == body.size());
  FUZZ_CHECK(response.substr(head_size) == body);

  std::string want = std::to_string(body.size());
  std::size_t lengths = 0;
  std::string_view fields = response.substr(0, head_size - 2);
  fields.remove_prefix(fields.find("\r\n") + 2);
  while (!fields.empty()) {
    std::size_t end = fields.find("\r\n");
    std::string_view field = fields.substr(0, end);
    fields.remove_prefix(end + 2);
    std::size_t colon = field.find(':');
    FUZZ_CHECK(colon != std::string_view::npos && colon != 0);
    if (!iequals(field.substr(0, colon), "content-length")) continue;
    std::string_view value = trim(field.substr(colon + 1));
    while (value.size() > 1 && value.front() == '0') value.remove_prefix(1);  // "013" means 13
    FUZZ_CHECK(value == want);
    ++lengths;
  }
  FUZZ_CHECK(lengths >= 1);
}

struct Outcome {
  std::vector<std::size_t> response_ends;  // stream offsets where a response completed
  bool failed = false;
  std::string error;
};

// Feeds `stream` in reads of `piece` bytes (0: one read) the way the load generator does: each
// read is fed until used up, and the connection is dropped at the first failure.
Outcome read_stream(std::string_view stream, std::size_t piece, std::string_view body) {
  loadgen::HttpResponseReader reader(body);
  Outcome outcome;
  std::size_t response_start = 0;
  if (piece == 0) piece = stream.size();
  for (std::size_t at = 0; at < stream.size(); at += piece) {
    ExactCopy read(stream.substr(at, piece));
    std::string_view bytes = read.view();
    for (std::size_t used = 0; used < bytes.size();) {
      auto step = reader.feed(bytes.data() + used, bytes.size() - used);
      FUZZ_CHECK(step.consumed <= bytes.size() - used);
      FUZZ_CHECK(!(step.complete && step.failed));
      if (step.failed) {
        FUZZ_CHECK(!reader.error().empty());
        outcome.failed = true;
        outcome.error = reader.error();
        return outcome;
      }
      used += step.consumed;
      if (step.complete) {
        FUZZ_CHECK(step.consumed > 0);
        FUZZ_CHECK(reader.idle());
        std::size_t end = at + used;
        check_accepted_response(stream.substr(response_start, end - response_start), body);
        outcome.response_ends.push_back(end);
        response_start = end;
      } else {
        FUZZ_CHECK(used == bytes.size());  // an unfinished response takes all it was given
      }
    }
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string& body = expected_body(data[0]);
  std::size_t piece = data[1];
  std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  Outcome in_pieces = read_stream(stream, piece, body);
  Outcome at_once = read_stream(stream, 0, body);
  FUZZ_CHECK(in_pieces.response_ends == at_once.response_ends);
  FUZZ_CHECK(in_pieces.failed == at_once.failed);
  FUZZ_CHECK(in_pieces.error == at_once.error);
  return 0;
}
