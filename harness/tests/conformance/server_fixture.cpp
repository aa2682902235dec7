#include "server_fixture.hpp"

#include <charconv>
#include <sstream>

namespace conformance {

void ServerTest::start_server(const std::string& proto, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{backend().path, "serve", "--proto", proto, "--port", "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  server_ = std::make_unique<ChildProcess>(argv);
  ASSERT_TRUE(server_->started()) << server_->start_error();
  std::string line;
  bool got_line = server_->read_line(line, kStartTimeout);
  if (!got_line || line.rfind("ready ", 0) != 0) {
    // Not ready: either "cannot do this here" (77) or a failure; give it a moment to say which.
    ChildProcess::Exit exit = server_->wait(kStopTimeout);
    std::string out = line + "\n" + server_->out();
    stopped_ = true;
    if (exit.exited && exit.code == kExitSkip) GTEST_SKIP() << backend().name << ": " << skip_reason(out);
    FAIL() << "serve --proto " << proto << " printed no 'ready N' line within " << kStartTimeout.count()
           << " ms (first line: '" << line << "', exit code " << exit.code << ", signal " << exit.signal
           << "); stderr: " << server_->err();
  }
  unsigned port = 0;
  std::string_view digits = std::string_view(line).substr(6);
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  ASSERT_TRUE(ec == std::errc{} && p == digits.data() + digits.size() && port > 0 && port < 65536)
      << "bad ready line '" << line << "'";
  port_ = std::uint16_t(port);
}

std::vector<std::string> ServerTest::stop_server() {
  std::vector<std::string> lines;
  if (!server_ || stopped_) return lines;
  stopped_ = true;
  ChildProcess::Exit exit = server_->terminate(kStopTimeout);
  EXPECT_FALSE(exit.timed_out) << "the server did not exit within " << kStopTimeout.count()
                               << " ms of SIGTERM (killed); stderr: " << server_->err();
  EXPECT_TRUE(exit.exited && exit.code == 0)
      << "the server did not exit 0 after SIGTERM: exit code " << exit.code << ", signal " << exit.signal
      << "; stderr: " << server_->err();
  std::istringstream out(server_->out());
  for (std::string line; std::getline(out, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

void ServerTest::TearDown() { stop_server(); }

}  // namespace conformance
