#!/bin/bash
# Is the load generator fast enough? The same server (pinned to CPU 0) driven alternately by
# `wrk -t1 -c100 -d3s` and by harness/loadgen (100 keep-alive connections for 3 s, every reply
# verified), each client pinned to CPU 1. Prints both rates per round.
#   scripts/loadgen_vs_wrk.sh [ROUNDS] [BACKEND...]   (default 3 rounds, backends ringcore nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
rounds=${1:-3}
shift || true
backends=("$@"); [ $# -gt 0 ] || backends=(ringcore nginx)
command -v wrk >/dev/null || { echo "loadgen_vs_wrk: wrk is missing (make deps installs it)" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"; [ -n "${spid:-}" ] && kill -TERM $spid 2>/dev/null; true' EXIT
for backend in "${backends[@]}"; do
  bin="$B/backends/backend-$backend"
  [ -x "$bin" ] || { echo "loadgen_vs_wrk: $bin is missing: run make build first" >&2; exit 2; }
  taskset -c 0 "$bin" serve --proto http --port 0 > "$out" 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -q ready "$out" && break; sleep 0.05; done
  port=$(awk '/ready/ {print $2; exit}' "$out")
  [ -n "$port" ] || { echo "loadgen_vs_wrk: $backend did not start: $(cat "$out")" >&2; exit 1; }
  taskset -c 1 wrk -t1 -c100 -d1s "http://127.0.0.1:$port/" >/dev/null 2>&1   # warm-up
  for r in $(seq 1 "$rounds"); do
    w=$(taskset -c 1 wrk -t1 -c100 -d3s "http://127.0.0.1:$port/" 2>&1 | awk '/Requests\/sec/ {print $2}')
    l=$(taskset -c 1 "$B/harness/loadgen/loadgen" --port "$port" --proto http --connections 100 --duration-ms 3000 |
        /usr/bin/python3 -c 'import json, sys
d = json.loads(sys.stdin.readline())
print("%.0f req/s (errors %d)" % (d["requests"] / (d["elapsed_ns"] / 1e9), d["errors"]))')
    echo "$backend round $r: wrk $w req/s, loadgen $l"
  done
  kill -TERM $spid; wait $spid 2>/dev/null || true; spid=
done
