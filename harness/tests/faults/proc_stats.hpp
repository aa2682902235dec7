// What /proc says about a server while a test runs: its process tree (nginx serves from a child of
// the backend-nginx wrapper), CPU time, resident memory and open descriptors. Read from outside,
// so a test can check a server's resource use without the server's cooperation.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace faults {

// `root` and every process descended from it (found by scanning /proc for parent pids).
std::vector<pid_t> process_tree(pid_t root);

// True while `pid` exists and is not a zombie.
bool process_running(pid_t pid);

// User + system CPU time of the whole tree, every thread included (/proc/PID/stat utime + stime), in
// seconds; -1 when the root is gone.
double tree_cpu_seconds(pid_t root);

// The CPU time the tree uses while this thread sleeps for `window`: a server that spins shows about
// `window` (or more, with threads), an idle one next to nothing. -1 when the root is gone.
double cpu_seconds_over(pid_t root, std::chrono::milliseconds window);

// Resident set size of the whole tree in KiB (/proc/PID/status VmRSS); -1 when the root is gone.
std::int64_t tree_rss_kib(pid_t root);

// Descriptors open in the whole tree (/proc/PID/fd); -1 when the root is gone.
int open_fds(pid_t root);

// Every descriptor of the tree as "pid:fd -> target" (for failure messages).
std::string describe_fds(pid_t root);

// The most descriptors numbered below `limit` that any one process of the tree has open
// (/proc/PID/fd): equal to `limit` when a process with RLIMIT_NOFILE `limit` has none left to give
// (descriptors inherited above the limit, which take no slot, are not counted). -1: the root is gone.
int max_open_fds_below(pid_t root, int limit);

// Connections only the server's side still holds: the tree's IPv4 TCP sockets on `server_port` that
// are ESTABLISHED with nothing queued either way while no socket on this machine is their client end.
// No FIN or RST ever reached them, so no server can notice they ended (a client reset by a RST the
// kernel sent from the listener, not from this socket, leaves one). A server that missed an end it
// was told about holds CLOSE_WAIT or CLOSE instead, and one that stopped reading holds queued bytes.
int half_open_connections(pid_t root, std::uint16_t server_port);

// Bytes queued unread in the receive buffer of the IPv4 TCP socket local_port <-> remote_port
// (/proc/net/tcp, rx_queue); -1 when there is no such socket. How a test knows a server has read
// what was sent to it, without the server's help.
long tcp_receive_queue(std::uint16_t local_port, std::uint16_t remote_port);

}  // namespace faults
