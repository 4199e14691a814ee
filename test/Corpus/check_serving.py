#!/usr/bin/python3
"""Checks a JSON report's serving section against the phase analysis and
the simulator's invariants.

  check_serving.py SERVE.json [PHASES.json] [--osl N] [--decode]

Every point: all requests completed, output tokens = requests x osl when
the study has fixed lengths (given as --osl N), KV never above capacity,
p50 <= p90 <= p99 <= max for every latency, TTFT <= E2E. With PHASES.json
(the same graph at batch 1 and seq = isl): the first target's prefill time
equals the phase analysis's prefill time; with --decode (PHASES.json's
decode at batch 1 and KV length isl + 1) its decode step time equals the
phase analysis's decode time too.
"""
import json
import sys


def main():
    args = sys.argv[1:]
    osl = None
    decode = "--decode" in args
    if decode:
        args.remove("--decode")
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
        phases = json.load(open(args[1]))["phases"]
        target = s["targets"][0]
        compared = [("prefill", "prefill_time_s")]
        if decode:
            compared.append(("decode", "decode_step_time_s"))
        for phase, field in compared:
            theirs, mine = phases[phase]["time_s"], target[field]
            if abs(mine - theirs) > 1e-9 * theirs:
                bad.append("%s %r != phase analysis %r" % (phase, mine, theirs))
            else:
                print("ok %s equals the phase analysis" % phase)
    for b in bad:
        print("FAIL " + b)
    if bad:
        sys.exit(1)
    print("ok %d points" % len(s["points"]))


if __name__ == "__main__":
    main()
