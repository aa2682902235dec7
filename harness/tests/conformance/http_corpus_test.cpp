// Proves the backend's HTTP server answers every request stream of the conformance corpus
// (workloads/protocol/corpus) with exactly the corpus's response bytes, then closes: the client sends the
// stream (pausing at NAME.splits so the server sees partial requests), half-closes, and reads to the end.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "protocol/corpus.hpp"
#include "server_fixture.hpp"
#include "tcp_client.hpp"

namespace conformance {
namespace {

const std::vector<proto::CorpusCase>& corpus() {
  static const std::vector<proto::CorpusCase> cases = proto::load_corpus(RINGCORE_HTTP_CORPUS_DIR);
  return cases;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : corpus()) names.push_back(c.name);
  return names;
}

// Where two byte streams first differ, with a little context, printable.
std::string first_difference(const std::string& got, const std::string& want) {
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  auto show = [](std::string s) {
    std::string out;
    for (char ch : s.substr(0, 80)) {
      if (ch == '\r') out += "\\r";
      else if (ch == '\n') out += "\\n";
      else if (ch < 0x20 || ch > 0x7e) out += '.';
      else out += ch;
    }
    return out;
  };
  std::size_t from = i < 40 ? 0 : i - 40;
  return "got " + std::to_string(got.size()) + " bytes, want " + std::to_string(want.size()) +
         "; first difference at byte " + std::to_string(i) + "\n  got:  \"" + show(got.substr(from)) +
         "\"\n  want: \"" + show(want.substr(from)) + "\"";
}

class HttpCorpus : public ServerTest, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    if (is_reference_server()) GTEST_SKIP() << kReferenceExemption;
    start_server("http");
  }
};

TEST_P(HttpCorpus, AnswersExactlyTheExpectedBytes) {
  const proto::CorpusCase* c = nullptr;
  for (const auto& candidate : corpus())
    if (candidate.name == GetParam()) c = &candidate;
  ASSERT_NE(c, nullptr);
  ASSERT_TRUE(c->has_response) << c->name << ".response is missing";
  TcpClient client;
  std::string error;
  ASSERT_TRUE(client.connect(port(), kSocketTimeoutMs, error)) << error;
  bool first = true;
  for (const std::string& piece : proto::corpus_pieces(*c)) {
    // A pause so that the server most likely reads the pieces apart (not asserted: the bytes must
    // be the same however the reads fall).
    if (!first) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    first = false;
    ASSERT_TRUE(client.send_all(piece, error)) << error;
  }
  ASSERT_EQ(::shutdown(client.fd(), SHUT_WR), 0);
  std::string got;
  ASSERT_TRUE(client.read_until_close(got, error)) << error << "\n" << first_difference(got, c->response);
  EXPECT_TRUE(got == c->response) << first_difference(got, c->response);
}

INSTANTIATE_TEST_SUITE_P(Corpus, HttpCorpus, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

}  // namespace
}  // namespace conformance
