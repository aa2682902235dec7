// Proves the conformance corpus's expected responses are exactly what proto::HttpSession answers, fed
// the way a server feeds it (piece by piece, keeping unparsed bytes, stopping at a close). With
// RINGCORE_WRITE_CORPUS=1 it writes NAME.response instead (after corpus/make_requests.py).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "protocol/corpus.hpp"
#include "protocol/http.hpp"

namespace {

// What a server running proto::HttpSession sends for `c`, given the client's pieces and half-close.
std::string session_answer(const proto::CorpusCase& c) {
  static const proto::HttpSession::Responses responses(proto::kDefaultHelloSize);
  proto::HttpSession session(responses);
  std::string in, out;
  for (const std::string& piece : proto::corpus_pieces(c)) {
    in += piece;
    proto::HttpSession::Step step = session.on_data(in, out);
    in.erase(0, step.consumed);
    if (step.close) break;
  }
  return out;
}

const std::vector<proto::CorpusCase>& corpus() {
  static const std::vector<proto::CorpusCase> cases = proto::load_corpus(RINGCORE_HTTP_CORPUS_DIR);
  return cases;
}

TEST(HttpCorpus, CoversEveryErrorStatus) {
  ASSERT_GE(corpus().size(), 30u) << "corpus not found in " << RINGCORE_HTTP_CORPUS_DIR;
  for (const char* status : {" 400 ", " 405 ", " 413 ", " 414 ", " 431 ", " 501 ", " 505 "}) {
    bool found = false;
    for (const auto& c : corpus()) found = found || c.response.find(std::string("HTTP/1.1") + status) != std::string::npos;
    EXPECT_TRUE(found) << "no corpus case answers" << status;
  }
}

TEST(HttpCorpus, ResponsesAreWhatHttpSessionAnswers) {
  const char* write = std::getenv("RINGCORE_WRITE_CORPUS");
  for (const auto& c : corpus()) {
    SCOPED_TRACE(c.name);
    std::string expected = session_answer(c);
    if (write && std::string(write) == "1") {
      std::ofstream(std::string(RINGCORE_HTTP_CORPUS_DIR) + "/" + c.name + ".response", std::ios::binary) << expected;
      continue;
    }
    ASSERT_TRUE(c.has_response) << c.name << ".response is missing (RINGCORE_WRITE_CORPUS=1 writes it)";
    EXPECT_EQ(c.response, expected);
    // The same answer whatever the pieces: the session keeps partial requests correctly.
    proto::CorpusCase whole = c;
    whole.splits.clear();
    EXPECT_EQ(session_answer(whole), expected);
  }
}

}  // namespace
