// Which addresses the runner may start servers on and send load to. By default only loopback
// addresses and the namespace address a --server-netns run created itself; anything else needs
// --allow-remote (harness/runner/README.md, "Two hosts").
#pragma once

#include <optional>
#include <string>

namespace runner {

// "HOST" of "[USER@]HOST" (brackets of "[::1]" removed).
std::string host_of(const std::string& destination);
// An IPv4 or IPv6 literal as is, else the first address the resolver gives; nullopt when none.
std::optional<std::string> resolve_address(const std::string& host);
// 127.0.0.0/8 or ::1 (or ::ffff:127.x.y.z).
bool is_loopback(const std::string& address);
bool is_ip_literal(const std::string& address);

}  // namespace runner
