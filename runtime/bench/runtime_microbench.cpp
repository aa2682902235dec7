// The runtime's own cost: awaiting a NOP through ringcore vs the same NOP loop written directly on
// liburing (get_sqe, prep, submit-and-wait, see the CQE), unbatched (one request per
// io_uring_enter) and batched (many requests per enter). Same ring flags on both sides. And the cost
// of awaiting a task (a coroutine frame made, run and destroyed).
//
// RINGCORE_MICROBENCH_ITERS=N fixes the iteration count (for callgrind instruction counts, which
// must not depend on timing).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "ringcore/ringcore.hpp"

namespace {

constexpr unsigned kOpsPerIteration = 1024;

ringcore::RingOptions bench_options() {
  ringcore::RingOptions o;
  o.entries = 256;
  o.taskrun = ringcore::TaskRun::defer;
  return o;
}

io_uring make_raw_ring() {
  io_uring ring{};
  io_uring_params p{};
  p.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
  p.cq_entries = 1024;
  if (io_uring_queue_init_params(256, &ring, &p) != 0) std::abort();
  return ring;
}

void report(benchmark::State& state, std::uint64_t sqes, std::uint64_t enters) {
  state.SetItemsProcessed(std::int64_t(state.iterations()) * kOpsPerIteration);
  state.counters["ns_per_op"] = benchmark::Counter(double(state.iterations()) * kOpsPerIteration,
                                                   benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  if (enters) state.counters["sqes_per_enter"] = double(sqes) / double(enters);
}

// Raw liburing, one NOP per io_uring_enter.
void BM_RawNop_Unbatched(benchmark::State& state) {
  io_uring ring = make_raw_ring();
  std::uint64_t enters = 0;
  for (auto _ : state) {
    for (unsigned i = 0; i < kOpsPerIteration; ++i) {
      io_uring_sqe* sqe = io_uring_get_sqe(&ring);
      io_uring_prep_nop(sqe);
      io_uring_sqe_set_data64(sqe, i);
      io_uring_submit_and_wait(&ring, 1);
      ++enters;
      io_uring_cqe* cqe;
      io_uring_peek_cqe(&ring, &cqe);
      benchmark::DoNotOptimize(cqe->res);
      io_uring_cqe_seen(&ring, cqe);
    }
  }
  report(state, std::uint64_t(state.iterations()) * kOpsPerIteration, enters);
  io_uring_queue_exit(&ring);
}

// Raw liburing, `batch` NOPs per io_uring_enter, CQEs reaped in a batch.
void BM_RawNop_Batched(benchmark::State& state) {
  const unsigned batch = unsigned(state.range(0));
  io_uring ring = make_raw_ring();
  std::uint64_t enters = 0;
  io_uring_cqe* cqes[256];
  for (auto _ : state) {
    for (unsigned done = 0; done < kOpsPerIteration; done += batch) {
      for (unsigned i = 0; i < batch; ++i) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        io_uring_prep_nop(sqe);
        io_uring_sqe_set_data64(sqe, i);
      }
      io_uring_submit_and_wait(&ring, batch);
      ++enters;
      unsigned seen = 0;
      while (seen < batch) {
        unsigned n = io_uring_peek_batch_cqe(&ring, cqes, 256);
        for (unsigned i = 0; i < n; ++i) benchmark::DoNotOptimize(cqes[i]->res);
        io_uring_cq_advance(&ring, n);
        seen += n;
      }
    }
  }
  report(state, std::uint64_t(state.iterations()) * kOpsPerIteration, enters);
  io_uring_queue_exit(&ring);
}

ringcore::task<void> nop_loop(unsigned n) {
  for (unsigned i = 0; i < n; ++i) {
    auto r = co_await ringcore::nop();
    benchmark::DoNotOptimize(r);
  }
}

// ringcore, one task awaiting NOPs one after another: one request per io_uring_enter.
void BM_RingcoreNop_Unbatched(benchmark::State& state) {
  ringcore::Runtime rt(bench_options());
  for (auto _ : state) rt.run(nop_loop(kOpsPerIteration));
  report(state, rt.ring().stats().sqes_submitted, rt.ring().stats().enters);
}

ringcore::task<void> nop_worker(unsigned per_task, ringcore::WaitGroup& wg) {
  co_await nop_loop(per_task);
  wg.done();
}

ringcore::task<void> nop_batches(unsigned tasks, unsigned per_task) {
  ringcore::WaitGroup wg;
  wg.add(tasks);
  for (unsigned i = 0; i < tasks; ++i) ringcore::spawn(nop_worker(per_task, wg));
  co_await wg.wait();
}

// ringcore, `batch` tasks awaiting NOPs concurrently: the executor submits their SQEs together.
void BM_RingcoreNop_Batched(benchmark::State& state) {
  const unsigned batch = unsigned(state.range(0));
  ringcore::Runtime rt(bench_options());
  for (auto _ : state) rt.run(nop_batches(batch, kOpsPerIteration / batch));
  report(state, rt.ring().stats().sqes_submitted, rt.ring().stats().enters);
}

ringcore::task<unsigned> add_one(unsigned v) { co_return v + 1; }

ringcore::task<void> await_loop(unsigned n, unsigned& out) {
  unsigned v = 0;
  for (unsigned i = 0; i < n; ++i) v = co_await add_one(v);
  out = v;
}

// Awaiting a task that completes at once: creating, running and destroying a coroutine frame, the
// cost a helper coroutine adds per request (the frame comes from the runtime's frame pool).
void BM_AwaitTask(benchmark::State& state) {
  ringcore::Runtime rt(bench_options());
  unsigned out = 0;
  for (auto _ : state) {
    rt.run(await_loop(kOpsPerIteration, out));
    if (out != kOpsPerIteration) state.SkipWithError("wrong count");
  }
  report(state, 0, 0);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  long fixed = 0;
  if (const char* v = std::getenv("RINGCORE_MICROBENCH_ITERS")) fixed = std::strtol(v, nullptr, 10);
  auto reg = [&](benchmark::internal::Benchmark* b) {
    b->Unit(benchmark::kMicrosecond)->UseRealTime();
    if (fixed > 0) b->Iterations(fixed);
  };
  reg(benchmark::RegisterBenchmark("nop/raw_liburing/unbatched", BM_RawNop_Unbatched));
  reg(benchmark::RegisterBenchmark("nop/ringcore/unbatched", BM_RingcoreNop_Unbatched));
  reg(benchmark::RegisterBenchmark("nop/raw_liburing/batched", BM_RawNop_Batched)->Arg(32));
  reg(benchmark::RegisterBenchmark("nop/ringcore/batched", BM_RingcoreNop_Batched)->Arg(32));
  reg(benchmark::RegisterBenchmark("task/await_ready_task", BM_AwaitTask));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
