#!/usr/bin/python3
"""Checks --mode=train on every corpus graph against what training must cost.

For every corpus model, runs `tfperf-opt --mode=train --report=<json>`
(dynamic graphs bound to the dims the reference used) and requires:
  - the training section and every op's `backward` object to validate
    against docs/report-schema.json, and the training totals to be the sums
    of the op rows (utils/validate_report.py's training checks);
  - no op with an unknown backward; on every graph a gradient reaches,
    trainable parameters, backward GEMM FLOPs and kept activations;
  - the 3-layer MLPs: backward GEMM FLOPs = 2 x forward - the first layer's
    dX exactly (the input needs no gradient), and = 2 x forward exactly with
    --input-requires-grad;
  - the language models (nanoGPT, llama2.c): training GEMM FLOPs = 3 x
    forward within 0.1%, per token = 6N' + attention within 1%, and the
    forward GEMM FLOPs = the reference count within 0.1%;
  - GPT-2: the attention block keeps exactly Korthikanti et al.'s bytes
    without dropout.

Usage: check_training.py CORPUS_DIR TFPERF_BIN_DIR TFPERF_SRC_DIR
Prints one line per model ("ok ..." or "FAIL ...") and the figures above.
"""
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from check_corpus import report, valid_models  # noqa: E402

LANGUAGE_MODELS = ("gpt2_124m_nanogpt_b1_s1024", "gpt2_124m_nanogpt_dynamic",
                   "llama2c_stories15M_b1_s256",
                   "llama2c_stories260K_b1_s256_inline",
                   "nanogpt_tiny_L2_d64_inline")


def run(opt, path, bindings, extra, out):
    return report(opt, path, bindings, ["--mode=train", "--hw=h100-sxm"] + extra, out)


def main():
    corpus, bindir, src = sys.argv[1], sys.argv[2], sys.argv[3]
    sys.path.insert(0, os.path.join(src, "utils"))
    import jsonschema
    from validate_report import training_checks
    schema = json.load(open(os.path.join(src, "docs", "report-schema.json")))
    defs = schema["$defs"]
    training_schema = dict(schema["properties"]["training"], **{"$defs": defs})
    backward_schema = dict(defs["op"]["properties"]["backward"], **{"$defs": defs})
    opt = os.path.join(bindir, "tfperf-opt")
    failed = False
    for name, path, ref, b in valid_models(corpus):
        problems, notes = [], []
        with tempfile.TemporaryDirectory() as tmp:
            rep, err = run(opt, path, b, [], os.path.join(tmp, "r.json"))
            if rep is None:
                print("FAIL %s: %s" % (name, err))
                failed = True
                continue
            t = rep["training"]
            for e in jsonschema.Draft202012Validator(training_schema).iter_errors(t):
                problems.append("training%s: %s" % (e.json_path[1:], e.message))
            for op in rep["ops"]:
                if "backward" in op:
                    for e in jsonschema.Draft202012Validator(backward_schema).iter_errors(op["backward"]):
                        problems.append("op %r backward: %s" % (op["name"], e.message))
            problems += training_checks(rep)
            if t["backward_unknown_ops"]:
                problems.append("%d ops with an unknown backward" % t["backward_unknown_ops"])
            if t["gradient_outputs"] and not (t["parameters"] > 0 and
                                              t["backward_gemm_flops"] > 0 and
                                              t["activation_bytes"] > 0):
                problems.append("a gradient reaches the graph but no parameter, "
                                "backward GEMM or activation")
            fwd, bwd = t["forward_gemm_flops"], t["backward_gemm_flops"]
            if name.startswith("mlp3_relu"):
                first = next(o for o in rep["ops"] if o["op"] == "Gemm")["gemm_flops"]
                if bwd != 2 * fwd - first:
                    problems.append("backward GEMM %d != 2 x %d - %d" % (bwd, fwd, first))
                rep2, err = run(opt, path, b, ["--input-requires-grad"],
                                os.path.join(tmp, "in.json"))
                bwd2 = rep2["training"]["backward_gemm_flops"] if rep2 else None
                if bwd2 != 2 * fwd:
                    problems.append("with --input-requires-grad, backward GEMM %r != 2 x %d"
                                    % (bwd2, fwd))
                notes.append("%s: backward GEMM %d = 2 x %d - %d (first dX skipped); "
                             "with --input-requires-grad %s = 2 x forward"
                             % (name, bwd, fwd, first, bwd2))
            if name in LANGUAGE_MODELS:
                ratio = (fwd + bwd) / fwd
                if abs(ratio - 3) > 3e-3:
                    problems.append("training / forward GEMM %.4f, not 3" % ratio)
                per_token, estimate = t["gemm_flops_per_token"], \
                    t["six_n_linear_plus_attention_flops_per_token"]
                if abs(per_token / estimate - 1) > 0.01:
                    problems.append("GEMM per token %.4g vs 6N' + attention %.4g"
                                    % (per_token, estimate))
                want = ref.get("ref_flops_matmul")
                if want and abs(fwd / want - 1) > 1e-3:
                    problems.append("forward GEMM %d vs reference %d" % (fwd, want))
                notes.append("%s: training / forward GEMM %.4f; per token %.2f MFLOP "
                             "vs 6N' + attention %.2f MFLOP (6N %.2f MFLOP)"
                             % (name, ratio, per_token / 1e6, estimate / 1e6,
                                t["six_n_flops_per_token"] / 1e6))
            k = t["korthikanti"]
            if name == "gpt2_124m_nanogpt_b1_s1024":
                sbh = k["s"] * k["b"] * k["h"]
                if not math.isclose(k["graph_attention_bytes"],
                                    k["attention_bytes_no_dropout"], rel_tol=1e-3):
                    problems.append("attention keeps %r bytes, Korthikanti %r"
                                    % (k["graph_attention_bytes"], k["attention_bytes_no_dropout"]))
                notes.append("%s: Korthikanti per layer: attention %.1f sbh = %.1f without "
                             "dropout; mlp %.1f vs %.1f; layer %.1f vs %.1f (%.1f without dropout)"
                             % (name, k["graph_attention_bytes"] / sbh,
                                k["attention_bytes_no_dropout"] / sbh,
                                k["graph_mlp_bytes"] / sbh, k["mlp_bytes_no_dropout"] / sbh,
                                k["graph_layer0_bytes"] / sbh, k["per_layer_bytes"] / sbh,
                                k["per_layer_bytes_no_dropout"] / sbh))
        for p in problems:
            print("FAIL %s: %s" % (name, p))
        failed |= bool(problems)
        if not problems:
            print("ok   %-42s fwd GEMM %.4g, bwd GEMM %.4g, activations %.4g B, "
                  "%d params" % (name, fwd, bwd, t["activation_bytes"] or 0,
                                 t["parameters"] or 0))
        for n in notes:
            print(n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
