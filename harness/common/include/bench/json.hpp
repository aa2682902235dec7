// One-line JSON objects: what every backend, the load generator and the runner exchange.
// Flat objects only (string, number, bool values): enough for a result line, small enough to read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace bench {

class JsonLine {
 public:
  JsonLine& add(std::string_view key, std::int64_t v);
  JsonLine& add(std::string_view key, std::uint64_t v);
  JsonLine& add(std::string_view key, int v) { return add(key, std::int64_t(v)); }
  JsonLine& add(std::string_view key, unsigned v) { return add(key, std::uint64_t(v)); }
  JsonLine& add(std::string_view key, long long v) { return add(key, std::int64_t(v)); }
  JsonLine& add(std::string_view key, unsigned long long v) { return add(key, std::uint64_t(v)); }
  JsonLine& add(std::string_view key, double v);
  JsonLine& add(std::string_view key, bool v);
  JsonLine& add(std::string_view key, std::string_view v);
  JsonLine& add(std::string_view key, const char* v) { return add(key, std::string_view(v)); }
  JsonLine& add(std::string_view key, const std::string& v) { return add(key, std::string_view(v)); }
  // The object followed by '\n'.
  std::string str() const;
  // Writes str() to stdout with one write and flushes.
  void print() const;

 private:
  void key(std::string_view k);
  std::string body_;
};

std::string json_escape(std::string_view s);

using JsonValue = std::variant<std::monostate, bool, double, std::string>;

// A parsed flat object. Numbers keep their text too, so 64-bit integers survive exactly.
class JsonObject {
 public:
  static std::optional<JsonObject> parse(std::string_view text, std::string* error = nullptr);
  bool has(std::string_view key) const { return values_.count(std::string(key)) != 0; }
  std::optional<double> number(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key) const;
  std::optional<std::uint64_t> unsigned_integer(std::string_view key) const;
  std::optional<std::string> string(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  const std::map<std::string, JsonValue, std::less<>>& values() const { return values_; }

 private:
  std::map<std::string, JsonValue, std::less<>> values_;
  std::map<std::string, std::string, std::less<>> number_text_;
};

}  // namespace bench
