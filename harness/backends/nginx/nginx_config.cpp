#include "nginx_config.hpp"

#include "protocol/http.hpp"

namespace nginx_backend {

std::string render_config(const NginxSite& site) {
  const std::string& d = site.dir;
  std::string c;
  c += "# Written by backend-nginx for one benchmark run; removed when the run ends.\n";
  // One process that accepts, parses and answers, like every other backend's one event-loop
  // thread. master_process off runs that same event loop (ngx_single_process_cycle) without an
  // idle master beside it, so the wrapper's child is the serving process itself.
  c += "worker_processes 1;\n";
  c += "master_process off;\n";
  c += "daemon off;\n";
  c += "pid " + d + "/nginx.pid;\n";
  c += "error_log " + d + "/error.log warn;\n";
  c += "events {\n";
  c += "    worker_connections " + std::to_string(site.worker_connections) + ";\n";
  c += "}\n";
  c += "http {\n";
  c += "    access_log off;\n";
  c += "    keepalive_requests 100000;\n";
  // Every temp path inside the run's directory: nothing of the system's nginx is touched.
  for (const char* kind : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
    c += std::string("    ") + kind + "_temp_path " + d + "/" + kind + ";\n";
  c += "    types {}\n";
  c += "    default_type text/plain;\n";
  c += "    server {\n";
  // No reuseport: one listening socket, as every other server has.
  c += "        listen " + site.listen + " backlog=4096;\n";
  c += "        location / {\n";
  if (site.body_size <= kMaxInlineBody) {
    // The body is plain letters (proto::hello_body_byte) or "Hello, World!": nothing to escape.
    c += "            return 200 \"" + proto::make_hello_body(site.body_size) + "\";\n";
  } else {
    // How nginx serves a fixed large body: sendfile from the page cache, the open file cached.
    c += "            root " + d + ";\n";
    c += "            try_files /" + std::string(kBodyFile) + " =500;\n";
    c += "            sendfile on;\n";
    c += "            tcp_nopush on;\n";
    c += "            open_file_cache max=16 inactive=1h;\n";
    c += "            open_file_cache_valid 1h;\n";
  }
  c += "        }\n";
  c += "    }\n";
  if (!site.status_socket.empty()) {
    // nginx's own request and connection counts, for the counters line, off the benchmark port.
    c += "    server {\n";
    c += "        listen unix:" + site.status_socket + ";\n";
    c += "        location / {\n";
    c += "            stub_status;\n";
    c += "        }\n";
    c += "    }\n";
  }
  c += "}\n";
  return c;
}

}  // namespace nginx_backend
