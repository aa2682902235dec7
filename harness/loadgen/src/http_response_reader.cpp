#include "http_response_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace loadgen {
namespace {

constexpr std::string_view kHeaderEnd = "\r\n\r\n";

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool has_token(std::string_view list, std::string_view token) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    if (iequals(trim(list.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

std::string describe_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", c);
  return buf;
}

}  // namespace

void HttpResponseReader::reset() {
  state_ = State::headers;
  partial_.clear();
  body_offset_ = 0;
  server_closes_ = false;
}

HttpResponseReader::Step HttpResponseReader::fail(std::size_t consumed, std::string message) {
  error_ = std::move(message);
  return {consumed, false, true};
}

HttpResponseReader::Step HttpResponseReader::feed(const char* data, std::size_t len) {
  std::size_t used = 0;
  if (state_ == State::headers) {
    std::string_view in(data, len);
    std::string_view head;
    if (partial_.empty()) {
      std::size_t end = in.find(kHeaderEnd);
      if (end == std::string_view::npos) {
        if (len > kMaxHeaderBytes) return fail(len, "response headers longer than 64 KiB");
        partial_.assign(data, len);
        return {len, false, false};
      }
      used = end + kHeaderEnd.size();
      // The same limit whether the header block came in one read or several.
      if (used > kMaxHeaderBytes) return fail(used, "response headers longer than 64 KiB");
      head = in.substr(0, used);
    } else {
      // The end marker may straddle the old and new bytes: search from 3 bytes back.
      std::size_t old_size = partial_.size();
      std::size_t take = std::min(len, kMaxHeaderBytes + 1 - std::min(old_size, kMaxHeaderBytes));
      partial_.append(data, take);
      std::size_t end = partial_.find(kHeaderEnd, old_size >= 3 ? old_size - 3 : 0);
      if (end == std::string::npos) {
        if (partial_.size() > kMaxHeaderBytes) return fail(take, "response headers longer than 64 KiB");
        return {take, false, false};
      }
      std::size_t head_size = end + kHeaderEnd.size();
      used = head_size - old_size;
      head = std::string_view(partial_).substr(0, head_size);
    }
    bool ok = parse_head(head);
    partial_.clear();
    if (!ok) return {used, false, true};
    if (body_offset_ == expected_body_.size()) return {used, true, false};  // empty body
    state_ = State::body;
  }

  // Body: compare in place against the expected bytes.
  std::size_t n = std::min<std::size_t>(len - used, expected_body_.size() - body_offset_);
  const char* want = expected_body_.data() + body_offset_;
  if (std::memcmp(data + used, want, n) != 0) {
    std::size_t i = 0;
    while (data[used + i] == want[i]) ++i;
    return fail(used + i + 1, "body mismatch at byte " + std::to_string(body_offset_ + i) + ": expected " +
                                  describe_byte(static_cast<unsigned char>(want[i])) + " got " +
                                  describe_byte(static_cast<unsigned char>(data[used + i])));
  }
  used += n;
  body_offset_ += n;
  if (body_offset_ < expected_body_.size()) return {used, false, false};
  state_ = State::headers;
  return {used, true, false};
}

bool HttpResponseReader::parse_head(std::string_view head) {
  auto bad = [&](std::string message) {
    error_ = std::move(message);
    return false;
  };
  // Status line: HTTP/1.x SP 3DIGIT SP reason
  std::size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ' ||
      (status_line.size() > 12 && status_line[12] != ' '))
    return bad("malformed status line '" + std::string(status_line.substr(0, 64)) + "'");
  int status = 0;
  auto [p, ec] = std::from_chars(status_line.data() + 9, status_line.data() + 12, status);
  if (ec != std::errc{} || p != status_line.data() + 12)
    return bad("malformed status line '" + std::string(status_line.substr(0, 64)) + "'");
  if (status != 200) return bad("http status " + std::to_string(status) + " (expected 200)");

  bool have_length = false;
  std::uint64_t length = 0;
  server_closes_ = status_line[7] == '0';  // HTTP/1.0 closes unless told otherwise
  std::size_t pos = line_end + 2;
  while (pos < head.size() - 2) {  // the final "\r\n" ends the block
    std::size_t end = head.find("\r\n", pos);
    std::string_view field = head.substr(pos, end - pos);
    pos = end + 2;
    std::size_t colon = field.find(':');
    if (colon == std::string_view::npos || colon == 0)
      return bad("malformed header line '" + std::string(field.substr(0, 64)) + "'");
    std::string_view name = field.substr(0, colon);
    std::string_view value = trim(field.substr(colon + 1));
    if (iequals(name, "content-length")) {
      std::uint64_t n = 0;
      auto [q, e] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (value.empty() || e != std::errc{} || q != value.data() + value.size() || (have_length && n != length))
        return bad("bad Content-Length '" + std::string(value) + "'");
      have_length = true;
      length = n;
    } else if (iequals(name, "transfer-encoding")) {
      if (!iequals(value, "identity")) return bad("Transfer-Encoding '" + std::string(value) + "' is not supported");
    } else if (iequals(name, "connection")) {
      if (has_token(value, "close")) server_closes_ = true;
      if (has_token(value, "keep-alive")) server_closes_ = false;
    }
  }
  if (!have_length) return bad("response without Content-Length");
  if (length != expected_body_.size())
    return bad("Content-Length " + std::to_string(length) + ", expected " + std::to_string(expected_body_.size()));
  body_offset_ = 0;
  return true;
}

}  // namespace loadgen
