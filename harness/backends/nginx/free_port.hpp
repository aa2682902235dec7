// The wrapper's address and port helpers. nginx cannot listen on port 0 and say which port it got,
// so the wrapper picks one first; and it probes that nginx answers there before saying "ready".
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace nginx_backend {

// ADDR:PORT as a socket address; false if ADDR is neither IPv4 nor IPv6.
bool make_address(const std::string& host, std::uint16_t port, sockaddr_storage& out, socklen_t& len);

// A port the kernel considers free on `address`: bind to port 0, read the port, close. Another
// process may take it before nginx binds it; the caller retries on EADDRINUSE. 0 on failure.
std::uint16_t pick_free_port(const sockaddr_storage& address, socklen_t len);

// True once nginx answers an HTTP request on `address` (one request, Connection: close). Unlike a
// connect, which the kernel completes as soon as the socket listens, an answer means nginx finished
// its start-up (its connection table is allocated and touched after it listens, which took 3-5 ms
// of CPU here) and runs its event loop.
bool answers_http(const sockaddr_storage& address, socklen_t len);

// "127.0.0.1:8080" or "[::1]:8080", as nginx's listen directive wants it.
std::string listen_address(const std::string& host, std::uint16_t port);

}  // namespace nginx_backend
