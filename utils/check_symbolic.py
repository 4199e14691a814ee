#!/usr/bin/python3
"""Symbolic evaluation equals concrete analysis.

For a dynamic graph and a grid of bindings:
  tfperf-opt MODEL --sweep=GRID --sweep-out=sweep.json --report=sym.json
gives every op's cost formula, the totals' formulas and the sweep's rows;
for every point of the grid
  tfperf-opt MODEL --bind-dims=POINT --report=concrete.json
gives the concrete analysis of the graph bound to those dims. Checked, at
every point: each op's flops, gemm_flops and bytes formula evaluated
exactly (Python integers) equals the concrete op's figures; the totals'
formulas equal the concrete totals; the sweep row's FLOPs and bytes equal
them exactly and its time within 1e-12; the same ops are unknown.

A `tp` axis in the grid is not a binding: its rows are compared with the
tensor-parallel analysis of the bound graph (`--tp=` the same degrees):
the prefill step per device on the report's TP device (FLOPs, GEMM FLOPs
and bytes exactly, the collectives' payload, their time and the step time
within 1e-12). That holds for graphs whose prefill phase is the bound
graph itself (no past-KV symbol).

Usage: utils/check_symbolic.py TFPERF_OPT MODEL WORKDIR 'name=v1,v2;name=...' [extra flags]
Prints "ok MODEL: N points, M ops" or every mismatch (exit 1).
"""
import itertools
import json
import math
import os
import re
import subprocess
import sys


def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("FAIL: %s\n%s" % (" ".join(args), p.stderr))


