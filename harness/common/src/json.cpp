#include "bench/json.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace bench {

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += char(c);
        }
    }
  }
  return out;
}

void JsonLine::key(std::string_view k) {
  body_ += body_.empty() ? "{\"" : ",\"";
  body_ += json_escape(k);
  body_ += "\":";
}

JsonLine& JsonLine::add(std::string_view k, std::int64_t v) {
  key(k);
  body_ += std::to_string(v);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::uint64_t v) {
  key(k);
  body_ += std::to_string(v);
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, double v) {
  key(k);
  if (!std::isfinite(v)) {
    body_ += "null";
  } else {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    body_.append(buf, p);
  }
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, bool v) {
  key(k);
  body_ += v ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::add(std::string_view k, std::string_view v) {
  key(k);
  body_ += '"';
  body_ += json_escape(v);
  body_ += '"';
  return *this;
}

std::string JsonLine::str() const { return (body_.empty() ? std::string("{") : body_) + "}\n"; }

void JsonLine::print() const {
  std::fflush(stdout);
  std::string s = str();
  std::size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += std::size_t(n);
  }
}

namespace {

struct Parser {
  std::string_view s;
  std::size_t i = 0;
  std::string error;

  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  bool expect(char c) {
    ws();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    error = std::string("expected '") + c + "' at offset " + std::to_string(i);
    return false;
  }
  bool string(std::string& out) {
    if (!expect('"')) return false;
    while (i < s.size()) {
      char c = s[i++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i >= s.size()) break;
      char e = s[i++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          if (i + 4 > s.size()) break;
          unsigned code = 0;
          auto [p, ec] = std::from_chars(s.data() + i, s.data() + i + 4, code, 16);
          if (ec != std::errc{} || p != s.data() + i + 4) {
            error = "bad \\u escape";
            return false;
          }
          i += 4;
          if (code < 0x80) {
            out += char(code);
          } else if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
            out += char(0x80 | (code & 0x3F));
          } else {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
          }
          break;
        }
        default:
          error = "bad escape";
          return false;
      }
    }
    error = "unterminated string";
    return false;
  }
};

}  // namespace

std::optional<JsonObject> JsonObject::parse(std::string_view text, std::string* error) {
  Parser p;
  p.s = text;
  JsonObject obj;
  auto failed = [&]() -> std::optional<JsonObject> {
    if (error) *error = p.error.empty() ? "malformed JSON" : p.error;
    return std::nullopt;
  };
  if (!p.expect('{')) return failed();
  p.ws();
  if (p.i < text.size() && text[p.i] == '}') {
    ++p.i;
  } else {
    for (;;) {
      std::string key;
      if (!p.string(key) || !p.expect(':')) return failed();
      p.ws();
      if (p.i >= text.size()) return failed();
      char c = text[p.i];
      if (c == '"') {
        std::string v;
        if (!p.string(v)) return failed();
        obj.values_[key] = std::move(v);
      } else if (text.substr(p.i, 4) == "true") {
        obj.values_[key] = true;
        p.i += 4;
      } else if (text.substr(p.i, 5) == "false") {
        obj.values_[key] = false;
        p.i += 5;
      } else if (text.substr(p.i, 4) == "null") {
        obj.values_[key] = std::monostate{};
        p.i += 4;
      } else {
        std::size_t start = p.i;
        while (p.i < text.size() && (std::isdigit(static_cast<unsigned char>(text[p.i])) || text[p.i] == '-' ||
                                     text[p.i] == '+' || text[p.i] == '.' || text[p.i] == 'e' || text[p.i] == 'E'))
          ++p.i;
        std::string num(text.substr(start, p.i - start));
        double d = 0;
        auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), d);
        if (num.empty() || ec != std::errc{} || ptr != num.data() + num.size()) {
          p.error = "bad number for key " + key;
          return failed();
        }
        obj.values_[key] = d;
        obj.number_text_[key] = std::move(num);
      }
      p.ws();
      if (p.i < text.size() && text[p.i] == ',') {
        ++p.i;
        continue;
      }
      if (!p.expect('}')) return failed();
      break;
    }
  }
  p.ws();
  if (p.i != text.size()) {
    p.error = "trailing characters";
    return failed();
  }
  return obj;
}

std::optional<double> JsonObject::number(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end() || !std::holds_alternative<double>(it->second)) return std::nullopt;
  return std::get<double>(it->second);
}

std::optional<std::int64_t> JsonObject::integer(std::string_view key) const {
  auto it = number_text_.find(key);
  if (it == number_text_.end()) return std::nullopt;
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || p != it->second.data() + it->second.size()) return std::nullopt;
  return v;
}

std::optional<std::uint64_t> JsonObject::unsigned_integer(std::string_view key) const {
  auto it = number_text_.find(key);
  if (it == number_text_.end()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
  if (ec != std::errc{} || p != it->second.data() + it->second.size()) return std::nullopt;
  return v;
}

std::optional<std::string> JsonObject::string(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end() || !std::holds_alternative<std::string>(it->second)) return std::nullopt;
  return std::get<std::string>(it->second);
}

std::optional<bool> JsonObject::boolean(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end() || !std::holds_alternative<bool>(it->second)) return std::nullopt;
  return std::get<bool>(it->second);
}

}  // namespace bench
