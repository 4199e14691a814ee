"""Prints a tfperf JSON report's phase totals, graph totals and the figures
of the ops of the given types, one line each, for FileCheck.

Usage: phase_figures.py [--ops=ReduceSum,Cast] report.json...
"""
import json
import os
import sys

types = []
files = []
for a in sys.argv[1:]:
    if a.startswith("--ops="):
        types = [t for t in a[len("--ops="):].split(",") if t]
    else:
        files.append(a)
for f in files:
    label = os.path.basename(f)
    d = json.load(open(f))
    for name in ("prefill", "decode"):
        p = (d.get("phases") or {}).get(name)
        if p:
            print("%s %s b%d s%d kv%d unknown %d flops %d bytes %d" %
                  (label, name, p["batch"], p["seq"], p["kv_len"],
                   p["unknown_ops"], p["flops"], p["bytes"]))
    t = d["totals"]
    print("%s totals unknown %d flops %d bytes %d" %
          (label, t["unknown_ops"], t["flops"], t["bytes"]))
    for o in d["ops"]:
        if o["op"] in types:
            print("%s op %s %s flops %s bytes %s" %
                  (label, o["op"], o["name"], o["flops"], o["bytes"]))
