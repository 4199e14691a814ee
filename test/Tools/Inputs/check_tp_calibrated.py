#!/usr/bin/python3
"""Prints the tensor-parallel figures tensor-parallel-calibrated.test pins
from a JSON report of one GPT layer (utils/gen_transformer.py --megatron)
on one device: the MLP up projection's per-device time and roofline at
t = 4, the MLP down projection's all-reduce (alpha-beta and ring), that
t = 1 reproduces the unsharded report's prefill, and that every step is at
or above its roofline.

Usage: check_tp_calibrated.py REPORT.json
"""
import json
import math
import sys


def main(path):
    r = json.load(open(path))
    tp = r["tensor_parallel"]
    dev = tp["device"]
    ops = {o["name"]: o for o in r["ops"]}

    def at(name, t, phase="prefill"):
        for d in ops[name]["tp"]["per_device"]:
            if d["tp"] == t:
                return d[phase]
        raise SystemExit("no t = %d for %s" % (t, name))

    up = at("matmul_39", 4)
    print("matmul_39 tp=4 prefill %.0f us roofline %.0f us"
          % (up["time_s"][dev] * 1e6, up["roofline_s"][dev] * 1e6))
    down = at("matmul_41", 4)
    print("matmul_41 %s %.1f us ring %.1f us"
          % (down["collective"], down["collective_time_s"][dev] * 1e6,
             ring_all_reduce(down["collective_bytes"], 4, tp["link"]) * 1e6))
    one = [d for d in tp["degrees"] if d["tp"] == 1][0]
    print("t=1 prefill equals the report:",
          math.isclose(one["prefill_time_s"], r["phases"]["prefill"]["time_s"],
                       rel_tol=1e-9))
    for d in tp["degrees"]:
        print("t=%d above roofline:" % d["tp"],
              *(d[p]["time_s"] >= d[p]["roofline_s"]
                for p in ("prefill", "decode")))
    print("time_model", tp["time_model"], tp["kernels"],
          tp["collectives_model"], "recommended", tp["recommended_tp"])


def ring_all_reduce(size, t, link):
    """docs/TensorParallel.md: 2(t-1)/t size / bw + 2(t-1) latency."""
    return 2 * (t - 1) / t * size / link["bw"] + 2 * (t - 1) * link["latency_s"]


if __name__ == "__main__":
    main(sys.argv[1])
