// Fuzzes the HTTP request parser every server shares (proto::parse_request) and the session that
// drives it (proto::HttpSession), checking what they promise rather than only that they survive.
//
// Input: two bytes, little-endian, that choose where the stream is split into two reads (modulo
// its length + 1), then the bytes a client sent. Each input runs under the default limits and
// under tiny ones that short inputs can exceed.
//
// What scripts/fuzz.sh compiles in with it (paths from the repository root):
// fuzz-build: -I workloads/protocol/include workloads/protocol/src/http.cpp
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "exact_copy.hpp"
#include "fuzz_check.hpp"
#include "protocol/http.hpp"

namespace {

using proto::HttpLimits;
using proto::HttpRequest;
using proto::ParseResult;
using proto::ParseStatus;

constexpr HttpLimits kTinyLimits{.max_request_line = 24, .max_header_bytes = 64, .max_headers = 3, .max_body = 16};
constexpr std::array<int, 7> kErrorStatuses{400, 405, 413, 414, 431, 501, 505};
constexpr std::string_view kStatusLineStart = "HTTP/1.1 ";

bool is_error_status(int status) {
  return std::find(kErrorStatuses.begin(), kErrorStatuses.end(), status) != kErrorStatuses.end();
}

bool lies_inside(std::string_view part, std::string_view whole) {
  auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  auto at = reinterpret_cast<std::uintptr_t>(part.data());
  return at >= begin && at + part.size() <= begin + whole.size();
}

// The most a server ever buffers while a request is incomplete: a request line up to its limit,
// or a header block up to its limit followed by a body up to its limit. More must be an error.
std::size_t most_bytes_buffered(const HttpLimits& limits) {
  return std::max(limits.max_request_line, limits.max_header_bytes + limits.max_body);
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower(x) == lower(y);
         });
}

std::string_view trim(std::string_view s) {
  std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool is_token_char(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_token_char(c); });
}

// A second, deliberately plain reading of an accepted header block ("name: value" CRLF ...): it must
// be well formed (a token name, a colon, a value without control bytes but HTAB, so no bare CR or LF
// either), and says how many fields, which Connection options and which Content-Length it carries.
struct HeaderFacts {
  std::size_t fields = 0;
  bool close = false;
  bool keep_alive = false;
  std::size_t content_length = 0;
};

HeaderFacts read_headers(std::string_view fields) {
  HeaderFacts facts;
  while (!fields.empty()) {
    std::size_t end = fields.find("\r\n");
    std::string_view field = fields.substr(0, end);
    fields.remove_prefix(end + 2);
    ++facts.fields;
    std::size_t colon = field.find(':');
    FUZZ_CHECK(colon != std::string_view::npos && is_token(field.substr(0, colon)));
    std::string_view name = field.substr(0, colon), value = trim(field.substr(colon + 1));
    for (char c : value) FUZZ_CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\t') && c != 0x7f);
    if (iequals(name, "content-length")) {
      FUZZ_CHECK(!value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos);
      facts.content_length = 0;
      for (char digit : value) {
        constexpr std::size_t kSaturated = std::size_t(-1);  // beyond any limit, so the caller's check fails
        std::size_t next = facts.content_length * 10 + std::size_t(digit - '0');
        facts.content_length = facts.content_length > kSaturated / 10 || next < facts.content_length ? kSaturated : next;
      }
    } else if (iequals(name, "connection")) {
      for (std::size_t from = 0; from <= value.size();) {
        std::size_t comma = std::min(value.find(',', from), value.size());
        std::string_view option = trim(value.substr(from, comma - from));
        facts.close |= iequals(option, "close");
        facts.keep_alive |= iequals(option, "keep-alive");
        from = comma + 1;
      }
    }
    FUZZ_CHECK(!iequals(name, "transfer-encoding"));  // refused with 501: bodies are Content-Length only
  }
  return facts;
}

// Same request, found at the same offsets of two copies of the bytes.
bool same_request(const HttpRequest& a, const char* a_base, const HttpRequest& b, const char* b_base) {
  return a.method.data() - a_base == b.method.data() - b_base && a.method.size() == b.method.size() &&
         a.target.data() - a_base == b.target.data() - b_base && a.target.size() == b.target.size() &&
         a.version_minor == b.version_minor && a.keep_alive == b.keep_alive && a.length == b.length;
}

ParseResult parse_checked(std::string_view buf, const HttpLimits& limits);

// A strict prefix of a complete request is never complete: it may be incomplete or, at a limit's
// edge, an error, but never some other, shorter request.
void check_prefix_is_not_a_request(std::string_view buf, std::size_t prefix, const HttpRequest& request,
                                   const HttpLimits& limits) {
  if (prefix >= request.length) return;
  ExactCopy copy(buf.substr(0, prefix));
  FUZZ_CHECK(parse_checked(copy.view(), limits).status != ParseStatus::complete);
}

