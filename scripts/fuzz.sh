#!/usr/bin/env bash
# Builds every libFuzzer target in fuzz/ with clang (ASan + UBSan) into build-fuzz/ and runs each for a
# bounded time on a copy of its seed corpus. Exits non-zero on any crash, sanitizer report, leak,
# timeout or out-of-memory, naming the input that caused it.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [FUZZER...]
#     --seconds N  how long each fuzzer runs (default 60)
#     --jobs J     how many fuzzers run at the same time (default: the number of CPUs)
#     FUZZER       only these (e.g. http_request_fuzzer); default: every fuzz/*_fuzzer.cpp
#
# A fuzzer is one fuzz/<name>_fuzzer.cpp; its "// fuzz-build:" line lists the include directories and
# the project sources compiled in with it, so adding one needs no edit here.
set -euo pipefail

seconds=60
jobs=$(nproc)
only=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --jobs) jobs="${2:?--jobs needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds and --jobs take whole numbers" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
cd "$root"

# --- toolchain -------------------------------------------------------------------------------------
install_hint="apt-get install clang libclang-rt-14-dev"
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz.sh: clang++ not found; install it with:  $install_hint" >&2
  exit 1
fi
runtime_dir=$(clang++ -print-runtime-dir 2>/dev/null || true)
arch=$(uname -m)
for lib in fuzzer asan ubsan_standalone; do
  if [[ ! -f "$runtime_dir/libclang_rt.$lib-$arch.a" ]]; then
    echo "fuzz.sh: the clang runtime libclang_rt.$lib-$arch.a is missing; install it with:  $install_hint" >&2
    exit 1
  fi
done

cxx_flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

# --- which fuzzers ---------------------------------------------------------------------------------
fuzzers=()
if [[ ${#only[@]} -gt 0 ]]; then
  for name in "${only[@]}"; do
    [[ -f "fuzz/$name.cpp" ]] || { echo "fuzz.sh: no fuzz/$name.cpp" >&2; exit 2; }
    fuzzers+=("$name")
  done
else
  for src in fuzz/*_fuzzer.cpp; do fuzzers+=("$(basename "$src" .cpp)"); done
fi

mkdir -p "$out/logs" "$out/corpus" "$out/artifacts"

# --- build -----------------------------------------------------------------------------------------
build() {
  local name=$1
  local line
  line=$(grep -m1 '^// fuzz-build:' "fuzz/$name.cpp" | sed 's|^// fuzz-build:||') || {
    echo "fuzz.sh: fuzz/$name.cpp has no '// fuzz-build:' line" >&2
    return 1
  }
  local -a extra
  read -r -a extra <<<"$line"
  for arg in "${extra[@]}"; do
    if [[ "$arg" == *.cpp && ! -f "$arg" ]]; then
      echo "fuzz.sh: cannot build $name: $arg is missing" >&2
      return 1
    fi
  done
  clang++ "${cxx_flags[@]}" -I fuzz "fuzz/$name.cpp" "${extra[@]}" -o "$out/$name" 2>"$out/logs/$name.build.log" || {
    echo "fuzz.sh: building $name failed:" >&2
    cat "$out/logs/$name.build.log" >&2
    return 1
  }
}

for name in "${fuzzers[@]}"; do
  echo "building $name"
  build "$name"
done

# --- run -------------------------------------------------------------------------------------------
# Each fuzzer works on build-fuzz/corpus/<name>: the committed seeds copied in (what earlier runs found
# stays, so local runs build on each other; delete the folder to start over). The committed corpus in
# fuzz/corpus is only ever read.
run() {
  local name=$1
  local corpus="$out/corpus/$name" artifacts="$out/artifacts/$name/"
  mkdir -p "$corpus" "$artifacts"
  if [[ -d "fuzz/corpus/$name" ]]; then cp -n fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true; fi
  local status=0
  # libFuzzer stops itself after max_total_time; the outer timeout only guards against a hang in it.
  ASAN_OPTIONS="detect_leaks=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  timeout --kill-after=10 $((seconds + 120)) \
    "$out/$name" -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=1024 -timeout=5 \
      -dict=fuzz/http.dict -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" \
      >"$out/logs/$name.log" 2>&1 || status=$?
  echo "$status" >"$out/logs/$name.status"
}

pids=()
stop_runs() {
  # Each run is a subshell whose child is `timeout`, which passes the signal on to its fuzzer.
  for pid in "${pids[@]}"; do pkill -TERM -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  exit 130
}
trap stop_runs INT TERM
for name in "${fuzzers[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $jobs ]]; do wait -n || true; done
  echo "running $name for ${seconds}s"
  run "$name" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || true; done
trap - INT TERM

# --- report ----------------------------------------------------------------------------------------
failed=0
for name in "${fuzzers[@]}"; do
  log="$out/logs/$name.log"
  status=$(cat "$out/logs/$name.status" 2>/dev/null || echo "?")
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  per_second=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  peak_rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  printf '%-30s executions %s (%s/s), coverage %s edges, %s features, corpus %s inputs, peak RSS %s MB\n' \
    "$name" "${executions:-?}" "${per_second:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${peak_rss:-?}"
  if [[ "$status" != "0" ]]; then
    failed=1
    artifact=$(grep -o 'Test unit written to .*' "$log" | tail -1 | sed 's/^Test unit written to //' || true)
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [a-z-]+|runtime error: .*|invariant broken at .*|ERROR: libFuzzer: .*' "$log" || true)
    echo "FAILED $name (exit $status): ${kind:-see the log}" >&2
    if [[ -n "$artifact" ]]; then
      echo "  input:      $artifact" >&2
      echo "  reproduce:  $out/$name $artifact" >&2
    elif [[ "$status" == "124" || "$status" == "137" ]]; then
      echo "  the fuzzer did not stop by itself within $((seconds + 120))s" >&2
    fi
    echo "  log:        $log" >&2
  fi
done
exit "$failed"
