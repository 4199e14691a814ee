#!/usr/bin/python3
"""Checks a JSON report's serving section against the phase analysis and
the simulator's invariants.

  check_serving.py SERVE.json [PHASES.json]

Every point: all requests completed, output tokens = requests x osl when
the study has fixed lengths (given as --osl N), KV never above capacity,
p50 <= p90 <= p99 <= max for every latency, TTFT <= E2E. With PHASES.json
(the same graph at batch 1 and seq = isl): the first target's prefill time
equals the phase analysis's prefill time.
"""
import json
import sys


def main():
    args = sys.argv[1:]
    osl = None
    if "--osl" in args:
        i = args.index("--osl")
        osl = int(args[i + 1])
        del args[i:i + 2]
    s = json.load(open(args[0]))["serving"]
    bad = []
    for i, p in enumerate(s["points"]):
        if p["completed"] + p["rejected"] != p["requests"]:
            bad.append("point %d: requests lost" % i)
        if osl is not None and p["output_tokens"] != p["completed"] * osl:
            bad.append("point %d: %d output tokens, expected %d"
                       % (i, p["output_tokens"], p["completed"] * osl))
        if p["peak_kv_blocks"] > p["kv_blocks"]:
            bad.append("point %d: KV over capacity" % i)
        for m in ("ttft_s", "tpot_s", "itl_s", "e2e_s"):
            d = p[m]
            if d["count"] and not (d["p50"] <= d["p90"] <= d["p99"] <= d["max"]):
                bad.append("point %d: %s percentiles out of order" % (i, m))
        if p["ttft_s"]["max"] > p["e2e_s"]["max"]:
            bad.append("point %d: TTFT above E2E" % i)
    if len(args) > 1:
        phases = json.load(open(args[1]))["phases"]["prefill"]["time_s"]
        mine = s["targets"][0]["prefill_time_s"]
        if abs(mine - phases) > 1e-9 * phases:
            bad.append("prefill %r != phase analysis %r" % (mine, phases))
        else:
            print("ok prefill equals the phase analysis")
    for b in bad:
        print("FAIL " + b)
    if bad:
        sys.exit(1)
    print("ok %d points" % len(s["points"]))


if __name__ == "__main__":
    main()
