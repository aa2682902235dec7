#include "proc_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

namespace faults {
namespace {

std::string read_text(const std::string& path) {
  // A process can exit between open and read (all_pids() scans every process on the machine): the
  // read then fails with ESRCH, which libstdc++'s filebuf throws from underflow. Gone is empty.
  try {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure&) {
    return {};
  }
}

// The fields of /proc/PID/stat after the command name, which may itself hold spaces and ')'.
// fields[0] is field 3 of proc(5) (state), fields[1] the parent pid, fields[11] utime, fields[12] stime.
std::vector<std::string> stat_fields(pid_t pid) {
  std::string text = read_text("/proc/" + std::to_string(pid) + "/stat");
  std::size_t close = text.rfind(')');
  std::vector<std::string> fields;
  if (close == std::string::npos) return fields;
  std::istringstream rest(text.substr(close + 1));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  DIR* dir = ::opendir("/proc");
  if (dir == nullptr) return pids;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && pid > 0) pids.push_back(pid_t(pid));
  }
  ::closedir(dir);
  return pids;
}

// Entries of a /proc/PID/fd directory numbered below `below`; -1 when it cannot be read.
int count_fds(const std::string& path, long below = LONG_MAX) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return -1;
  int n = 0;
  while (dirent* entry = ::readdir(dir))
    if (entry->d_name[0] != '.' && std::strtol(entry->d_name, nullptr, 10) < below) ++n;
  ::closedir(dir);
  return n;
}

// One row of /proc/net/tcp (IPv4): "sl local_address rem_address st tx_queue:rx_queue tr tm->when
// retrnsmt uid timeout inode", addresses as HEXIP:HEXPORT, the state and queues in hex.
struct TcpRow {
  long local_port = -1, remote_port = -1;
  std::string state, queues, inode;
};

std::vector<TcpRow> tcp_table() {
  std::vector<TcpRow> rows;
  std::istringstream table(read_text("/proc/net/tcp"));
  std::string line;
  std::getline(table, line);  // the header
  auto port_of = [](const std::string& address) {
    std::size_t colon = address.find(':');
    return colon == std::string::npos ? -1L : std::strtol(address.c_str() + colon + 1, nullptr, 16);
  };
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, timer, retransmits, uid, timeout;
    TcpRow row;
    if (!(fields >> slot >> local >> remote >> row.state >> row.queues >> timer >> retransmits >> uid >> timeout >>
          row.inode))
      continue;
    row.local_port = port_of(local);
    row.remote_port = port_of(remote);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The row of the IPv4 TCP socket with this inode; nullptr when it is not one (another kind of socket).
const TcpRow* row_of(const std::vector<TcpRow>& table, const std::string& inode) {
  auto row = std::find_if(table.begin(), table.end(), [&](const TcpRow& r) { return r.inode == inode; });
  return row == table.end() ? nullptr : &*row;
}

// " (tcp local_port->remote_port state 0xST queues TX:RX)" for the IPv4 TCP socket with this inode, or "".
std::string describe_tcp_socket(const std::vector<TcpRow>& table, const std::string& inode) {
  const TcpRow* row = row_of(table, inode);
  if (row == nullptr) return "";
  return " (tcp " + std::to_string(row->local_port) + "->" + std::to_string(row->remote_port) + " state 0x" +
         row->state + " queues " + row->queues + ")";
}

// Every descriptor of the tree as (pid:fd, readlink target).
std::vector<std::pair<std::string, std::string>> tree_fd_targets(pid_t root) {
  std::vector<std::pair<std::string, std::string>> out;
  for (pid_t pid : process_tree(root)) {
    std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    DIR* fds = ::opendir(dir.c_str());
    if (fds == nullptr) continue;
    while (dirent* entry = ::readdir(fds)) {
      if (entry->d_name[0] == '.') continue;
      char target[256] = {};
      ssize_t n = ::readlink((dir + "/" + entry->d_name).c_str(), target, sizeof target - 1);
      out.emplace_back(std::to_string(pid) + ":" + entry->d_name, n > 0 ? std::string(target, std::size_t(n)) : "?");
    }
    ::closedir(fds);
  }
  return out;
}

// "N" of a "socket:[N]" link target, or "".
std::string socket_inode(const std::string& target) {
  return target.rfind("socket:[", 0) == 0 && target.back() == ']' ? target.substr(8, target.size() - 9) : "";
}

}  // namespace

