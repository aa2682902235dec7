#!/usr/bin/env bash
# Runs the benchmarks into a fresh results/<UTC time>-<short commit>/ folder, then the scripts that
# turn its bench.json into charts, a report and a history entry; results/latest points at it.
#
#   scripts/bench.sh [--profile quick|default|full] [--out DIR] [ringcore-bench flags...]
#
# --out DIR puts the run folder under DIR instead of results/ and leaves results/latest and
# results/history.jsonl alone (ci/perf-check uses it for its scratch runs).
#
# Builds nothing (make bench builds first). BUILD selects the build folder (default: build).
# Ctrl-C: the runner stops its servers, finishes a valid JSON of what ran, and the scripts still run
# on it. Exit status: the runner's (0 ok, 1 a benchmark failed, 2 usage, 130 interrupted), else 1
# when a script failed.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
RUNNER=$BUILD/harness/runner/ringcore-bench
PY=/usr/bin/python3

if [[ ! -x $RUNNER ]]; then
  echo "bench.sh: $RUNNER is missing; run 'make build' first" >&2
  exit 2
fi

args=()
results_root=results
profile_given=0
order_given=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --out) results_root=${2:?--out needs a folder}; shift 2; continue ;;
    --out=*) results_root=${1#--out=}; shift; continue ;;
    --profile|--profile=*) profile_given=1 ;;
    --order|--order=*|--benchmark_enable_random_interleaving*) order_given=1 ;;
  esac
  args+=("$1")
  shift
done
(( profile_given )) || args=(--profile default "${args[@]}")
# Repetitions in one random order across backends: a slow phase of a shared host (seconds long) then
# lands on every backend's samples alike instead of on whichever backend was running (--order grouped
# runs each benchmark's repetitions back to back).
(( order_given )) || args+=(--order interleaved)

# Syscall counts need tracefs (raw_syscalls:sys_enter); without it they are reported as -1.
if [[ ! -e /sys/kernel/tracing/events/raw_syscalls ]]; then
  if [[ $EUID -eq 0 ]]; then
    mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
      echo "bench.sh: could not mount tracefs; syscall counts will be -1" >&2
  else
    echo "bench.sh: tracefs is not mounted and this is not root; syscall counts will be -1" >&2
  fi
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo nocommit)
run=$results_root/$(date -u +%Y%m%dT%H%M%SZ)-$commit
mkdir -p "$run"
echo "bench.sh: writing $run" >&2

# Ctrl-C reaches the whole foreground group: the runner handles it itself, this script waits for it
# and carries on, and tee -i keeps logging so the runner never writes into a closed pipe.
interrupted=0
trap 'interrupted=1' INT
"$RUNNER" "${args[@]}" --benchmark_out="$run/bench.json" --benchmark_out_format=json 2>&1 | tee -i "$run/bench.log"
status=${PIPESTATUS[0]}
trap - INT
(( interrupted )) && echo "bench.sh: interrupted; processing what finished" >&2

if [[ ! -s $run/bench.json ]]; then
  echo "bench.sh: the runner wrote no results (exit $status)" >&2
  exit $(( status != 0 ? status : 1 ))
fi

# The ablation: ringcore under each named ring configuration (harness/README.md), into ablation.json:
# the quick profile's variants where a feature can matter, 6 repetitions (the fewest whose min–max is
# a 95% interval of the median), about 40 s. A configuration that adds nothing a workload can use is
# left out for it (no sockets in file_read, no chains in the network workloads). ABLATION=0 skips it.
ABLATION_FILTER='^net_concurrent/ringcore\.(plain|coop|defer|sqpoll|fixed|bufring|batch)/proto:http/(conns:1000$|conns:100/duration_ms)'
ABLATION_FILTER+='|^net_sequential/ringcore\.(plain|coop|defer|sqpoll|fixed|bufring|batch)/proto:http/mode:keepalive'
ABLATION_FILTER+='|^linked_chain/ringcore\.(plain|coop|defer|sqpoll|linked|batch)/'
ABLATION_FILTER+='|^file_read/ringcore\.(plain|coop|defer|sqpoll|batch)/block:4096/depth:16/cache:direct'
if (( ! interrupted )) && [[ ${ABLATION:-1} != 0 && -x $BUILD/backends/backend-ringcore ]]; then
  echo "bench.sh: ablation (ringcore under each ring configuration)" >&2
  trap 'interrupted=1' INT
  "$RUNNER" --profile quick --repetitions 6 --order interleaved \
    --backends ringcore.plain,ringcore.coop,ringcore.defer,ringcore.sqpoll,ringcore.fixed,ringcore.bufring,ringcore.linked,ringcore.batch \
    --workloads net_concurrent,net_sequential,linked_chain,file_read --filter "$ABLATION_FILTER" \
    --benchmark_out="$run/ablation.json" --benchmark_out_format=json 2>&1 | tee -i -a "$run/bench.log"
  ablation_status=${PIPESTATUS[0]}
  trap - INT
  # A failed ablation benchmark fails the bench as a failed main one would.
  if (( status == 0 && ablation_status != 0 && ! interrupted )); then status=$ablation_status; fi
fi

script_failed=0
run_script() {
  local script=scripts/$1
  shift
  [[ -f $script ]] || return 0
  if ! "$PY" "$script" "$@"; then
    echo "bench.sh: $script $* failed" >&2
    script_failed=1
  fi
}
# The runtime's own cost (awaiting a NOP through ringcore vs raw liburing), unless interrupted.
MICRO=$BUILD/runtime/bench/runtime_microbench
if (( ! interrupted )) && [[ -x $MICRO ]]; then
  echo "bench.sh: runtime micro-benchmark (ringcore vs raw liburing)" >&2
  taskset -c 0 "$MICRO" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
    --benchmark_out="$run/microbench.json" --benchmark_out_format=json 2>&1 | tee -a "$run/bench.log"
fi

run_script split_results.py "$run"
run_script plot.py "$run"
run_script report.py "$run"
if [[ $results_root == results ]]; then
  run_script history.py append "$run"
  ln -sfn "$(basename "$run")" results/latest
  echo "bench.sh: results in $run (results/latest)" >&2
else
  echo "bench.sh: results in $run" >&2
fi

if (( status != 0 )); then
  exit "$status"
fi
exit $script_failed