FUNCS = {
    "floordiv": lambda a, b: a // b,
    "ceildiv": lambda a, b: -(-a // b),
    "mod": lambda a, b: a % b,
    "min": min,
    "max": max,
}


def evaluate(text, env):
    """Exact value of a formula (SymExpr text, or `(P)/8`)."""
    quoted = {}

    def quote(m):
        name = "_q%d" % len(quoted)
        quoted[name] = m.group(1).replace("\\'", "'").replace("\\\\", "\\")
        return name
    expr = re.sub(r"'((?:[^'\\]|\\.)*)'", quote, text).replace("^", "**")
    scope = dict(FUNCS)
    scope.update(env)
    for k, v in quoted.items():
        scope[k] = env[v]
    if re.fullmatch(r"\(.*\)/8", expr):
        from fractions import Fraction
        return Fraction(eval(expr[:-2], {"__builtins__": {}}, scope), 8)
    return eval(expr, {"__builtins__": {}}, scope)


def same(a, b):
    return a == b or (isinstance(a, float) or isinstance(b, float)) and \
        math.isclose(a, b, rel_tol=1e-15)


def check_tp(label, env, names, rows, conc, degrees):
    errors = []
    tp = conc["tensor_parallel"]
    pre = conc["phases"]["prefill"]
    if pre["kv_len"] != pre["seq"]:
        return ["%s: the prefill phase has a past (kv_len %r, seq %r): tp rows "
                "cannot be compared" % (label, pre["kv_len"], pre["seq"])]
    by_tp = {d["tp"]: d for d in tp["degrees"]}
    for t in degrees:
        row = [r for r in rows if r["hw"] == tp["device"] and r["tp"] == t and
               all(r[n] == env[n] for n in names)]
        if len(row) != 1 or t not in by_tp:
            errors.append("%s tp=%d: %d sweep rows" % (label, t, len(row)))
            continue
        row, p = row[0], by_tp[t]["prefill"]
        exact = {"flops": "flops_per_device", "gemm_flops": "gemm_flops_per_device",
                 "bytes": "bytes_per_device", "comm_bytes": "comm_bytes"}
        for key, ckey in exact.items():
            if row[key] != p[ckey]:
                errors.append("%s tp=%d: sweep %s %r, TP analysis %s %r"
                              % (label, t, key, row[key], ckey, p[ckey]))
        for key, ckey in (("time_s", "time_s"), ("comm_time_s", "comm_time_s")):
            if not math.isclose(row[key], p[ckey], rel_tol=1e-12, abs_tol=1e-300):
                errors.append("%s tp=%d: sweep %s %r, TP analysis %r"
                              % (label, t, key, row[key], p[ckey]))
    return errors


def main():
    tool, model, work, grid = sys.argv[1:5]
    extra = sys.argv[5:]
    os.makedirs(work, exist_ok=True)
    axes = []
    for part in grid.split(";"):
        name, values = part.split("=")
        axes.append((name, [int(v) for v in values.split(",")]))
    sym_json = os.path.join(work, "sym.json")
    sweep_json = os.path.join(work, "sweep.json")
    run([tool, model, "--sweep=" + grid, "--sweep-out=" + sweep_json,
         "--report=" + sym_json] + extra)
    sym = json.load(open(sym_json))
    rows = json.load(open(sweep_json))
    degrees = dict(axes).get("tp")
    axes = [(n, v) for n, v in axes if n != "tp"]
    if degrees:
        extra = extra + ["--tp=" + ",".join(map(str, degrees))]
    names = [n for n, _ in axes]
    devices = sym["config"]["hw"]
    errors = []
    points = list(itertools.product(*[v for _, v in axes]))
    for point in points:
        env = dict(zip(names, point))
        label = ",".join("%s=%d" % kv for kv in env.items())
        conc_json = os.path.join(work, "concrete.json")
        run([tool, model, "--bind-dims=" + label, "--report=" + conc_json] + extra)
        conc = json.load(open(conc_json))
        if len(conc["ops"]) != len(sym["ops"]):
            errors.append("%s: %d ops bound, %d symbolic"
                          % (label, len(conc["ops"]), len(sym["ops"])))
            continue
        for s, c in zip(sym["ops"], conc["ops"]):
            if s["name"] != c["name"]:
                errors.append("%s: op %r is %r when bound" % (label, s["name"], c["name"]))
                break
            f = s.get("formula")
            if (f is None) != (c["bound"] == "unknown"):
                errors.append("%s: op %r is %s symbolically but %s bound"
                              % (label, s["name"], "unknown" if f is None else "known",
                                 c["bound"]))
                continue
            if f is None:
                continue
            for key in ("flops", "gemm_flops", "bytes"):
                v = evaluate(f[key], env)
                if not same(v, c[key]):
                    errors.append("%s: op %r %s: formula %s = %s, bound %s"
                                  % (label, s["name"], key, f[key], v, c[key]))
        for key in ("flops", "gemm_flops", "bytes"):
            v = evaluate(sym["totals"]["formula"][key], env)
            if not same(v, conc["totals"][key]):
                errors.append("%s: totals %s: formula = %s, bound %s"
                              % (label, key, v, conc["totals"][key]))
        if degrees:
            errors += check_tp(label, env, names, rows, conc, degrees)
        for dev in conc["devices"]:
            row = [r for r in rows if r["hw"] == dev["name"] and
                   all(r[n] == env[n] for n in names) and r.get("tp", 1) == 1]
            if len(row) != 1:
                errors.append("%s: %d sweep rows on %s" % (label, len(row), dev["name"]))
                continue
            row, t = row[0], dev["totals"]
            for key in ("flops", "gemm_flops", "bytes", "unknown_ops"):
                if row[key] != t[key]:
                    errors.append("%s on %s: sweep %s %r, bound %r"
                                  % (label, dev["name"], key, row[key], t[key]))
            if not math.isclose(row["time_s"], t["time_s"], rel_tol=1e-12):
                errors.append("%s on %s: sweep time %r, bound %r"
                              % (label, dev["name"], row["time_s"], t["time_s"]))
    if errors:
        for e in errors[:40]:
            print("FAIL %s: %s" % (os.path.basename(model), e))
        sys.exit(1)
    print("ok %s: %d points x %d devices, %d ops%s"
          % (os.path.basename(model), len(points), len(devices), len(sym["ops"]),
             ", tp " + ",".join(map(str, degrees)) if degrees else ""))


if __name__ == "__main__":
    main()
