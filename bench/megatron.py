#!/usr/bin/python3
"""Predicts Megatron-LM training iterations with tfperf itself and writes
them to bench/megatron-tfperf.json, which `bench/calibrate.py --validate`
puts into the Megatron table of docs/Validation.md.

  /usr/bin/python3 bench/megatron.py [--tfperf build/bin/tfperf] [--out FILE]

For each configuration of Korthikanti et al. (2022), Table 5 (the GPT
shapes, TP, PP, batch and micro-batch of KORTHIKANTI_TABLE5 in
calibrate.py; the pipeline interleaving of Calculon's validation
configurations, github calculon-ai/calculon, validation/seqsel/tab5/) it
generates a graph-only GPT of that shape (utils/gen_transformer.py
--megatron: fused QKV, biases, BiasGelu; one micro-batch of the graph's
batch; weights as external data that is never written) and runs, with
Megatron-LM's dropouts (the paper's GPT models train with them; the
exported graph leaves them out),

  tfperf gpt.onnx --mode=train --hw=a100-sxm-80gb --compute-dtype=fp16
      --tp=8 --pp=P [--pp-schedule=interleaved --pp-virtual-stages=V]
      --pp-microbatches=M --dropout --recompute=full|selective
      [--sequence-parallel]

reading the iteration time from the JSON report's `training_parallel`.
For the 22B model it also runs the five experiments of the paper's Table 4
(--recompute=none|full|selective, with and without --sequence-parallel) and
keeps one layer's forward and backward (`by_layer`: kernels, recomputation
and the collectives on each pass's critical path) beside the measured ones.
Nothing is fitted here: the rows are validation only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from calibrate import KORTHIKANTI_TABLE5, MEGATRON_VOCAB  # noqa: E402

# Model chunks per pipeline device in the measured runs (Calculon's
# validation/seqsel/tab5/*.json "pipeline_interleaving").
INTERLEAVING = {"22B": 1, "175B": 3, "530B": 3, "1T": 1}
DEFAULT_OUT = os.path.join(HERE, "megatron-tfperf.json")


# Korthikanti et al. 2022, Table 4: forward and backward time (ms) of one
# transformer layer of the 22B model (Table 3's configuration: TP 8, one
# micro-batch of 4 sequences of 2,048 tokens), by recomputation mode and
# sequence parallelism (the backward includes the recomputation). Read from
# the paper (arXiv 2205.05198, section 6.2). Validation only.
KORTHIKANTI_TABLE4 = [
    # experiment, recompute, sequence parallel, forward, backward
    ("Baseline no recompute", "none", False, 7.7, 11.9),
    ("Sequence Parallelism", "none", True, 7.2, 11.8),
    ("Baseline with recompute", "full", False, 7.7, 19.5),
    ("Selective Recompute", "selective", False, 7.7, 13.2),
    ("Selective + Sequence", "selective", True, 7.2, 13.1),
]
MODES = {"full": ("full", False), "seqsel": ("selective", True)}


def command(tfperf, graph, report, t, pp, v, m, recompute, sequence_parallel):
    cmd = [tfperf, graph, "--mode=train", "--hw=a100-sxm-80gb",
           "--compute-dtype=fp16", "--tp=%d" % t, "--pp=%d" % pp,
           "--pp-microbatches=%d" % m, "--dropout", "--report=%s" % report,
           "--recompute=%s" % recompute]
    if v > 1:
        cmd += ["--pp-schedule=interleaved", "--pp-virtual-stages=%d" % v]
    if sequence_parallel:
        cmd.append("--sequence-parallel")
    return cmd


def shown(cmd, name):
    return " ".join(["tfperf", "gpt_%s.onnx" % name] +
                    [c for c in cmd[2:] if not c.startswith("--report")])


def layer_rows(tfperf, graph, work, t):
    """Table 4: tfperf's forward and backward of one layer of the 22B model
    (a layer inside the stack: the first also holds the embedding's)."""
    rows = []
    for experiment, recompute, sp, fwd, bwd in KORTHIKANTI_TABLE4:
        report = os.path.join(work, "22B_layer_%s_%d.json" % (recompute, sp))
        cmd = command(tfperf, graph, report, t, 1, 1, 1, recompute, sp)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(report) as f:
            step = json.load(f)["training_parallel"]["devices"][0]["degrees"][0]
        layer = step["by_layer"][1]
        rows.append({
            "experiment": experiment, "measured_forward_ms": fwd, "measured_backward_ms": bwd,
            "forward_ms": 1e3 * (layer["forward_time_s"] + layer["forward_comm_time_s"]),
            "backward_ms": 1e3 * (layer["backward_time_s"] + layer["recompute_time_s"] +
                                  layer["backward_comm_time_s"]),
            "forward_comm_ms": 1e3 * layer["forward_comm_time_s"],
            "backward_comm_ms": 1e3 * layer["backward_comm_time_s"],
            "command": shown(cmd, "22B"),
        })
        r = rows[-1]
        print("22B layer %-24s forward %.2f ms (measured %.1f)  backward %.2f ms (measured %.1f)" % (
            experiment, r["forward_ms"], fwd, r["backward_ms"], bwd))
    return rows


def predict(tfperf, work):
    rows, table4 = [], []
    for name, h, a, layers, s, t, pp, gb, mb, full, seqsel in KORTHIKANTI_TABLE5:
        graph = os.path.join(work, "gpt_%s.onnx" % name)
        subprocess.run([sys.executable, os.path.join(ROOT, "utils", "gen_transformer.py"),
                        "-o", graph, "--layers", str(layers), "--d", str(h),
                        "--heads", str(a), "--vocab", str(MEGATRON_VOCAB),
                        "--batch", str(mb), "--seq", str(s), "--max-pos", str(s),
                        "--causal", "--megatron"], check=True)
        v = INTERLEAVING[name]
        m = gb // mb
        if name == "22B":
            table4 = layer_rows(tfperf, graph, work, t)
        for mode, measured in (("full", full), ("seqsel", seqsel)):
            report = os.path.join(work, "%s_%s.json" % (name, mode))
            cmd = command(tfperf, graph, report, t, pp, v, m, *MODES[mode])
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            with open(report) as f:
                section = json.load(f)["training_parallel"]
            step = section["devices"][0]["degrees"][0]
            rows.append({
                "model": name, "mode": mode, "tp": t, "pp": pp,
                "virtual_stages": v, "microbatches": m,
                "measured_s": measured,
                "iteration_s": step["iteration_time_s"],
                "roofline_s": step["roofline_time_s"],
                "bubble_fraction": step["bubble_fraction"],
                "command": shown(cmd, name),
            })
            print("%-4s %-6s measured %6.2f s  tfperf %8.3f s (%+.1f%%)" % (
                name, mode, measured, step["iteration_time_s"],
                100 * (step["iteration_time_s"] / measured - 1)))
    return rows, table4


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tfperf", default=os.path.join(ROOT, "build", "bin", "tfperf"))
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        rows, table4 = predict(args.tfperf, work)
    with open(args.out, "w") as f:
        json.dump({"source": "bench/megatron.py (tfperf --mode=train on a100-sxm-80gb, "
                             "calibrated time model)", "rows": rows, "layer_22b": table4}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
