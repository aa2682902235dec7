#include "protocol/http.hpp"

#include <array>
#include <charconv>

namespace proto {
namespace {

constexpr bool is_tchar(unsigned char c) {
  // RFC 9110 token characters.
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

constexpr bool is_target_char(unsigned char c) { return c > 0x20 && c < 0x7f; }

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ParseResult fail(int status) {
  ParseResult r;
  r.status = ParseStatus::error;
  r.error_status = status;
  return r;
}

// Applies a Connection header's comma-separated options.
void apply_connection(std::string_view value, bool& saw_close, bool& saw_keep_alive) {
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view option = trim_ows(value.substr(0, comma));
    if (iequals(option, "close")) saw_close = true;
    if (iequals(option, "keep-alive")) saw_keep_alive = true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

ParseResult parse_request(std::string_view buf, const HttpLimits& limits) {
  // Request line.
  std::size_t line_end = buf.find("\r\n");
  if (line_end == std::string_view::npos) {
    // A read may end between the line's CR and LF: that CR is not part of the line's length.
    std::size_t trailing_cr = !buf.empty() && buf.back() == '\r' ? 1 : 0;
    if (buf.size() - trailing_cr > limits.max_request_line) return fail(414);
    if (buf.find('\n') != std::string_view::npos) return fail(400);  // bare LF
    return {};
  }
  if (line_end > limits.max_request_line) return fail(414);
  std::string_view line = buf.substr(0, line_end);

  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0 || sp1 > 16) return fail(400);
  std::string_view method = line.substr(0, sp1);
  for (unsigned char c : method)
    if (!is_tchar(c)) return fail(400);
  std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return fail(400);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (unsigned char c : target)
    if (!is_target_char(c)) return fail(400);
  std::string_view version = line.substr(sp2 + 1);
  int minor;
  if (version == "HTTP/1.1") {
    minor = 1;
  } else if (version == "HTTP/1.0") {
    minor = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' && version[5] <= '9' &&
             version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return fail(505);
  } else {
    return fail(400);
  }

  // Header fields.
  bool saw_close = false, saw_keep_alive = false, saw_length = false;
  std::size_t content_length = 0, headers = 0;
  std::size_t pos = line_end + 2;
  for (;;) {
    if (pos > limits.max_header_bytes) return fail(431);
    std::size_t end = buf.find("\r\n", pos);
    if (end == std::string_view::npos) {
      if (buf.size() > limits.max_header_bytes) return fail(431);
      if (buf.find('\n', pos) != std::string_view::npos) return fail(400);  // bare LF
      return {};
    }
    if (end + 2 > limits.max_header_bytes) return fail(431);
    if (end == pos) {  // empty line: end of the header block
      pos += 2;
      break;
    }
    if (++headers > limits.max_headers) return fail(431);
    std::string_view field = buf.substr(pos, end - pos);
    pos = end + 2;
    if (field.front() == ' ' || field.front() == '\t') return fail(400);  // obsolete line folding
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0) return fail(400);
    std::string_view name = field.substr(0, colon);
    for (unsigned char c : name)
      if (!is_tchar(c)) return fail(400);  // also rejects whitespace before the colon
    std::string_view value = trim_ows(field.substr(colon + 1));
    for (unsigned char c : value)
      if ((c < 0x20 && c != '\t') || c == 0x7f) return fail(400);

    if (iequals(name, "connection")) {
      apply_connection(value, saw_close, saw_keep_alive);
    } else if (iequals(name, "content-length")) {
      std::size_t n = 0;
      auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || ec != std::errc{} || ptr != value.data() + value.size()) return fail(400);
      if (saw_length && n != content_length) return fail(400);
      if (n > limits.max_body) return fail(413);
      saw_length = true;
      content_length = n;
    } else if (iequals(name, "transfer-encoding")) {
      return fail(501);  // chunked bodies are not part of the benchmark protocol
    }
  }

  if (buf.size() - pos < content_length) return {};

  ParseResult r;
  r.status = ParseStatus::complete;
  r.request.method = method;
  r.request.target = target;
  r.request.version_minor = minor;
  r.request.keep_alive = minor == 1 ? !saw_close : (saw_keep_alive && !saw_close);
  r.request.length = pos + content_length;
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

void append_response(std::string& out, int status, std::string_view content_type, std::string_view body,
                     bool keep_alive) {
  std::array<char, 24> num{};
  out += "HTTP/1.1 ";
  auto [p1, e1] = std::to_chars(num.data(), num.data() + num.size(), status);
  out.append(num.data(), p1);
  out += ' ';
  out += reason_phrase(status);
  out += "\r\nServer: ringcore-bench\r\nContent-Type: ";
  out += content_type;
  out += "\r\nContent-Length: ";
  auto [p2, e2] = std::to_chars(num.data(), num.data() + num.size(), body.size());
  out.append(num.data(), p2);
  out += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  out += body;
}

void append_error(std::string& out, int status) {
  std::string body(reason_phrase(status));
  body += '\n';
  append_response(out, status, "text/plain", body, false);
}

char hello_body_byte(std::size_t i) { return char('a' + (i * 7 + i / 26) % 26); }

std::string make_hello_body(std::size_t size) {
  if (size == kDefaultHelloSize) return "Hello, World!";
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) body[i] = hello_body_byte(i);
  return body;
}

HttpSession::Responses::Responses(std::size_t body_size) {
  std::string body = make_hello_body(body_size);
  append_response(keep_alive, 200, "text/plain", body, true);
  append_response(close, 200, "text/plain", body, false);
}

HttpSession::Step HttpSession::on_data(std::string_view in, std::string& out) {
  Step step;
  while (step.consumed < in.size()) {
    ParseResult r = parse_request(in.substr(step.consumed), limits_);
    if (r.status == ParseStatus::incomplete) break;
    if (r.status == ParseStatus::error) {
      append_error(out, r.error_status);
      ++step.responses;
      step.close = true;
      step.error = true;
      step.consumed = in.size();  // the rest of a broken stream is not read
      break;
    }
    step.consumed += r.request.length;
    ++step.responses;
    if (r.request.method != "GET" && r.request.method != "HEAD") {
      append_error(out, 405);
      step.close = true;
      step.error = true;
      break;
    }
    const std::string& full = r.request.keep_alive ? responses_->keep_alive : responses_->close;
    if (r.request.method == "HEAD") {
      out.append(full, 0, full.find("\r\n\r\n") + 4);
    } else {
      out += full;
    }
    if (!r.request.keep_alive) {
      step.close = true;
      break;
    }
  }
  return step;
}

}  // namespace proto
