#!/usr/bin/python3
"""Checks the kernel view (tfperf-fuse-kernels) on every corpus graph.

For each valid corpus model (dynamic ones bound to the dims check_corpus.py
uses): the kernels' FLOPs sum to the exported ops' FLOPs (fusion moves no
arithmetic), the bytes crossing kernel boundaries are at most the exported
view's bytes, every kernel has a class of docs/TimeModel.md and a calibrated
time on the device at least its roofline; and the exported view
(view=exported) sums to the exported bytes exactly. Prints one line per
model and `failures: N`.

Usage: check_kernels.py CORPUS_DIR TFPERF_BIN_DIR
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from check_corpus import valid_models  # noqa: E402

CLASSES = {"gemm", "attention", "add", "rmsnorm", "layernorm", "softmax",
           "act_silu_mul", "act_gelu", "rope", "gather"}
# Graphs whose ops sit in subgraphs (BeamSearch) with dims the corpus
# bindings leave symbolic: their kernels' FLOPs must add up like any
# graph's, their boundary bytes stay unknown.
SUBGRAPHS = {"ort_tiny_gpt2_beamsearch"}


def value(attrs, key):
    m = re.search(r'(?:\{|, )%s = ("[^"]*"|[-0-9.E+]+)' % key, attrs)
    if not m:
        return None
    v = m.group(1)
    return v.strip('"') if v.startswith('"') else float(v)


def main():
    corpus, bindir = sys.argv[1], sys.argv[2]
    opt = os.path.join(bindir, "tfperf-opt")
    failures = 0
    for name, path, _ref, bindings in valid_models(corpus):
        bind = ",".join("%s=%d" % kv for kv in sorted(bindings.items()))
        stages = ["tfperf-fuse-kernels{hw=a100-sxm-80gb}"]
        if bind:
            stages.insert(0, "func.func(tfperf-infer-shapes{bind-dims=%s})" % bind)
        r = subprocess.run([opt, path, "--pass-pipeline=builtin.module(%s)" % ",".join(stages)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("%s: FAILED to run: %s" % (name, r.stderr.strip()[:300]))
            failures += 1
            continue
        head = next(line for line in r.stdout.splitlines() if line.startswith("module"))
        totals = re.search(r"tfperf.kernel_totals = (\{[^}]*\})", head).group(1)
        kernels = re.findall(r"\{([^{}]*class = [^{}]*)\}", head)
        problems = []
        n = int(value(totals, "kernels"))
        if n != len(kernels) or n == 0:
            problems.append("%d kernels listed, totals say %d" % (len(kernels), n))
        flops, exported_flops = value(totals, "flops"), value(totals, "exported_flops")
        if flops != exported_flops:
            problems.append("FLOPs %s != exported %s" % (flops, exported_flops))
        fused, exported = value(totals, "bytes"), value(totals, "exported_bytes")
        if not isinstance(fused, float) or not isinstance(exported, float):
            if name not in SUBGRAPHS:
                problems.append("bytes unknown at bound dims")
            ratio = "bytes unknown"
        else:
            if fused > exported:
                problems.append("fused bytes %d > exported %d" % (fused, exported))
            ratio = "fused/exported bytes %.3f" % (fused / exported)
        for k in kernels:
            cls = value("{" + k, "class")
            if cls not in CLASSES:
                problems.append("kernel %s: class %s" % (value("{" + k, "name"), cls))
            t, roof = value("{" + k, "time_s"), value("{" + k, "roofline_s")
            if t is not None and t < roof * (1 - 1e-12):
                problems.append("kernel %s: time %g < roofline %g" % (value("{" + k, "name"), t, roof))
        r = subprocess.run([opt, path, "--pass-pipeline=builtin.module(%s)"
                            % ",".join(stages[:-1] + ["tfperf-fuse-kernels{view=exported}"])],
                           capture_output=True, text=True)
        head = next((line for line in r.stdout.splitlines() if line.startswith("module")), "")
        m = re.search(r"tfperf.kernel_totals = (\{[^}]*\})", head)
        if r.returncode != 0 or not m:
            problems.append("view=exported failed")
        elif value(m.group(1), "flops") != value(m.group(1), "exported_flops") or (
                name not in SUBGRAPHS and
                value(m.group(1), "bytes") != value(m.group(1), "exported_bytes")):
            problems.append("exported view %s" % m.group(1))
        if problems:
            failures += 1
            print("%s: %d kernels, FAILED: %s" % (name, n, "; ".join(problems[:3])))
        elif name in SUBGRAPHS:
            print("%s: %d kernels, flops equal, subgraph bytes unknown" % (name, n))
        else:
            print("%s: %d kernels, flops equal, %s" % (name, n, ratio))
    print("failures: %d" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
