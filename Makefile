# The two commands: `make test` and `make bench`. Everything else is a step of theirs or a tool.
BUILD      ?= build
JOBS       ?= $(shell nproc)
PY         := /usr/bin/python3
CMAKE_GEN  := -G Ninja
CMAKE_ARGS ?=

.PHONY: all deps build test test-asan test-tsan bench bench-quick bench-netns bench-micro plot perf-check fuzz clean help

all: build

help:
	@echo "make test        build everything and run every test (CTest)"
	@echo "make bench       run the benchmarks and write results/<date>-<commit>/"
	@echo "make test-asan   the runtime and backend tests under ASan+UBSan (build-asan/)"
	@echo "make test-tsan   the threaded backends' tests under TSan (build-tsan/)"
	@echo "make fuzz        the HTTP parsers under libFuzzer (FUZZ_SECONDS=60 each)"

deps:
	@scripts/install-deps.sh
	@scripts/mount-tracefs.sh

build: deps
	@cmake -S . -B $(BUILD) $(CMAKE_GEN) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 600

test-asan: deps
	@cmake -S . -B build-asan $(CMAKE_GEN) -DRINGCORE_SANITIZE=address,undefined >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) --timeout 900 -LE no-sanitize

test-tsan: deps
	@cmake -S . -B build-tsan $(CMAKE_GEN) -DRINGCORE_SANITIZE=thread -DRINGCORE_BUILD_RUNTIME=OFF \
	  "-DRINGCORE_BACKENDS=std;epoll_pool" >/dev/null
	@cmake --build build-tsan -j $(JOBS)
	@TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j $(JOBS) --timeout 900 -L threaded

bench: build
	@scripts/bench.sh --profile default

bench-quick: build
	@scripts/bench.sh --profile quick

# The network workloads with every server in a network namespace reached over a real sshd (two-host
# mode on one machine; root). Writes results/<date>-<commit>/ like make bench.
bench-netns: build
	@ABLATION=0 scripts/bench.sh --profile quick --server-netns --workloads net_sequential,net_concurrent

plot:
	@$(PY) scripts/plot.py results/latest
	@$(PY) scripts/report.py results/latest

perf-check: build
	@ci/perf-check

# The HTTP parsers under libFuzzer (clang), 60 s each; FUZZ_SECONDS to change.
FUZZ_SECONDS ?= 60
fuzz: deps
	@scripts/fuzz.sh --seconds $(FUZZ_SECONDS)

bench-micro: build
	@$(BUILD)/runtime/bench/runtime_microbench

clean:
	rm -rf build build-asan build-tsan build-fuzz
