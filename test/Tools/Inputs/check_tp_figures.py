#!/usr/bin/python3
"""Checks the tensor_parallel figures of a JSON report of a
utils/gen_transformer.py decoder against the closed forms of
docs/TensorParallel.md (the model's sizes come from the report itself):

- per step: 2 all-reduces per layer + 1 after the embedding, each of
  batch x tokens x d_model x dtype, and an all-gather of the logits
  (batch x tokens x vocab x dtype; the generated head computes every
  position), with the ring times 2(t-1)/t size/bw + 2(t-1) lat and
  (t-1)/t size/bw + (t-1) lat;
- weights per device = replicated + split / t (from t = 1 and t = 2), the
  K/V projections divided by min(t, n_kv_heads) only;
- KV cache per token per device = KV / min(t, n_kv_heads) per head group.

Usage: check_tp_figures.py REPORT.json DTYPE_BYTES
Prints "ok tp=T" per feasible degree; exits 1 naming the first mismatch.
"""
import json
import math
import sys


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def main(path, dtype):
    r = json.load(open(path))
    t = r["transformer"]
    tp = r["tensor_parallel"]
    L, d, V, kv_heads = t["n_layers"], t["d_model"], t["vocab"], t["n_kv_heads"]
    bw, lat = tp["link"]["bw"], tp["link"]["latency_s"]
    degrees = {e["tp"]: e for e in tp["degrees"]}
    w1, w2 = degrees[1]["weights_bytes_per_device"], degrees[2]["weights_bytes_per_device"]
    split = 2 * (w1 - w2)
    kv1 = degrees[1]["kv_bytes_per_token_per_device"]
    for n, e in sorted(degrees.items()):
        if not e["feasible"]:
            continue
        for phase in ("prefill", "decode"):
            p, ph = e[phase], r["phases"][phase]
            tokens = ph["batch"] * ph["seq"]
            ar = tokens * d * dtype
            logits = tokens * V * dtype
            want_ar = (2 * L + 1) if n > 1 else 0
            want_bytes = (want_ar * ar + logits) if n > 1 else 0
            want_time = 0
            if n > 1:
                want_time = want_ar * (2 * (n - 1) / n * ar / bw + 2 * (n - 1) * lat) \
                    + ((n - 1) / n * logits / bw + (n - 1) * lat)
            for what, got, want in (("allreduces", p["allreduces"], want_ar),
                                    ("comm_bytes", p["comm_bytes"], want_bytes),
                                    ("comm_time_s", p["comm_time_s"], want_time)):
                if not close(got, want):
                    sys.exit("FAIL tp=%d %s.%s: %r, expected %r" % (n, phase, what, got, want))
            if n > 1 and p["allreduces_by_layer"] != [2] * L:
                sys.exit("FAIL tp=%d %s: allreduces_by_layer %r" % (n, phase, p["allreduces_by_layer"]))
        kv_weights = L * 2 * d * kv_heads * t["d_head"] * dtype
        want_w = w1 - split + split / n + kv_weights * (1 / min(n, kv_heads) - 1 / n)
        if not close(e["weights_bytes_per_device"], want_w):
            sys.exit("FAIL tp=%d weights %r, expected %r"
                     % (n, e["weights_bytes_per_device"], want_w))
        want_kv = kv1 / min(n, kv_heads)
        if not close(e["kv_bytes_per_token_per_device"], want_kv):
            sys.exit("FAIL tp=%d KV per token %r, expected %r"
                     % (n, e["kv_bytes_per_token_per_device"], want_kv))
        if not close(e["kv_extra_bytes_per_token"], want_kv - kv1 / n):
            sys.exit("FAIL tp=%d extra KV %r" % (n, e["kv_extra_bytes_per_token"]))
        print("ok tp=%d" % n)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
