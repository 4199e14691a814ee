#!/usr/bin/python3
"""Checks the tensor-parallel analysis of the shared corpus against
shared/docs/transformer-arithmetic.md (model parallelism):

  gpt2 REPORT.json     GPT-2 124M (bf16, --tp=1,2,4,5,8): 2 all-reduces per
                       layer (24 in 12 layers) + the embedding's, each of
                       batch x seq x d_model x dtype; t = 5 and 8 rejected
                       for 12 heads; the KV cache per device halves; c_attn
                       and c_fc column, attention and MLP c_proj row; PP
                       moves an order of magnitude less than TP.
  megatron REPORT.json the Megatron layer of ORT's test data (--tp=1,2,4).
  gqa REPORT.json      llama2.c 260K (8 heads, 4 KV heads, --tp=1,2,4,8): at
                       t = 8 the KV heads are replicated (reported) and the
                       degree is rejected for d_ff = 172.
  any REPORT.json...   every graph: a tensor_parallel section, t = 1
                       feasible and a recommendation.

Prints "ok NAME" per check; exits 1 naming the first mismatch.
"""
import json
import sys


def fail(msg):
    sys.exit("FAIL " + msg)


def degrees(r):
    return {d["tp"]: d for d in r["tensor_parallel"]["degrees"]}


def gpt2(path):
    r = json.load(open(path))
    t, d = r["transformer"], degrees(r)
    L, dm, V = t["n_layers"], t["d_model"], t["vocab"]
    if (L, dm, t["n_heads"]) != (12, 768, 12):
        fail("gpt2: dims %r" % ((L, dm, t["n_heads"]),))
    for n in (5, 8):
        if d[n]["feasible"] or "12 attention heads are not divisible by %d" % n not in d[n]["reason"]:
            fail("gpt2: t=%d should be rejected for 12 heads: %r" % (n, d[n]["reason"]))
    for n in (2, 4):
        e = d[n]
        if not e["feasible"] or e["allreduce_per_layer"] != 2:
            fail("gpt2: t=%d feasible with 2 all-reduces per layer: %r" % (n, e))
        for phase, tokens in (("prefill", 1024), ("decode", 1)):
            p = e[phase]
            if sum(p["allreduces_by_layer"]) != 24 or p["allreduces"] != 25:
                fail("gpt2: t=%d %s all-reduces %r" % (n, phase, p["allreduces_by_layer"]))
            # 25 all-reduces of batch x tokens x d_model x bf16, and the
            # logits of the one position the head computes.
            want = 25 * 1 * tokens * dm * 2 + 1 * V * 2
            if p["comm_bytes"] != want:
                fail("gpt2: t=%d %s comm bytes %r, expected %r" % (n, phase, p["comm_bytes"], want))
    kv1 = d[1]["kv_bytes_per_token_per_device"]
    if kv1 != 2 * 12 * 768 * 2 or d[2]["kv_bytes_per_token_per_device"] != kv1 / 2:
        fail("gpt2: KV per token per device %r, %r" % (kv1, d[2]["kv_bytes_per_token_per_device"]))
    s = r["tensor_parallel"]["splits"]
    for kind, names in (("column", ["/m/h.0/attn/c_attn/MatMul", "/m/h.0/mlp/c_fc/MatMul"]),
                        ("row", ["/m/h.0/attn/c_proj/MatMul", "/m/h.0/mlp/c_proj/MatMul"]),
                        ("vocab", ["/m/wte/Gather", "/m/lm_head/MatMul"])):
        if any(x not in s[kind]["examples"] for x in names) or s[kind]["ops"] != (2 if kind == "vocab" else 24):
            fail("gpt2: %s split %r" % (kind, s[kind]))
    pp = {p["pp"]: p for p in r["tensor_parallel"]["pipeline"]["degrees"]}
    ratio = d[4]["comm_bytes_per_step"] / pp[4]["comm_bytes_per_step"]
    if pp[4]["comm_bytes_per_step"] != 3 * 1024 * dm * 2 or ratio < 8:
        fail("gpt2: PP traffic %r, TP/PP %r" % (pp[4]["comm_bytes_per_step"], ratio))
    if not pp[4]["decode_latency_s"] >= d[1]["decode_time_s"]:
        fail("gpt2: PP decode latency below one device's")
    print("ok gpt2")


def megatron(path):
    r = json.load(open(path))
    d = degrees(r)
    if not d[2]["feasible"] or d[2]["allreduce_per_layer"] != 2:
        fail("megatron: t=2 %r" % d[2])
    if d[4]["feasible"] or "2 attention heads are not divisible by 4" not in d[4]["reason"]:
        fail("megatron: t=4 %r" % d[4]["reason"])
    s, c = r["tensor_parallel"]["splits"], r["tensor_parallel"]["collectives"]
    if (s["column"]["ops"], s["row"]["ops"], s["vocab"]["ops"]) != (2, 2, 2) or s["heads"]["ops"] == 0:
        fail("megatron: splits %r" % s)
    # The present KV stays on the devices: only the logits are gathered.
    if (c["embedding_allreduces"], c["logits_allgathers"], c["other_allgathers"]) != (1, 1, 0):
        fail("megatron: collectives %r" % c)
    print("ok megatron")


def gqa(path):
    r = json.load(open(path))
    t, d = r["transformer"], degrees(r)
    if (t["n_heads"], t["n_kv_heads"], t["d_ff"]) != (8, 4, 172):
        fail("gqa: dims")
    e = d[8]
    if e["kv_replicas"] != 2 or not any("4 KV heads for 8 devices" in n for n in e["notes"]):
        fail("gqa: t=8 KV replication not reported: %r" % e)
    if e["feasible"] or "d_ff = 172 is not divisible by 8" not in e["reason"]:
        fail("gqa: t=8 %r" % e["reason"])
    if d[4]["kv_replicas"] != 1 or not d[4]["feasible"]:
        fail("gqa: t=4 %r" % d[4])
    print("ok gqa")


def anything(paths):
    for path in paths:
        r = json.load(open(path))
        tp = r.get("tensor_parallel")
        if tp is None:
            fail("%s: no tensor_parallel section" % path)
        d = degrees(r)
        if not d[1]["feasible"] or tp["recommended_tp"] is None or not tp["reason"]:
            fail("%s: t=1 or the recommendation: %r" % (path, tp["reason"]))
        for n, e in d.items():
            if not e["feasible"] and not e["reason"]:
                fail("%s: t=%d rejected without a reason" % (path, n))
        print("ok %s" % path)


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "any":
        anything(sys.argv[2:])
    else:
        {"gpt2": gpt2, "megatron": megatron, "gqa": gqa}[what](sys.argv[2])
