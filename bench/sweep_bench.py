#!/usr/bin/python3
"""How fast --sweep evaluates the cost formulas, against re-analysing the
graph at every point.

For each graph (the corpus's dynamic GPT-2 and generated dynamic decoders
of Llama-2-70B and Llama-3-405B shapes, with and without a KV cache):

* sweep:     tfperf-opt G --sweep=SPEC --report=<tmp>.txt; the report's
             "evaluated in" figure is the time to compile the formulas and
             evaluate every point (runSweep), N runs, median and min;
* whole run: the same command's wall time, and with --sweep-out=<tmp>.csv
             added (writing every row);
* symbolic:  tfperf-opt G --symbolic --report=<tmp>.txt (no sweep), the
             baseline of the whole run;
* bound:     tfperf-opt G --bind-dims=<one point> --analyze-roofline, one
             concrete analysis of the graph: what a sweep would cost per
             point without the formulas.

Writes a Markdown section between `<!-- bench:begin sweep -->` and
`<!-- bench:end sweep -->` of --out (appended when absent).

Usage: /usr/bin/python3 bench/sweep_bench.py --build build --out docs/benchmarks.md [--runs 5]
"""

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

from bench import replace_section  # bench/bench.py, next to this file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "utils", "gen_transformer.py")
CORPUS = os.environ.get("TFPERF_CORPUS",
                        os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus")))

# name, generator arguments (None: a corpus file), sweep, one bound point
GRAPHS = [
    ("gpt2_124m_nanogpt_dynamic (corpus)", None,
     "batch=1..10;seq=1..1000", "batch=1,seq=128"),
    ("gpt2_124m_nanogpt_dynamic, 2 devices", None,
     "batch=1..10;seq=1..1000;hw=a100-sxm-40gb,h100-sxm", "batch=1,seq=128"),
    ("Llama-2-70B shape, 80 layers", ["--layers", "80", "--d", "8192",
     "--heads", "64", "--kv-heads", "8", "--ffn", "28672", "--vocab", "32000",
     "--gated", "--causal", "--symbolic"],
     "batch=1..10;seq=128..128000+128", "batch=1,seq=128"),
    ("Llama-2-70B shape, KV cache, decode", ["--layers", "80", "--d", "8192",
     "--heads", "64", "--kv-heads", "8", "--ffn", "28672", "--vocab", "32000",
     "--gated", "--causal", "--symbolic", "--past"],
     "batch=1..100;seq=1;kv_len=128..12800+128", "batch=1,seq=1,past=127"),
    ("Llama-2-70B shape, KV cache, decode, tp=1,2,4,8", ["--layers", "80",
     "--d", "8192", "--heads", "64", "--kv-heads", "8", "--ffn", "28672",
     "--vocab", "32000", "--gated", "--causal", "--symbolic", "--past"],
     "batch=1..25;seq=1;kv_len=128..12800+128;tp=1,2,4,8",
     "batch=1,seq=1,past=127"),
    ("Llama-3-405B shape, 126 layers", ["--layers", "126", "--d", "16384",
     "--heads", "128", "--kv-heads", "8", "--ffn", "53248", "--vocab",
     "128256", "--gated", "--causal", "--symbolic"],
     "batch=1..10;seq=128..128000+128", "batch=1,seq=128"),
    ("Llama-3-405B shape, 1M points", ["--layers", "126", "--d", "16384",
     "--heads", "128", "--kv-heads", "8", "--ffn", "53248", "--vocab",
     "128256", "--gated", "--causal", "--symbolic"],
     "batch=1..100;seq=128..1280000+128", "batch=1,seq=128"),
]

UNITS = {"ns": 1e-9, "\u00b5s": 1e-6, "ms": 1e-3, "s": 1.0}


def evaluated_in(text):
    m = re.search(r"^Sweep: (\d+) points x (\d+) devices, (\d+) distinct op "
                  r"formulas, evaluated in ([0-9.]+) (ns|\u00b5s|ms|s)$", text, re.M)
    if not m:
        sys.exit("no sweep line in the report:\n" + text[:2000])
    return (int(m.group(1)), int(m.group(2)), int(m.group(3)),
            float(m.group(4)) * UNITS[m.group(5)])


def wall(args):
    t = time.perf_counter()
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode:
        sys.exit("failed: %s\n%s" % (" ".join(args), p.stderr))
    return time.perf_counter() - t


def fmt(s):
    if s < 1e-3:
        return "%.0f \u00b5s" % (s * 1e6)
    if s < 1:
        return "%.1f ms" % (s * 1e3)
    return "%.2f s" % s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default=None)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tool = os.path.join(a.build, "bin", "tfperf-opt")
    work = os.path.join(HERE, "out", "sweep")
    os.makedirs(work, exist_ok=True)
    load0 = os.getloadavg()
    rows = []
    for name, gen, spec, point in GRAPHS:
        if gen is None:
            model = os.path.join(CORPUS, "models", "gpt2_124m_nanogpt_dynamic.onnx")
        else:
            model = os.path.join(work, re.sub(r"[^a-z0-9]+", "_", " ".join(gen)).strip("_") + ".onnx")
            if not os.path.exists(model):
                subprocess.run(["/usr/bin/python3", GEN, "-o", model] + gen, check=True)
        tp = re.search(r"(?:^|;)tp=([0-9,]+)", spec)
        tp_flag = ["--tp=" + tp.group(1)] if tp else []
        degrees = len(tp.group(1).split(",")) if tp else 1
        with tempfile.TemporaryDirectory() as tmp:
            txt, csv = os.path.join(tmp, "r.txt"), os.path.join(tmp, "s.csv")
            evals, whole, whole_csv, sym, bound = [], [], [], [], []
            for _ in range(a.runs):
                whole.append(wall([tool, model, "--sweep=" + spec, "--report=" + txt]))
                points, devices, groups, e = evaluated_in(open(txt).read())
                evals.append(e)
                whole_csv.append(wall([tool, model, "--sweep=" + spec,
                                       "--sweep-out=" + csv]))
                sym.append(wall([tool, model, "--symbolic", "--report=" + txt]))
                # A tp axis: one bound run with --tp costs every degree.
                bound.append(wall([tool, model, "--bind-dims=" + point,
                                   "--analyze-roofline"] + tp_flag))
            out = subprocess.run([tool, model, "--symbolic", "--report=-",
                                  "--report-format=json"], capture_output=True,
                                 text=True).stdout
            m = re.search(r'"ops": (\d+),', out)
            ops = int(m.group(1)) if m else 0
        med = statistics.median
        rows.append((name, ops, groups, "%d x %d" % (points, devices),
                     "%s (min %s)" % (fmt(med(evals)), fmt(min(evals))),
                     fmt(med(whole)), fmt(med(whole_csv)), fmt(med(sym)),
                     fmt(med(bound)),
                     "%.0f s" % (med(bound) * points * devices / degrees)))
        print(rows[-1], flush=True)
    load1 = os.getloadavg()
    lines = [
        "| graph | ops | distinct op formulas | points x devices | sweep: "
        "compile + evaluate | whole run, text report | whole run, "
        "--sweep-out=csv | --symbolic alone | one bound analysis | bound "
        "analysis at every point (extrapolated) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    section = "\n".join([
        "Measured %s on %s (%s, %d cores), load average %.1f before, %.1f "
        "after; median of %d runs." % (
            datetime.date.today().isoformat(), platform.node() or "?",
            platform.machine(), os.cpu_count() or 0, load0[0], load1[0],
            a.runs),
        "",
    ] + lines) + "\n"
    print(section)
    if a.out:
        replace_section(a.out, "sweep", section)


if __name__ == "__main__":
    main()
