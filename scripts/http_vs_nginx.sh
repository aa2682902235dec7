#!/bin/bash
# The http_server example against a 1-worker nginx (through the nginx backend's wrapper), in
# alternating rounds under the same `wrk -t1 -c100 -d3s`: server pinned to CPU 0, wrk to CPU 1.
# Prints per round: req/s, the server's CPU time per request (utime+stime of the serving process from
# /proc/PID/stat, all its threads), and wrk's socket errors and non-2xx answers.
#   scripts/http_vs_nginx.sh [ROUNDS]        (default 3; BUILD=dir overrides build/)
# Between fast servers wrk -t1 saturates its core first, so req/s ties; CPU per request separates them.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
rounds=${1:-3}
for tool in wrk taskset; do
  command -v $tool >/dev/null || { echo "http_vs_nginx: $tool is missing (make deps installs it)" >&2; exit 2; }
done
for bin in "$B/runtime/examples/http_server" "$B/backends/backend-nginx"; do
  [ -x "$bin" ] || { echo "http_vs_nginx: $bin is missing: run make build first" >&2; exit 2; }
done
hz=$(getconf CLK_TCK)
out=$(mktemp)
trap 'rm -f "$out"; [ -n "${spid:-}" ] && kill -TERM $spid 2>/dev/null; true' EXIT
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }
round() {
  local name=$1; shift
  "$@" > "$out" 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -qE "ready|listening on" "$out" && break; sleep 0.05; done
  local port wpid c0 c1 res rps reqs errs
  port=$(grep -oE "(ready |127\.0\.0\.1:)[0-9]+" "$out" | head -1 | grep -oE "[0-9]+$")
  [ -n "$port" ] || { echo "http_vs_nginx: $name did not start: $(cat "$out")" >&2; exit 1; }
  wpid=$(pgrep -P $spid nginx || echo $spid)   # nginx's worker is a child of the wrapper
  taskset -c 1 wrk -t1 -c100 -d1s "http://127.0.0.1:$port/" >/dev/null 2>&1   # warm-up
  c0=$(cpu_of $wpid)
  res=$(taskset -c 1 wrk -t1 -c100 -d3s "http://127.0.0.1:$port/" 2>&1)
  c1=$(cpu_of $wpid)
  kill -TERM $spid; wait $spid 2>/dev/null || true; spid=
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
  reqs=$(awk '/requests in/ {print $1}' <<<"$res")
  errs=$(grep -E "Socket errors|Non-2xx" <<<"$res" | tr '\n' ' ' || true)
  /usr/bin/python3 -c 'import sys
name, rps, reqs, ticks, hz, errs = sys.argv[1:]
print("%-12s req/s %9.0f  server CPU us/req %5.2f  %s" % (name, float(rps), int(ticks) / int(hz) * 1e6 / int(reqs),
      errs or "no socket errors, no non-2xx"))' "$name" "$rps" "$reqs" "$((c1 - c0))" "$hz" "$errs"
}
for _ in $(seq 1 "$rounds"); do
  round http_server taskset -c 0 "$B/runtime/examples/http_server" --port 0
  round nginx taskset -c 0 "$B/backends/backend-nginx" serve --proto http --port 0
done
