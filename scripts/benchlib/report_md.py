"""REPORT.md: the run's machine, a table per workload variant, the charts, the cost view, and what
did not run. Numbers come from summary.py, as in the charts. Every backend is treated alike: the
winner is the best median, whoever it is, and backends whose interval overlaps the winner's are
marked as ties rather than losers."""
from __future__ import annotations

import os

from . import gbjson, metrics, open_loop, palette, rundir, summary
from .markdown import table

fmt = metrics.format_value


def _ci_text(metric: metrics.Metric, c: summary.Cell) -> str:
    text = f"{fmt(metric.display(c.ci.low))}–{fmt(metric.display(c.ci.high))}"
    return text + (" ¹" if c.ci.coverage < 0.95 else "")


def _overlaps(a: summary.Cell, b: summary.Cell) -> bool:
    return a.ci.low <= b.ci.high and b.ci.low <= a.ci.high


def machine_section(results: gbjson.Results, run_name: str) -> str:
    ctx = results.context
    g = lambda k: str(ctx.get(k, "")) or "–"   # noqa: E731
    rows = [
        ["run", run_name],
        ["commit", g("git_commit")],
        ["date", g("date")],
        ["profile", g("profile")],
        ["CPU", f"{g('cpu_model')} ({ctx.get('cpus', ctx.get('num_cpus', '?'))} CPUs, "
                f"{ctx.get('mhz_per_cpu', '?')} MHz, frequency scaling "
                f"{'on' if ctx.get('cpu_scaling_enabled') else 'off'})"],
        ["kernel", g("kernel")],
        ["compiler", f"{g('compiler')}, flags `{g('cxx_flags')}`"],
        ["liburing / libuv / Boost", f"{g('liburing')} / {g('libuv')} / {g('boost')}"],
        ["host", g("host_name")],
        ["load average at start", ", ".join(str(x) for x in ctx.get("load_avg", [])) or "–"],
        ["benchmark library build", g("library_build_type")],
        ["repetition order", g("repetition_order")],
    ]
    rows += _server_host_rows(ctx)
    return "## Machine and versions\n\n" + table(["", ""], rows)


def _server_host_rows(ctx: dict) -> list[list[str]]:
    """Two-host runs (--server-host / --server-netns): which machine ran what, and the server's."""
    if "server_host" not in ctx:
        return []
    g = lambda k: str(ctx.get(k, "")) or "–"   # noqa: E731
    return [
        ["hosts", g("hosts")],
        ["server machine", f"{g('server_host')}: {g('server_cpu_model')} ({g('server_cpus')} CPUs), "
                           f"{g('server_kernel')}; pinning {g('server_pinning')}"],
    ]


METHOD = """## How to read the tables

* **median**: the median over the repetitions (n); each repetition is one full run of the workload.
* **95% CI**: a distribution-free confidence interval of the median (binomial order statistics:
  no normality assumed, no resampling). ¹ Below 6 repetitions no such interval reaches 95%; the
  range shown is then min–max, whose coverage is 1 − 2^(1−n) (93.8% at n = 5).
* **× best**: the backend's median divided by the best median (for throughput ≤ 1, for times ≥ 1).
* **winner**: the best median. **tie** marks a backend whose interval overlaps the winner's: this run
  does not separate the two.
* **client-bound**: the load generator used ≥ 90% of its CPU in most repetitions. Such a run measured
  the client's limit, not the server's, so client-bound backends' throughputs tie by construction;
  compare their server CPU per request (cost view) instead.
"""


def _client_bound_backends(v: summary.Variant) -> list[str]:
    return [b for b, bench in v.ok().items() if summary.client_bound(bench)]


def variant_table(v: summary.Variant, metric_name: str) -> str:
    metric = metrics.get(metric_name)
    cells = v.cells(metric_name)
    win = summary.winner(cells, metric_name)
    bound = set(_client_bound_backends(v))
    order = sorted(cells, key=lambda b: cells[b].median, reverse=metric.better == metrics.HIGHER)
    rows = []
    for b in order:
        c = cells[b]
        notes = []
        if b == win:
            notes.append("**winner**")
        elif _overlaps(c, cells[win]):
            notes.append("tie (CI overlaps the winner's)")
        if b in bound:
            notes.append("client-bound")
        ratio = c.median / cells[win].median if cells[win].median else float("nan")
        rows.append([b, fmt(metric.display(c.median)), _ci_text(metric, c), f"{ratio:.2f}", c.n, "; ".join(notes)])
    for b in v.missing(metric_name):
        rows.append([b, "–", "–", "–", 0, f"no {metric.label} reported"])
    for bench in v.not_ok():
        rows.append([bench.name.backend, "–", "–", "–", 0, f"{bench.status}: {bench.reason}"])
    unit = f" ({metric.unit})" if metric.unit else ""
    out = f"### {v.title}\n\n"
    out += table(["backend", f"median{unit}", "95% CI", "× best", "n", ""], rows, "lrrrrl")
    if bound:
        who = ", ".join(palette.sort_backends(bound))
        out += (f"\n**Client-bound:** the load generator, not the server, was the bottleneck for {who} "
                f"(≥ 90% of the client's CPU in most repetitions). That throughput is the client's limit and only "
                f"a lower bound on the server's; client-bound backends tie by construction. Compare their server "
                f"CPU per request in the cost view instead.\n")
    if win is not None and len(cells) > 1:
        ties = [b for b in cells if b != win and _overlaps(cells[b], cells[win])]
        if ties:
            out += f"\nNo clear winner: {win}'s interval overlaps {', '.join(palette.sort_backends(ties))}.\n"
    return out + "\n"