std::vector<pid_t> process_tree(pid_t root) {
  std::vector<pid_t> tree;
  if (!process_running(root)) return tree;
  tree.push_back(root);
  std::vector<std::pair<pid_t, pid_t>> parent_of;  // (pid, ppid)
  for (pid_t pid : all_pids()) {
    auto f = stat_fields(pid);
    if (f.size() > 1) parent_of.emplace_back(pid, pid_t(std::atol(f[1].c_str())));
  }
  // Breadth first: each round adds the children of what is already in the tree.
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (auto [pid, ppid] : parent_of)
      if (ppid == tree[i]) tree.push_back(pid);
  return tree;
}

bool process_running(pid_t pid) {
  auto f = stat_fields(pid);
  return !f.empty() && f[0] != "Z" && f[0] != "X";
}

double tree_cpu_seconds(pid_t root) {
  auto tree = process_tree(root);
  if (tree.empty()) return -1;
  long long ticks = 0;
  for (pid_t pid : tree) {
    auto f = stat_fields(pid);
    if (f.size() > 12) ticks += std::atoll(f[11].c_str()) + std::atoll(f[12].c_str());
  }
  return double(ticks) / double(::sysconf(_SC_CLK_TCK));
}

double cpu_seconds_over(pid_t root, std::chrono::milliseconds window) {
  double before = tree_cpu_seconds(root);
  std::this_thread::sleep_for(window);
  double after = tree_cpu_seconds(root);
  return before < 0 || after < 0 ? -1 : after - before;
}

std::int64_t tree_rss_kib(pid_t root) {
  auto tree = process_tree(root);
  if (tree.empty()) return -1;
  std::int64_t kib = 0;
  for (pid_t pid : tree) {
    std::istringstream status(read_text("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);) {
      if (line.rfind("VmRSS:", 0) == 0) {
        kib += std::atoll(line.c_str() + 6);
        break;
      }
    }
  }
  return kib;
}

int open_fds(pid_t root) {
  auto tree = process_tree(root);
  if (tree.empty()) return -1;
  int total = 0;
  for (pid_t pid : tree) total += std::max(0, count_fds("/proc/" + std::to_string(pid) + "/fd"));
  return total;
}

std::string describe_fds(pid_t root) {
  std::vector<TcpRow> table = tcp_table();
  std::string out;
  for (const auto& [where, target] : tree_fd_targets(root))
    out += (out.empty() ? "" : ", ") + where + " -> " + target + describe_tcp_socket(table, socket_inode(target));
  return out;
}

int half_open_connections(pid_t root, std::uint16_t server_port) {
  std::vector<TcpRow> table = tcp_table();
  int half_open = 0;
  for (const auto& [where, target] : tree_fd_targets(root)) {
    const TcpRow* row = row_of(table, socket_inode(target));
    if (row == nullptr) continue;
    bool established_idle = row->local_port == server_port && row->state == "01" && row->queues == "00000000:00000000";
    bool client_gone = std::none_of(table.begin(), table.end(), [&](const TcpRow& other) {
      return other.local_port == row->remote_port && other.remote_port == row->local_port;
    });
    if (established_idle && client_gone) ++half_open;
  }
  return half_open;
}

int max_open_fds_below(pid_t root, int limit) {
  auto tree = process_tree(root);
  if (tree.empty()) return -1;
  int most = 0;
  for (pid_t pid : tree) most = std::max(most, count_fds("/proc/" + std::to_string(pid) + "/fd", limit));
  return most;
}

long tcp_receive_queue(std::uint16_t local_port, std::uint16_t remote_port) {
  for (const TcpRow& row : tcp_table()) {
    if (row.local_port != local_port || row.remote_port != remote_port) continue;
    std::size_t colon = row.queues.find(':');
    if (colon == std::string::npos) return -1;
    return std::strtol(row.queues.c_str() + colon + 1, nullptr, 16);
  }
  return -1;
}

}  // namespace faults
