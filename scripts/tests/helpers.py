"""Shared by the script tests: paths, running a script, and synthetic Google Benchmark JSON."""
import json
import os
import subprocess
import sys

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
SCRIPTS_DIR = os.path.dirname(TESTS_DIR)
REPO_DIR = os.path.dirname(SCRIPTS_DIR)
FIXTURE = os.path.join(TESTS_DIR, "fixtures", "bench.json")
PYTHON = "/usr/bin/python3"

if SCRIPTS_DIR not in sys.path:
    sys.path.insert(0, SCRIPTS_DIR)


def run_script(name, *args, timeout=300):
    """Runs scripts/<name> (a .py under /usr/bin/python3, anything else directly)."""
    path = os.path.join(REPO_DIR, name) if "/" in name else os.path.join(SCRIPTS_DIR, name)
    argv = [PYTHON, path, *args] if path.endswith(".py") else [path, *args]
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)


def gb_doc(samples, context=None, time_unit="ns", manual_time=True):
    """A Google Benchmark 1.7.1-shaped document. samples: {name: {metric: [one value per repetition]}};
    "real_time" is a metric like any other here (default 1.0), every other metric becomes a counter.
    Adds the mean/median/stddev/cv aggregates Google Benchmark writes after the repetitions."""
    entries = []
    for family, (name, metrics) in enumerate(samples.items()):
        run_name = f"{name}/manual_time" if manual_time else name
        n = max(len(v) for v in metrics.values())
        for rep in range(n):
            e = {"name": run_name, "family_index": family, "per_family_instance_index": 0, "run_name": run_name,
                 "run_type": "iteration", "repetitions": n, "repetition_index": rep, "threads": 1,
                 "iterations": 1, "real_time": metrics.get("real_time", [1.0] * n)[rep], "cpu_time": 0.01,
                 "time_unit": time_unit}
            for k, v in metrics.items():
                if k != "real_time":
                    e[k] = v[rep]
            entries.append(e)
        if n >= 2:
            for agg in ("mean", "median", "stddev", "cv"):
                entries.append({"name": f"{run_name}_{agg}", "family_index": family, "per_family_instance_index": 0,
                                "run_name": run_name, "run_type": "aggregate", "repetitions": n, "threads": 1,
                                "aggregate_name": agg, "iterations": n, "real_time": 123456.0, "cpu_time": 1.0,
                                "time_unit": time_unit})
    return {"context": dict(context or {"date": "2026-11-25T00:00:00", "num_cpus": 2}), "benchmarks": entries}


def error_entries(name, message, repetitions=5):
    return [{"name": f"{name}/manual_time", "run_name": f"{name}/manual_time", "run_type": "iteration",
             "repetitions": repetitions, "repetition_index": i, "threads": 1, "error_occurred": True,
             "error_message": message, "iterations": 0, "real_time": 0.0, "cpu_time": 0.0, "time_unit": "ns"}
            for i in range(repetitions)]


def write_json(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f)
    return path
