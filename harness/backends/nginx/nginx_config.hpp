// The nginx.conf the wrapper writes: one process serving the suite's hello body on one port.
#pragma once

#include <cstddef>
#include <string>

namespace nginx_backend {

struct NginxSite {
  std::string dir;                  // the run's temporary directory: logs, pid, temp paths, body file
  std::string listen;               // "127.0.0.1:8080"
  std::size_t body_size = 13;       // bytes of proto::make_hello_body(body_size)
  unsigned worker_connections = 1024;
  std::string status_socket;        // a Unix socket serving stub_status; none if empty
};

// Bodies up to this size are answered from the configuration (`return 200 "..."`), from memory
// like every other server. nginx reads its configuration in 4 KiB buffers and refuses longer
// tokens, so larger bodies are served as a static file.
inline constexpr std::size_t kMaxInlineBody = 2048;

// Name of the body file inside NginxSite::dir, when body_size > kMaxInlineBody.
inline constexpr const char* kBodyFile = "body";

std::string render_config(const NginxSite& site);

}  // namespace nginx_backend
