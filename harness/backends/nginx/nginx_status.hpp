// nginx's own count of what it served, read from its stub_status page on a Unix socket of the
// run's directory (so the benchmark port serves nothing but the hello body).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace nginx_backend {

struct NginxCounts {
  std::uint64_t accepted = 0;  // connections accepted on every listener, this query's own included
  std::uint64_t requests = 0;  // requests read, this query's own included
};

// One GET on the status socket (bounded by a 1 s timeout); nullopt if it cannot be read.
std::optional<NginxCounts> query_status(const std::string& socket_path);

// Parses stub_status's page: "... server accepts handled requests\n A H R \n...".
std::optional<NginxCounts> parse_status(const std::string& page);

}  // namespace nginx_backend
