#!/usr/bin/python3
"""How fast --serve simulates, by requests and concurrency.

For the corpus's dynamic GPT-2 (124M), ShareGPT-like lengths (isl 857,
osl 653): `tfperf G --serve=isl=857,osl=653,concurrency=C,requests=N` for
each N and C, wall time (min of --runs), minus the same command without
--serve (import and analysis), which leaves the simulation: building the
step cost once, then N requests through the scheduler on one core. Also
the steps simulated (from the JSON report). Twice: with the default step
costs (every op's roofline) and with the fused kernels priced by the
calibrated model (--kernels=fused --time-model=calibrated).

Writes a Markdown section between `<!-- bench:begin serve -->` and
`<!-- bench:end serve -->` of --out (appended when absent).

Usage: /usr/bin/python3 bench/serve_bench.py --build build --out docs/benchmarks.md [--runs 3]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

from bench import replace_section  # bench/bench.py, next to this file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def timed(cmd, runs):
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        best = min(best, time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit("serve_bench: %s failed: %s" % (cmd[0], r.stderr.strip()))
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    a = ap.parse_args()
    tool = os.path.join(a.build, "bin", "tfperf")
    graph = os.path.join(a.corpus, "models", "gpt2_124m_nanogpt_dynamic.onnx")
    if not os.path.exists(graph):
        sys.exit("serve_bench: no corpus graph at " + graph)
    tmp = tempfile.mkdtemp(prefix="serve-bench-")
    report = os.path.join(tmp, "r.json")
    # The step costs as every op's roofline (the default) and as the fused
    # kernels priced by the calibrated model (docs/Serving.md).
    timings = [("per-op roofline", []),
               ("fused, calibrated", ["--kernels=fused", "--time-model=calibrated"])]
    rows, bases = [], []
    for label, flags in timings:
        base = timed([tool, graph, "--compute-dtype=bf16", "--report=" + report] + flags, a.runs)
        bases.append("%.3f s (%s)" % (base, label))
        for n in (1000, 10000):
            for c in (16, 64, 256):
                spec = "isl=857,osl=653,concurrency=%d,requests=%d" % (c, n)
                wall = timed([tool, graph, "--compute-dtype=bf16", "--serve=" + spec,
                              "--report=" + report] + flags, a.runs)
                point = json.load(open(report))["serving"]["points"][0]
                rows.append((label, n, c, point["steps"], wall, max(0.0, wall - base)))
                print("%s: requests %6d concurrency %4d: %8d steps, %.3f s (simulation %.3f s)"
                      % (label, n, c, point["steps"], wall, wall - base), flush=True)
    load = os.getloadavg()[0]
    md = ["Measured %s on %s (%d cores, load average %.1f at the end), `%s`, "
          "min of %d runs; the run without `--serve` takes %s."
          % (datetime.date.today(), platform.machine(), os.cpu_count(), load,
             tool, a.runs, ", ".join(bases)),
          "",
          "| step costs | requests | concurrency | steps | whole run | simulation (run − analysis) |",
          "|---|---:|---:|---:|---:|---:|"]
    for label, n, c, steps, wall, sim in rows:
        md.append("| %s | %d | %d | %d | %.3f s | %.3f s |" % (label, n, c, steps, wall, sim))
    text = "\n".join(md) + "\n"
    if a.out:
        replace_section(a.out, "serve", text)
    else:
        print(text)


if __name__ == "__main__":
    main()
