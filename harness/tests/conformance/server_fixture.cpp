#include "server_fixture.hpp"

namespace conformance {

void ServerTest::start_server(const std::string& proto, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{backend().path, "serve", "--proto", proto, "--port", "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  start_serving(argv, server_, port_);
  stopped_ = port_ == 0;  // never got ready: it has exited already
}

std::vector<std::string> ServerTest::stop_server(bool whole_group) {
  if (!server_ || stopped_) return {};
  stopped_ = true;
  return stop_serving(*server_, whole_group);
}

void ServerTest::TearDown() { stop_server(); }

}  // namespace conformance
