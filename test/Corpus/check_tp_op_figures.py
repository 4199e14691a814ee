#!/usr/bin/python3
"""Checks the per-device figures of each op under tensor parallelism
(ops[].tp.per_device, kernels[].tp) in a JSON report made with --tp:

  - an op's prefill FLOPs per device x min(t, its units) are its FLOPs
    (prefill at the graph's own shapes);
  - a fused kernel's figures are its member ops' summed;
  - on every device, the ops' times, collective bytes and collective times
    sum to the phase's op_time_s, comm_bytes and comm_time_s of
    tensor_parallel(_by_device), and their FLOPs to flops_per_device.

Prints the figures of the ops named with --op (one line per degree and
phase) and "ok" lines per check; exits 1 naming the first mismatch.

Usage: check_tp_op_figures.py REPORT.json [--op NAME]...
"""
import json
import math
import sys


def fail(msg):
    sys.exit("FAIL " + msg)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-15)


def main(argv):
    path, names = argv[1], [a for i, a in enumerate(argv) if i > 1 and argv[i - 1] == "--op"]
    r = json.load(open(path))
    devices = r["config"]["hw"]
    ops = {op["name"]: op for op in r["ops"]}
    for name in names:
        for e in ops[name]["tp"]["per_device"]:
            for phase in ("prefill", "decode"):
                f = e[phase]
                if f is None:
                    print("%s tp=%d %s: none" % (name, e["tp"], phase))
                    continue
                print("%s tp=%d %s: flops=%d bytes=%d collective=%s collective_bytes=%d" %
                      (name, e["tp"], phase, f["flops"], f["bytes"], f["collective"],
                       f["collective_bytes"]))
    # FLOPs per device x the op's divisor: the op's FLOPs.
    split = 0
    for op in r["ops"]:
        tp = op.get("tp")
        if not tp or op["flops"] is None:
            continue
        for e in tp.get("per_device", []):
            f = e["prefill"]
            if f is None:
                continue
            div = min(e["tp"], tp["units"]) if tp["split"] != "replicated" else 1
            if not close(f["flops"] * div, op["flops"]):
                fail("%s tp=%d: %r FLOPs per device x %d != %r"
                     % (op["name"], e["tp"], f["flops"], div, op["flops"]))
            split += div > 1
    print("ok flops per device x divisor (%d split op-degrees)" % split)
    # Kernels: their members' figures summed.
    kernels = r.get("kernels", [])
    for k in kernels:
        for e in k["tp"]:
            members = [next(x for x in ops[m]["tp"]["per_device"] if x["tp"] == e["tp"])
                       for m in k["ops"] if (ops[m].get("tp") or {}).get("per_device")]
            for phase in ("prefill", "decode"):
                if e[phase] is None:
                    continue
                fs = [m[phase] for m in members if m[phase] is not None]
                for key in ("flops", "bytes", "collective_bytes"):
                    if not close(e[phase][key], sum(f[key] for f in fs)):
                        fail("kernel %s tp=%d %s: %s is not its ops'" % (k["name"], e["tp"], phase, key))
                for d in devices:
                    if not close(e[phase]["time_s"][d], sum(f["time_s"][d] for f in fs)):
                        fail("kernel %s tp=%d %s: time on %s is not its ops'" % (k["name"], e["tp"], phase, d))
    if kernels:
        print("ok %d kernels are their ops summed" % len(kernels))
    # The sums, on every device.
    sections = r.get("tensor_parallel_by_device") or {devices[0]: r["tensor_parallel"]}
    for d, t in sections.items():
        for deg in t["degrees"]:
            if not deg["feasible"]:
                continue
            for phase in ("prefill", "decode"):
                p = deg[phase]
                if p is None:
                    continue
                terms = [e[phase] for op in r["ops"] for e in (op.get("tp") or {}).get("per_device", [])
                         if e["tp"] == deg["tp"] and e[phase] is not None]
                sums = [sum(f["time_s"][d] for f in terms),
                        sum(f["collective_bytes"] for f in terms),
                        sum(f["collective_time_s"][d] for f in terms),
                        sum(f["flops"] for f in terms)]
                want = [p["op_time_s"], p["comm_bytes"], p["comm_time_s"], p["flops_per_device"]]
                for got, exp, what in zip(sums, want, ("op_time_s", "comm_bytes", "comm_time_s", "flops_per_device")):
                    if not math.isclose(got, exp, rel_tol=1e-9, abs_tol=1e-15):
                        fail("%s tp=%d %s: ops sum to %r, %s is %r" % (d, deg["tp"], phase, got, what, exp))
                print("ok %s tp=%d %s: %d ops sum to %.6g s + %.6g s of collectives"
                      % (d, deg["tp"], phase, len(terms), p["op_time_s"], p["comm_time_s"]))


if __name__ == "__main__":
    main(sys.argv)
