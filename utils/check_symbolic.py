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
        for dev in conc["devices"]:
            row = [r for r in rows if r["hw"] == dev["name"] and
                   all(r[n] == env[n] for n in names)]
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
    print("ok %s: %d points x %d devices, %d ops"
          % (os.path.basename(model), len(points), len(devices), len(sym["ops"])))


if __name__ == "__main__":
    main()
