#!/bin/bash
# The http_server example against a 1-worker nginx (through the nginx backend's wrapper, with its
# syscall counter off), in ABBA rounds under the same `wrk -t1 --latency -dSECONDS`: server pinned
# to CPU 0, wrk to CPU 1, at each connection count in turn. Prints per round: req/s, the server's
# CPU time per request (utime+stime of the serving process from /proc/PID/stat, all its threads),
# p99, wrk's socket errors and non-2xx answers, and for http_server its io_uring_enter calls per
# request (the ring's own counter, printed at exit, over every request wrk made of that server:
# warm-up included), and wrk's CPU over the measured run as a share of its core (0.9 or more: the
# client was the bottleneck, and req/s says more about wrk than about the server). At the end
# (scripts/abba_summary.py): medians per server, the ratios http_server / nginx of those medians,
# each figure's ratio round by round (a round's two runs meet the same machine, which on this VM
# drifts between fast and slow phases), and how many runs were client-bound, per connection count.
#   scripts/http_vs_nginx.sh [ROUNDS] [CONNS...]   (default 4 rounds; 100 1000 connections)
#   SECONDS_PER_RUN=n (default 3) seconds per measured run; BUILD=dir overrides build/;
#   HTTP_SERVER_ARGS="..." extra flags for http_server (e.g. "--fixed-files", "--recv-per-read");
#   RINGCORE_COUNT_SYSCALLS=1 leaves nginx's syscall counter on (the old, biased measurement);
#   VARIANT_ARGS="..." replaces nginx with http_server run with those flags (named "variant"): two
#   configurations of the example, paired the same way (e.g. VARIANT_ARGS="--recv-per-read").
#   VARIANT_ARGS= (set, empty) pairs http_server with itself: an A/A run, whose ratios show how far
#   this machine moves a ratio when nothing differs (read a variant's gain against it).
#   VARIANT_BIN=path runs the variant from another build of http_server (e.g. a copy built with a
#   changed constant), with VARIANT_ARGS's flags if any.
# Between fast servers wrk -t1 saturates its core first, so req/s ties; CPU per request separates them.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
rounds=${1:-4}
shift || true
conns_list=("$@")
[ ${#conns_list[@]} -gt 0 ] || conns_list=(100 1000)
secs=${SECONDS_PER_RUN:-3}
# nginx runs under the nginx backend's wrapper, whose syscall counter (a tracepoint) would slow every
# syscall nginx makes (4-9% of its CPU per request here); http_server has no such counter. So it is
# off, unless RINGCORE_COUNT_SYSCALLS=1 is given to see what it costs.
export RINGCORE_COUNT_SYSCALLS=${RINGCORE_COUNT_SYSCALLS:-0}
for tool in wrk taskset; do
  command -v $tool >/dev/null || { echo "http_vs_nginx: $tool is missing (make deps installs it)" >&2; exit 2; }
done
for bin in "$B/runtime/examples/http_server" "$B/backends/backend-nginx"; do
  [ -x "$bin" ] || { echo "http_vs_nginx: $bin is missing: run make build first" >&2; exit 2; }
done
# 1,000 connections: wrk and both servers need more descriptors than the usual soft limit of 1024.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
hz=$(getconf CLK_TCK)
out=$(mktemp)
rows=$(mktemp)
trap 'rm -f "$out" "$rows"; [ -n "${spid:-}" ] && kill -TERM $spid 2>/dev/null; true' EXIT
cpu_of() { awk '{print $14+$15}' /proc/$1/stat; }
# wrk's "99%   1.23ms" in microseconds.
p99_us() { awk '$1=="99%" { v=$2; u=v; gsub(/[0-9.]/,"",u); sub(/[a-z]+$/,"",v);
  f = (u=="us") ? 1 : (u=="ms") ? 1e3 : (u=="s") ? 1e6 : (u=="m") ? 6e7 : -1; print v*f }'; }
round() {
  local name=$1 conns=$2; shift 2
  "$@" > "$out" 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -qE "ready|listening on" "$out" && break; sleep 0.05; done
  local port wpid c0 c1 warm res rps reqs sockerr non2xx p99 enters total wrk_cpu
  local TIMEFORMAT='%R %U %S'   # bash's `time` below: wrk's elapsed, user and system seconds
  port=$(grep -oE "(ready |127\.0\.0\.1:)[0-9]+" "$out" | head -1 | grep -oE "[0-9]+$")
  [ -n "$port" ] || { echo "http_vs_nginx: $name did not start: $(cat "$out")" >&2; exit 1; }
  wpid=$(pgrep -P $spid nginx || echo $spid)   # nginx's worker is a child of the wrapper
  warm=$(taskset -c 1 wrk -t1 -c"$conns" -d1s "http://127.0.0.1:$port/" 2>&1)
  c0=$(cpu_of $wpid)
  res=$( { time taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port/" 2>&1; } 2>&1 )
  c1=$(cpu_of $wpid)
  wrk_cpu=$(tail -1 <<<"$res")
  kill -TERM $spid; wait $spid 2>/dev/null || true; spid=
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
  reqs=$(awk '/requests in/ {print $1}' <<<"$res")
  total=$(( reqs + $(awk '/requests in/ {print $1}' <<<"$warm") ))
  # "Socket errors: connect 0, read 0, write 0, timeout 0": their sum.
  sockerr=$(awk '/Socket errors/ { gsub(/[^0-9]+/, " "); for (i = 1; i <= NF; i++) s += $i } END { print s+0 }' <<<"$res")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$res"); non2xx=${non2xx:-0}
  p99=$(p99_us <<<"$res")
  # http_server's exit line: "... N SQEs in M io_uring_enter calls ..."; nginx has no ring.
  enters=$(awk 'match($0, /[0-9]+ io_uring_enter calls/) { split(substr($0, RSTART), w, " "); e = w[1] }
                END { print e == "" ? -1 : e }' "$out")
  /usr/bin/python3 - "$name" "$conns" "$rps" "$reqs" "$((c1 - c0))" "$hz" "$p99" "$sockerr" "$non2xx" "$enters" \
    "$total" "$wrk_cpu" <<'EOF' | tee -a "$rows"
import sys
sys.path.insert(0, "scripts")
from abba_summary import format_row  # the summary parses what it prints
name, conns, rps, reqs, ticks, hz, p99, sockerr, non2xx, enters, total, wrk_cpu = sys.argv[1:]
cpu = int(ticks) / int(hz) * 1e6 / int(reqs)
epr = int(enters) / int(total) if int(enters) >= 0 else None
# wrk's share of its core over the measured run (its set-up included): at 0.9 or more the client,
# not the server, set the pace, as the harness's client_bound says.
elapsed, user, system = (float(t) for t in wrk_cpu.split())
print(format_row(name, conns, float(rps), cpu, float(p99), sockerr, non2xx, epr, (user + system) / elapsed))
EOF
}
server_a() { round http_server "$1" taskset -c 0 "$B/runtime/examples/http_server" --port 0 ${HTTP_SERVER_ARGS:-}; }
if [[ -n ${VARIANT_ARGS+set} || -n ${VARIANT_BIN:-} ]]; then
  b_name=variant
  variant_bin=${VARIANT_BIN:-$B/runtime/examples/http_server}
  [ -x "$variant_bin" ] || { echo "http_vs_nginx: VARIANT_BIN $variant_bin is not an executable" >&2; exit 2; }
  b_what=" ($variant_bin${VARIANT_ARGS:+ $VARIANT_ARGS})"
  # shellcheck disable=SC2086  # the flags are meant to split
  server_b() { round variant "$1" taskset -c 0 "$variant_bin" --port 0 ${VARIANT_ARGS:-}; }
else
  b_name=nginx
  b_what=
  server_b() { round nginx "$1" taskset -c 0 "$B/backends/backend-nginx" serve --proto http --port 0; }
fi
echo "http_vs_nginx: http_server${HTTP_SERVER_ARGS:+ $HTTP_SERVER_ARGS} against $b_name$b_what:" \
  "$rounds ABBA rounds of ${secs}s per server at ${conns_list[*]} connections; load $(cut -d' ' -f1-3 /proc/loadavg)"
for conns in "${conns_list[@]}"; do
  for r in $(seq 1 "$rounds"); do
    if (( r % 2 )); then server_a "$conns"; server_b "$conns"; else server_b "$conns"; server_a "$conns"; fi
  done
done
/usr/bin/python3 scripts/abba_summary.py "$rows" "$b_name"