def _charts_for(charts: list[dict], prefix: str) -> str:
    out = ""
    for c in charts:
        if c["file"].startswith(prefix):
            out += f"![{c['title']}]({c['file']})\n\n"
            out += "".join(f"*{n.replace('reasons in REPORT.md', 'reasons under Skipped and Failed below')}*\n\n"
                           for n in c["notes"])
    return out


def workload_section(results: gbjson.Results, workload: str, charts: list[dict]) -> str:
    variants = summary.variants(results, workload)
    metric_name = next((v.key_metric() for v in variants if v.key_metric()), None)
    out = f"## {workload}\n\n"
    if metric_name is None:
        return out + "Nothing to rank: no benchmark of this workload produced a measurement.\n\n"
    metric = metrics.get(metric_name)
    better = "higher is better" if metric.better == metrics.HIGHER else "lower is better"
    out += f"Ranked by **{metrics.axis_label(metric)}**, {better}.\n\n"
    out += _charts_for(charts, f"bars-{workload}.")
    out += _charts_for(charts, f"blocks-{workload}.")
    out += _charts_for(charts, f"scaling-{workload}.")
    out += _charts_for(charts, f"latency-{workload}.")
    if workload == open_loop.WORKLOAD:
        out += _charts_for(charts, f"openloop-{workload}.") + open_loop.section(results)
    for v in variants:
        out += variant_table(v, metric_name)
    return out


def summary_section(results: gbjson.Results) -> str:
    rows = []
    for workload in results.workloads():
        for v in summary.variants(results, workload):
            metric_name = v.key_metric()
            if metric_name is None:
                rows.append([v.title, "–", "–", "–", "nothing ran"])
                continue
            cells = v.cells(metric_name)
            win = summary.winner(cells, metric_name)
            metric = metrics.get(metric_name)
            ties = [b for b in palette.sort_backends(cells) if b != win and _overlaps(cells[b], cells[win])]
            bound = _client_bound_backends(v)
            rows.append([v.title, win, f"{fmt(metric.display(cells[win].median))} {metric.unit}",
                         ", ".join(ties) or "–", "client-bound: " + ", ".join(palette.sort_backends(bound)) if bound else ""])
    return "## Summary\n\n" + table(["workload variant", "winner", "winner's median", "tied with the winner", "note"],
                                    rows, "lllll") + "\n"


def versus_tokio_section(results: gbjson.Results) -> str:
    """Where ringcore beats Tokio, where it loses, and by how much; empty when Tokio did not run."""
    comparisons = summary.versus_tokio(results)
    if not comparisons:
        return ""
    out = ("## ringcore against Tokio\n\n"
           "ringcore's advantage is how many times better ringcore is on the variant's key metric (Tokio's time "
           "over ringcore's, or ringcore's throughput over Tokio's): the median ratio over every pair of "
           "repetitions, with its 95% distribution-free interval (`stats.ratio_ci`; ¹ marks less coverage, too few "
           "repetitions). It **wins** where the whole interval is above 1 and **loses** where it is below 1. "
           "tokio_ct is the current-thread runtime, tokio_mt the multi-thread one (a worker per core); Tokio's "
           "file commands go through `tokio::fs` (the blocking pool, at most 16 KiB per operation).\n\n")
    for verdict, label in ((summary.WINS, "ringcore beats Tokio"), (summary.LOSES, "ringcore loses to Tokio"),
                           (summary.TIE, "no clear difference")):
        picked = [c for c in comparisons if c.verdict == verdict]
        items = ", ".join(f"{c.variant.title} vs {c.other} ({c.advantage.estimate:.2f}×)" for c in picked)
        out += f"* **{label}** ({len(picked)} of {len(comparisons)}): {items or '–'}\n"
    rows = []
    for c in comparisons:
        metric = metrics.get(c.metric)
        a = c.advantage
        rows.append([c.variant.title, c.other, metric.label,
                     f"{fmt(metric.display(c.ours.median))} {metric.unit}",
                     f"{fmt(metric.display(c.theirs.median))} {metric.unit}",
                     f"{a.estimate:.2f}×", f"{a.low:.2f}–{a.high:.2f}" + (" ¹" if a.coverage < 0.95 else ""),
                     c.verdict])
    return out + "\n" + table(["workload variant", "Tokio", "metric", "ringcore", "Tokio's median", "advantage",
                                "95% interval", "ringcore"], rows, "lllrrrrl") + "\n"