void check_complete(std::string_view buf, const ParseResult& result, std::size_t split, const HttpLimits& limits) {
  const HttpRequest& request = result.request;
  FUZZ_CHECK(request.length <= buf.size());
  FUZZ_CHECK(lies_inside(request.method, buf) && lies_inside(request.target, buf));
  FUZZ_CHECK(request.method.data() == buf.data() && !request.method.empty());
  FUZZ_CHECK(request.target.data() == request.method.data() + request.method.size() + 1 && !request.target.empty());
  FUZZ_CHECK(request.version_minor == 0 || request.version_minor == 1);
  FUZZ_CHECK(is_token(request.method));
  for (char c : request.target) FUZZ_CHECK(c > 0x20 && c < 0x7f);  // visible ASCII, so no space, CR or LF

  // "METHOD SP target SP HTTP/1.x" CRLF, the header fields, CRLF, the body.
  std::size_t line_size = request.method.size() + 1 + request.target.size() + 1 + 8;
  FUZZ_CHECK(line_size <= limits.max_request_line);
  FUZZ_CHECK(request.length >= line_size + 4);
  std::string_view version = buf.substr(line_size - 8, 8);
  FUZZ_CHECK(version == (request.version_minor == 1 ? "HTTP/1.1" : "HTTP/1.0"));
  FUZZ_CHECK(buf.substr(line_size, 2) == "\r\n");
  std::size_t blank_line = buf.find("\r\n\r\n", line_size);  // no empty field line can come earlier
  FUZZ_CHECK(blank_line != std::string_view::npos);
  std::size_t head_size = blank_line + 4;
  FUZZ_CHECK(head_size <= request.length && head_size <= limits.max_header_bytes);

  std::string_view fields = buf.substr(line_size + 2, head_size - 2 - (line_size + 2));
  HeaderFacts facts = read_headers(fields);
  FUZZ_CHECK(facts.fields <= limits.max_headers);
  FUZZ_CHECK(request.length - head_size == facts.content_length);
  FUZZ_CHECK(facts.content_length <= limits.max_body);
  bool keep_alive = request.version_minor == 1 ? !facts.close : facts.keep_alive && !facts.close;
  FUZZ_CHECK(request.keep_alive == keep_alive);

  // The request alone parses to the same request: what follows it (a pipelined one) changes nothing.
  ExactCopy alone(buf.substr(0, request.length));
  ParseResult again = parse_request(alone.view(), limits);
  FUZZ_CHECK(again.status == ParseStatus::complete);
  FUZZ_CHECK(same_request(again.request, alone.view().data(), request, buf.data()));

  // Cut where reads often end: the fuzzer's split, one byte short, inside each line ending.
  for (std::size_t prefix : {split, request.length - 1, line_size + 1, head_size - 1, head_size - 3})
    check_prefix_is_not_a_request(buf, prefix, request, limits);
}

ParseResult parse_checked(std::string_view buf, const HttpLimits& limits) {
  ParseResult result = parse_request(buf, limits);
  switch (result.status) {
    case ParseStatus::error:
      FUZZ_CHECK(is_error_status(result.error_status));
      break;
    case ParseStatus::incomplete:
      FUZZ_CHECK(buf.size() <= most_bytes_buffered(limits));
      break;
    case ParseStatus::complete:
      break;
  }
  return result;
}

// --- HttpSession ---------------------------------------------------------------------------

// Every response a session may write, byte for byte.
struct KnownResponse {
  std::string bytes;
  bool closes;  // says "Connection: close"
  bool error;
};

const std::vector<KnownResponse>& known_responses() {
  static const std::vector<KnownResponse> all = [] {
    static const proto::HttpSession::Responses hello;
    auto head_of = [](const std::string& full) { return full.substr(0, full.find("\r\n\r\n") + 4); };
    // Full GET answers first: a HEAD answer is a prefix of its GET answer.
    std::vector<KnownResponse> v{{hello.keep_alive, false, false},
                                 {hello.close, true, false},
                                 {head_of(hello.keep_alive), false, false},
                                 {head_of(hello.close), true, false}};
    for (int status : kErrorStatuses) {
      std::string error;
      proto::append_error(error, status);
      v.push_back({error, true, true});
    }
    return v;
  }();
  return all;
}

