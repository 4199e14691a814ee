#!/usr/bin/python3
"""Checks tfperf on corpus2026 models against their ref/*.json.

For each model named on the command line and each binding its reference
states (prefill, decode, ...): binds the graph's dim_params to the shapes
the reference fed, imports it with zero unknown ops (the encoder-decoder
BeamSearch included: its decoder runs and its search are costed) and zero values
of unknown rank, and requires `totals.gemm_flops` to equal
`ref_flops_matmul` exactly. Without bindings, every value must still have
a shape (symbolic dims named). Prints one line per model and binding.

Usage: check_refs2026.py CORPUS2026_DIR TFPERF_BIN_DIR MODEL...
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import onnx

UNRANKED = re.compile(r"tensor<\*")
UNNAMED = re.compile(r"tensor<[^>]*\?[^>]*>")


def dim_bindings(model, feeds):
    """dim_param -> value from the reference's feed shapes."""
    b = {}
    for inp in model.graph.input:
        if inp.name not in feeds:
            continue
        shape = feeds[inp.name][0]
        for d, v in zip(inp.type.tensor_type.shape.dim, shape):
            if d.dim_param and re.fullmatch(r"\w+", d.dim_param):
                b[d.dim_param] = v
    return b


def run(opt, path, bindings, out):
    cmd = [opt, path, "--analyze-roofline", "--hw=h100-sxm",
           "--report=" + out, "-o", out + ".mlir"]
    if bindings:
        cmd.append("--bind-dims=" + ",".join(
            "%s=%d" % kv for kv in sorted(bindings.items())))
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return None, None, r.stderr.strip()
    return json.load(open(out)), open(out + ".mlir").read(), r.stderr


def check(opt, path, bindings, want, label, failures):
    with tempfile.TemporaryDirectory() as tmp:
        rep, mlir, err = run(opt, path, bindings, os.path.join(tmp, "r.json"))
    if rep is None:
        failures.append("%s: analysis failed: %s" % (label, err))
        return
    unknown = [o["name"] + " (" + o["op"] + ")" for o in rep["ops"]
               if o["bound"] == "unknown"]
    custom = len(re.findall(r"tfperf\.custom", mlir))
    unranked = len(UNRANKED.findall(mlir))
    unnamed = [t for t in UNNAMED.findall(mlir) if "#tfperf.dims" not in t]
    gemm = rep["totals"]["gemm_flops"]
    problems = []
    if custom:
        problems.append("%d unknown ops (tfperf.custom)" % custom)
    if bindings is not None and unknown:
        problems.append("%d ops of unknown cost: %s" % (len(unknown), ", ".join(unknown[:4])))
    if unranked or unnamed:
        problems.append("%d values of unknown rank, %d with unnamed dims" % (unranked, len(unnamed)))
    if want is not None and gemm != want:
        problems.append("gemm_flops %d != reference %d" % (gemm, want))
    status = "FAIL" if problems else "ok"
    print("%-4s %s: gemm_flops %s ref %s unknown_ops %d custom %d unranked %d"
          % (status, label, gemm, want, len(unknown), custom, unranked))
    failures.extend("%s: %s" % (label, p) for p in problems)


def main():
    corpus, bindir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    opt = os.path.join(bindir, "tfperf-opt")
    failures = []
    for name in names:
        path = os.path.join(corpus, "models", name + ".onnx")
        ref = json.load(open(os.path.join(corpus, "ref", name + ".json")))
        model = onnx.load(path, load_external_data=False)
        # Symbolic: every value shaped (named dims), no unknown op.
        check(opt, path, None, None, name + " [symbolic]", failures)
        for label, b in ref.get("bindings", {}).items():
            check(opt, path, dim_bindings(model, b["feeds"]),
                  b.get("ref_flops_matmul"), "%s [%s]" % (name, label), failures)
    for f in failures:
        print("FAIL " + f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