def syscall_source(context: dict) -> str:
    """Which repetitions counted syscalls (the runner's --syscalls, in the context), and so whether
    the time and CPU figures carry the counter's cost. Empty for results that do not say."""
    mode = str(context.get("syscall_counting", ""))
    if mode.startswith("first"):
        return ("Syscalls come from each benchmark's extra counting repetition (one run); the timed repetitions, "
                "which give every other figure, ran without the counter, whose tracepoint slows every syscall.")
    if mode.startswith("every"):
        return ("Every repetition counted syscalls, so the time and CPU figures include the counter's cost, "
                "which grows with a backend's syscalls per operation.")
    if mode.startswith("off"):
        return "No repetition counted syscalls."
    return ""


def cost_section(results: gbjson.Results, charts: list[dict]) -> str:
    source = syscall_source(results.context)
    out = "## Cost view\n\nWhat each backend spends per operation (block, chunk or request): syscalls counted by the " \
          "kernel for the measured process, and server CPU time (user + system) per request. Lower is better." + \
          (" " + source if source else "") + "\n\n"
    missing_notes = []
    for workload in results.workloads():
        variants = summary.variants(results, workload)
        has_net = any("server_cpu_us_per_req" in bench.samples or "server_cpu_us_per_req" in bench.missing
                      for v in variants for bench in v.ok().values())
        out += f"### {workload}\n\n" + _charts_for(charts, f"cost-{workload}.")
        headers = ["variant", "backend", "syscalls / op"]
        if has_net:
            headers += ["server CPU µs / req", "client CPU", "client-bound"]
        rows = []
        for v in variants:
            for b, bench in v.ok().items():
                def med(m):
                    c = summary.cell(bench, m)
                    return fmt(c.median) if c else "unavailable"
                row = [v.label, b, med("syscalls_per_op")]
                if bench.missing.get("syscalls_per_op"):
                    missing_notes.append(f"{v.title} / {b}: syscalls unavailable (-1) in "
                                         f"{bench.missing['syscalls_per_op']} of {bench.n} repetitions")
                if has_net:
                    bound = summary.client_bound(bench)
                    row += [med("server_cpu_us_per_req"), med("client_cpu_util"),
                            "**yes**" if bound else ("no" if bound is not None else "–")]
                rows.append(row)
        out += table(headers, rows, "llrrrl") + "\n"
    if missing_notes:
        out += "Counters not available (left out of the charts and the tables' medians):\n\n"
        out += "".join(f"* {n}\n" for n in missing_notes) + "\n"
    return out


def _grouped_rows(benchmarks) -> list[list]:
    """One row per (workload, backend, reason): a backend skipped for a whole sweep for one reason
    is one line, with the number of benchmarks it covers."""
    groups: dict[tuple, list] = {}
    for b in benchmarks:
        groups.setdefault((b.name.workload, b.name.backend, b.reason), []).append(b)
    rows = []
    for (workload, backend, reason), bs in groups.items():
        name = bs[0].key if len(bs) == 1 else f"{workload}/{backend}/… ({len(bs)} benchmarks)"
        rows.append([name, backend, reason])
    return rows


def not_run_section(results: gbjson.Results) -> str:
    skipped = [b for b in results.benchmarks if b.status == gbjson.SKIPPED]
    failed = [b for b in results.benchmarks if b.status == gbjson.FAILED]
    partial = [b for b in results.benchmarks if b.status == gbjson.OK and b.errors]
    out = "## Skipped\n\n"
    out += table(["benchmark", "backend", "reason"], _grouped_rows(skipped)) if skipped else "Nothing was skipped.\n"
    out += "\n## Failed\n\n"
    out += table(["benchmark", "backend", "message"], _grouped_rows(failed)) if failed else "Nothing failed.\n"
    if partial:
        out += "\nSome repetitions failed (the others are counted):\n\n"
        out += table(["benchmark", "failed repetitions", "first message"],
                     [[b.key, len(b.errors), b.errors[0]] for b in partial])
    return out + "\n"


def render(results: gbjson.Results, run_dir: str) -> str:
    charts = rundir.read_charts_manifest(run_dir)
    run_name = os.path.basename(os.path.realpath(run_dir))
    parts = [f"# Benchmark report: {run_name}\n\n"
             f"Generated by `scripts/report.py` from `{rundir.BENCH_JSON}`"
             + ("" if charts else " (no charts: run `scripts/plot.py` first)") + ".\n\n",
             machine_section(results, run_name), "\n", METHOD, "\n", summary_section(results),
             versus_tokio_section(results)]
    for workload in results.workloads():
        parts.append(workload_section(results, workload, charts))
    parts.append(cost_section(results, charts))
    parts.append(ablation_section(run_dir, charts))
    parts.append(not_run_section(results))
    return "".join(parts)


def ablation_section(run_dir: str, charts: list[dict]) -> str:
    """The ablation's table and charts, when bench.sh ran it (RUN_DIR/ablation.json)."""
    from . import ablation
    try:
        results = ablation.load(run_dir)
    except gbjson.ResultsError as e:
        return f"## Ablation: what each io_uring feature buys\n\n{ablation.ABLATION_JSON} is unreadable: {e}\n\n"
    if results is None:
        return ""
    return ablation.markdown(results) + "\n" + _charts_for(charts, "ablation-")
