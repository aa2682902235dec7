// --server-netns: a network namespace with a real OpenSSH server inside it, created for this run by
// netns_server_host.sh (a veth pair, a 10.213.x.y/30 no route here uses, keys generated for the run),
// so that the --server-host path runs end to end on one machine.
//
// The script runs in a session of its own, outside the runner's child table, and watches its stdin:
// the runner holds the other end, so when the runner ends in any way (normally, interrupted, killed
// outright) the script sees end of file and removes sshd, every process in the namespace, the veth
// pair, the namespace and the key directory. The destructor closes that pipe and waits for it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "runner/config.hpp"

namespace runner {

// Namespaces (or sshd, ip, root) are not available here: the script exited 77 with this reason.
struct NetnsUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class NetnsHost {
 public:
  static constexpr int kSetupTimeoutS = 30;
  static constexpr int kTeardownTimeoutS = 20;

  // Throws NetnsUnavailable (skip) or std::runtime_error (failure).
  static std::unique_ptr<NetnsHost> create(const std::filesystem::path& script);
  ~NetnsHost();
  NetnsHost(const NetnsHost&) = delete;
  NetnsHost& operator=(const NetnsHost&) = delete;

  const std::string& name() const { return name_; }
  const std::string& host_address() const { return host_address_; }
  // root@<namespace address>, with the generated key and known_hosts and nothing of the user's.
  ServerHost server_host() const;

 private:
  NetnsHost() = default;

  pid_t pid_ = -1;
  int stdin_fd_ = -1;  // held open for the namespace's lifetime
  std::string name_, host_address_, server_address_, user_, key_, known_hosts_;
};

}  // namespace runner
