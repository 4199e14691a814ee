#!/usr/bin/python3
"""Checks the 2026 corpus graphs tfperf covers against their references.

For each model named on the command line (`../shared/corpus2026/models/
NAME.onnx`, reference `ref/NAME.json`): the import has no unknown op and no
value without a shape (`tfperf-translate --import-onnx` prints no
`tfperf.custom` and no unranked `tensor<*`), and at each binding of the
reference (its feeds give the dims) `tfperf-opt --analyze-roofline` costs
every op and counts `totals.gemm_flops` equal to `ref_flops_matmul`.
A reference without FLOPs (an op the reference interpreter does not run)
checks the import and the costs only.

Usage: check_corpus2026.py CORPUS2026_DIR TFPERF_BIN_DIR NAME...
"""
import json
import os
import subprocess
import sys
import tempfile


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def dim_bindings(ref, feeds):
    """{dim_param: size} from the reference's declared inputs and feeds."""
    out = {}
    for name, _, dims in ref["onnx"]["inputs"]:
        shape = feeds.get(name, [None])[0]
        if shape is None:
            continue
        for d, size in zip(dims, shape):
            if isinstance(d, str):
                out[d] = size
    return out


def check(corpus, bindir, name, failures):
    path = os.path.join(corpus, "models", name + ".onnx")
    ref = json.load(open(os.path.join(corpus, "ref", name + ".json")))
    imp = run([os.path.join(bindir, "tfperf-translate"), "--import-onnx", path])
    if imp.returncode != 0:
        failures.append("%s: import failed: %s" % (name, imp.stderr.strip()))
        return
    unknown = imp.stdout.count("tfperf.custom")
    unshaped = imp.stdout.count("tensor<*")
    if unknown or unshaped:
        failures.append("%s: %d unknown ops, %d values without a shape"
                        % (name, unknown, unshaped))
    for bname, b in sorted(ref["bindings"].items()):
        feeds = b.get("feeds", {})
        binds = dim_bindings(ref, feeds)
        args = [os.path.join(bindir, "tfperf-opt"), path, "--analyze-roofline",
                "--hw=h100-sxm"]
        if binds:
            args.append("--bind-dims=" + ",".join(
                "%s=%d" % kv for kv in sorted(binds.items())))
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "r.json")
            r = run(args + ["--report=" + out])
            if r.returncode != 0:
                failures.append("%s [%s]: analysis failed: %s"
                                % (name, bname, r.stderr.strip()))
                continue
            rep = json.load(open(out))
        costless = [o["name"] + " (" + o["op"] + ")" for o in rep["ops"]
                    if o["bound"] == "unknown"]
        if costless:
            failures.append("%s [%s]: %d ops of unknown cost: %s"
                            % (name, bname, len(costless),
                               ", ".join(costless[:5])))
        gemm = rep["totals"]["gemm_flops"]
        want = b.get("ref_flops_matmul")
        if want is None:
            print("ok   %s [%s] gemm_flops %d (no reference)"
                  % (name, bname, gemm))
            continue
        status = "ok" if gemm == want else "FAIL"
        if status != "ok":
            failures.append("%s [%s]: gemm_flops %d vs reference %d"
                            % (name, bname, gemm, want))
        print("%-4s %s [%s] gemm_flops %d ref %d" % (status, name, bname, gemm,
                                                    want))


def main():
    corpus, bindir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    failures = []
    for name in names:
        check(corpus, bindir, name, failures)
    for m in failures:
        print("FAIL " + m)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