// What a session must answer to `stream` read in one go, written out plainly from the http protocol
// in harness/README.md: pipelined requests in order; GET gets the hello response, HEAD its head;
// another method 405; a parse error its status; Connection: close, HTTP/1.0 or an error ends it.
std::string expected_answers(std::string_view stream, const HttpLimits& limits) {
  static const proto::HttpSession::Responses hello;
  std::string out;
  for (std::size_t at = 0; at < stream.size();) {
    ParseResult result = parse_request(stream.substr(at), limits);
    if (result.status == ParseStatus::incomplete) break;
    if (result.status == ParseStatus::error) {
      proto::append_error(out, result.error_status);
      break;
    }
    at += result.request.length;
    std::string_view method = result.request.method;
    if (method != "GET" && method != "HEAD") {
      proto::append_error(out, 405);
      break;
    }
    const std::string& full = result.request.keep_alive ? hello.keep_alive : hello.close;
    out += method == "GET" ? full : full.substr(0, full.find("\r\n\r\n") + 4);
    if (!result.request.keep_alive) break;
  }
  return out;
}

struct Answers {
  std::size_t count = 0;
  bool last_closes = false;
  bool last_is_error = false;
  std::size_t last_start = 0;
};

// Splits a session's output into known responses; traps on anything else, and on a closing
// response that is not the last one (after a close nothing more may be answered).
Answers read_answers(std::string_view out) {
  Answers answers;
  for (std::size_t at = 0; at < out.size();) {
    FUZZ_CHECK(!answers.last_closes);
    const KnownResponse* match = nullptr;
    for (const KnownResponse& known : known_responses()) {
      if (out.substr(at, known.bytes.size()) == known.bytes) {
        match = &known;
        break;
      }
    }
    FUZZ_CHECK(match != nullptr);
    ++answers.count;
    answers.last_closes = match->closes;
    answers.last_is_error = match->error;
    answers.last_start = at;
    at += match->bytes.size();
  }
  return answers;
}

std::size_t count_status_lines(std::string_view out) {
  std::size_t n = 0;
  for (std::size_t at = out.find(kStatusLineStart); at != std::string_view::npos;
       at = out.find(kStatusLineStart, at + 1))
    ++n;
  return n;
}

struct SessionRun {
  std::string out;
  bool closed = false;
};

// Serves `stream` as two reads, cut at `split`, the way a server does: unconsumed bytes stay
// buffered and the next read is appended to them; once the session says close, nothing more is fed.
SessionRun serve_in_two_reads(std::string_view stream, std::size_t split, const HttpLimits& limits) {
  static const proto::HttpSession::Responses hello;
  proto::HttpSession session(hello, limits);
  SessionRun run;
  std::string pending;
  std::size_t responses = 0;
  for (std::string_view read : {stream.substr(0, split), stream.substr(split)}) {
    pending.append(read);
    ExactCopy in(pending);
    std::size_t out_before = run.out.size();
    proto::HttpSession::Step step = session.on_data(in.view(), run.out);
    FUZZ_CHECK(step.consumed <= pending.size());
    FUZZ_CHECK(count_status_lines(std::string_view(run.out).substr(out_before)) == step.responses);
    FUZZ_CHECK(!step.error || step.close);
    responses += step.responses;
    pending.erase(0, step.consumed);
    if (step.close) {
      run.closed = true;
      break;
    }
    // What stays buffered is the start of one request, never more than the limits allow.
    FUZZ_CHECK(parse_request(pending, limits).status == ParseStatus::incomplete);
    FUZZ_CHECK(pending.size() <= most_bytes_buffered(limits));
  }
  Answers answers = read_answers(run.out);
  FUZZ_CHECK(answers.count == responses);
  FUZZ_CHECK(answers.last_closes == run.closed);
  return run;
}

// How the stream is cut into reads never changes what is answered. Only the status of a final
// error may differ (400 for a bare LF seen early versus 431 once the line is known to be too long).
void check_split_changes_nothing(std::string_view stream, std::size_t split, const HttpLimits& limits) {
  SessionRun whole = serve_in_two_reads(stream, stream.size(), limits);
  FUZZ_CHECK(whole.out == expected_answers(stream, limits));
  SessionRun in_two = serve_in_two_reads(stream, split, limits);
  if (whole.out == in_two.out) return;
  Answers whole_answers = read_answers(whole.out), split_answers = read_answers(in_two.out);
  std::string_view whole_before_error = std::string_view(whole.out).substr(0, whole_answers.last_start);
  std::string_view split_before_error = std::string_view(in_two.out).substr(0, split_answers.last_start);
  FUZZ_CHECK(whole_answers.last_is_error && split_answers.last_is_error);
  FUZZ_CHECK(whole_before_error == split_before_error);
}

void check_everything(std::string_view stream, std::size_t split, const HttpLimits& limits) {
  ParseResult result = parse_checked(stream, limits);
  if (result.status == ParseStatus::complete) check_complete(stream, result, split, limits);
  check_split_changes_nothing(stream, split, limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::size_t split_choice = data[0] | std::size_t(data[1]) << 8;
  std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::size_t split = split_choice % (stream.size() + 1);
  check_everything(stream, split, HttpLimits{});
  check_everything(stream, split, kTinyLimits);
  return 0;
}
