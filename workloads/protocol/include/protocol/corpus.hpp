// The HTTP conformance corpus (workloads/protocol/corpus/): request streams and the exact response
// streams proto::HttpSession answers them with. Each case is NAME.request (what a client sends on one
// connection before it half-closes), NAME.response (every byte the server must send back before it
// closes) and, optionally, NAME.splits (offsets, one a line, at which the client pauses).
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace proto {

struct CorpusCase {
  std::string name;
  std::string request;
  std::vector<std::size_t> splits;  // ascending, each inside the request
  std::string response;             // empty when NAME.response is missing
  bool has_response = false;
};

inline bool read_corpus_file(const std::filesystem::path& path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

// Every case in `dir`, sorted by name.
inline std::vector<CorpusCase> load_corpus(const std::filesystem::path& dir) {
  std::vector<CorpusCase> cases;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".request") continue;
    CorpusCase c;
    c.name = entry.path().stem().string();
    read_corpus_file(entry.path(), c.request);
    std::filesystem::path base = entry.path();
    c.has_response = read_corpus_file(base.replace_extension(".response"), c.response);
    std::string splits;
    if (read_corpus_file(base.replace_extension(".splits"), splits)) {
      std::istringstream in(splits);
      for (std::size_t s; in >> s;) c.splits.push_back(s);
    }
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const CorpusCase& a, const CorpusCase& b) { return a.name < b.name; });
  return cases;
}

// The request cut at its splits: the pieces a client sends one after another.
inline std::vector<std::string> corpus_pieces(const CorpusCase& c) {
  std::vector<std::string> pieces;
  std::size_t from = 0;
  for (std::size_t s : c.splits) {
    pieces.push_back(c.request.substr(from, s - from));
    from = s;
  }
  pieces.push_back(c.request.substr(from));
  return pieces;
}

}  // namespace proto
