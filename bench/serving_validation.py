#!/usr/bin/python3
"""Serving validation: tfperf --serve against published measured throughput.

For each published point (model, GPU, TP degree, input/output lengths),
builds a graph of the model's shape (bench/make_scaled_graph.py from the
corpus's llama2.c export: graph only, the weights an absent external file),
runs

  tfperf-opt G --hw=DEV --compute-dtype=fp8 --weight-dtype=fp8 \\
      --kernels=K --time-model=M \\
      --serve=isl=I,osl=O,concurrency=C,max-seqs=C,requests=N,budget=8192,tp=T

and compares the predicted total output tokens/s with the measured one.
The step costs' kernel view and time model are --kernels and --time-model
(default: the fused kernels priced by the calibrated model; `--kernels
exported --time-model roofline` gives the per-op roofline), passed to the
tool explicitly; the section names what the tool reports it used
(`serving.time_model`, `serving.kernels`).

Writes the section between `<!-- bench:begin serving -->` and
`<!-- bench:end serving -->` of --out (docs/Validation.md).

  /usr/bin/python3 bench/serving_validation.py --build build --out docs/Validation.md
  --only 8b (or 70b) limits the run to one model, --limit N to its first N
  points; --keep-graphs DIR keeps the graphs.

Published data: TensorRT-LLM's performance overview
(github NVIDIA/TensorRT-LLM, docs/source/performance/perf-overview.md @
00f37686aa854010d68bcbd0f4ab000221541ca6, the v1.0-era table; read
2026-12-06). trtllm-bench "throughput": requests of fixed ISL/OSL fed at an
infinite rate, PyTorch backend, ModelOpt FP8 checkpoints, metric "Total
Output Throughput (tokens/sec)" of the whole TP group. Only the numbers
compared here are transcribed; nothing else of that file is copied.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile

from bench import replace_section  # bench/bench.py, next to this file

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCE = ("TensorRT-LLM performance overview, github NVIDIA/TensorRT-LLM "
          "docs/source/performance/perf-overview.md @ 00f37686aa854010d68bcbd0f4ab000221541ca6 "
          "(v1.0-era; read 2026-12-06)")

# Model shapes (Llama 3.1 8B; Llama 3.3 70B has Llama 3.1 70B's shape).
MODELS = {
    "8b": dict(title="Llama-3.1-8B", dim=4096, heads=32, kv_heads=8, ffn=14336, vocab=128256, layers=32),
    "70b": dict(title="Llama-3.3-70B", dim=8192, heads=64, kv_heads=8, ffn=28672, vocab=128256, layers=80),
}

# Requests per ISL/OSL: trtllm-bench's dataset sizes from the same document.
REQUESTS = {(128, 128): 30000, (128, 2048): 3000, (128, 4096): 1500, (500, 2000): 3000,
            (1000, 1000): 3000, (1000, 2000): 1500, (2048, 128): 3000, (2048, 2048): 1500,
            (5000, 500): 1500, (20000, 2000): 1000}

# (model, device, tp, isl, osl, measured total output tokens/s), FP8.
# B200/GB200 rows of the same tables are FP4, which --compute-dtype does not
# offer: not compared.
MEASURED = [
    ("8b", "h200", 1, 128, 128, 27911), ("8b", "h200", 1, 128, 2048, 26221),
    ("8b", "h200", 1, 128, 4096, 18027), ("8b", "h200", 1, 500, 2000, 20770),
    ("8b", "h200", 1, 1000, 1000, 17744), ("8b", "h200", 1, 1000, 2000, 16828),
    ("8b", "h200", 1, 2048, 128, 3538), ("8b", "h200", 1, 2048, 2048, 12194),
    ("8b", "h200", 1, 5000, 500, 3902), ("8b", "h200", 1, 20000, 2000, 1804),
    ("8b", "h100-sxm", 1, 128, 128, 28312), ("8b", "h100-sxm", 1, 128, 2048, 22714),
    ("8b", "h100-sxm", 1, 128, 4096, 14325), ("8b", "h100-sxm", 1, 500, 2000, 17660),
    ("8b", "h100-sxm", 1, 1000, 1000, 15220), ("8b", "h100-sxm", 1, 1000, 2000, 13899),
    ("8b", "h100-sxm", 1, 2048, 128, 3450), ("8b", "h100-sxm", 1, 2048, 2048, 9305),
    ("8b", "h100-sxm", 1, 5000, 500, 3459), ("8b", "h100-sxm", 1, 20000, 2000, 1351),
    ("70b", "h200", 1, 128, 128, 3803), ("70b", "h200", 1, 128, 2048, 4336),
    ("70b", "h200", 1, 128, 4096, 2872), ("70b", "h200", 1, 500, 2000, 3666),
    ("70b", "h200", 1, 1000, 1000, 2909), ("70b", "h200", 1, 1000, 2000, 2994),
    ("70b", "h200", 1, 2048, 128, 442), ("70b", "h200", 1, 2048, 2048, 2003),
    ("70b", "h200", 1, 5000, 500, 566), ("70b", "h200", 1, 20000, 2000, 283),
    ("70b", "h100-sxm", 2, 128, 128, 6378), ("70b", "h100-sxm", 2, 128, 2048, 6651),
    ("70b", "h100-sxm", 2, 128, 4096, 4199), ("70b", "h100-sxm", 2, 500, 2000, 5222),
    ("70b", "h100-sxm", 2, 1000, 1000, 4205), ("70b", "h100-sxm", 2, 1000, 2000, 4146),
    ("70b", "h100-sxm", 2, 2048, 128, 762), ("70b", "h100-sxm", 2, 2048, 2048, 3082),
    ("70b", "h100-sxm", 2, 5000, 500, 898), ("70b", "h100-sxm", 2, 20000, 2000, 437),
]

# The engine as trtllm-bench runs it: an infinite queue is a closed loop at
# the largest batch (PyTorch backend default max_batch_size 2048), the
# default max_num_tokens 8192 as the step budget, 90% of memory for weights
# and KV cache (the document's default; some runs used 95%).
CONCURRENCY = 2048
BUDGET = 8192
MEM_UTIL = 0.9
# TensorRT-LLM's default tokens per KV block.
BLOCK = 32


def build_graph(key, out_dir):
    m = MODELS[key]
    path = os.path.join(out_dir, "llama_%s.onnx" % key)
    if os.path.exists(path):
        return path
    src = os.path.join(ROOT, "..", "shared", "corpus", "models", "llama2c_stories260K_b1_s256_inline.onnx")
    cmd = [sys.executable, os.path.join(HERE, "make_scaled_graph.py"), src, "-o", path,
           "--dim", str(m["dim"]), "--heads", str(m["heads"]), "--kv-heads", str(m["kv_heads"]),
           "--ffn", str(m["ffn"]), "--vocab", str(m["vocab"]), "--seq", "2048",
           "--layers", str(m["layers"]), "--no-check"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("serving_validation: building the %s graph failed: %s" % (m["title"], r.stderr.strip()))
    return path


TIMING = ["--kernels=fused", "--time-model=calibrated"]


def serve(opt, graph, device, tp, isl, osl, concurrency, requests, work):
    report = os.path.join(work, "serve.json")
    spec = "isl=%d,osl=%d,concurrency=%d,max-seqs=%d,requests=%d,budget=%d,mem-util=%g,block=%d,tp=%d" % (
        isl, osl, concurrency, concurrency, requests, BUDGET, MEM_UTIL, BLOCK, tp)
    cmd = [opt, graph, "--hw=" + device, "--compute-dtype=fp8", "--weight-dtype=fp8"] + TIMING + [
           "--serve=" + spec, "--report=" + report, "-o", os.devnull]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("serving_validation: %s failed: %s" % (" ".join(cmd), r.stderr.strip()))
    return json.load(open(report))["serving"]


def predict(opt, graph, device, tp, isl, osl, work):
    # TensorRT-LLM's default scheduler (GUARANTEED_NO_EVICT) admits a request
    # only when the KV blocks of its whole prompt and output are free, so it
    # never preempts: the batch is the cache's capacity in whole requests.
    # The KV blocks come from a first, short run.
    blocks = serve(opt, graph, device, tp, isl, osl, 1, 1, work)["targets"][0]["kv_blocks"]
    per_request = -(-(isl + osl) // BLOCK)
    concurrency = max(1, min(CONCURRENCY, blocks // per_request))
    s = serve(opt, graph, device, tp, isl, osl, concurrency, REQUESTS[(isl, osl)], work)
    model = s["time_model"] + (" (%s kernels)" % s["kernels"] if "kernels" in s else " (every op its own kernel)")
    return model, s["points"][0]


def run(args):
    opt = os.path.join(args.build, "bin", "tfperf-opt")
    rows = []
    with tempfile.TemporaryDirectory() as work:
        graphs = args.keep_graphs or work
        os.makedirs(graphs, exist_ok=True)
        points = [m for m in MEASURED if not args.only or m[0] == args.only]
        for key, device, tp, isl, osl, measured in points[:args.limit]:
            graph = build_graph(key, graphs)
            model, p = predict(opt, graph, device, tp, isl, osl, work)
            pred = p["output_tokens_per_s"]
            rows.append(dict(model=MODELS[key]["title"], device=device, tp=tp, isl=isl, osl=osl,
                             measured=measured, predicted=pred, err=pred / measured - 1,
                             time_model=model, batch=p["mean_batch"], preempt=p["preemptions"],
                             concurrency=p["concurrency"],
                             tpot=p["tpot_s"]["mean"], ttft=p["ttft_s"]["mean"]))
            if args.rows:  # kept as they come: a long run can be cut short
                json.dump(rows, open(args.rows + ".partial", "w"), indent=1)
            print("%-14s %-9s tp%d %5d/%-5d measured %7.0f predicted %9.0f (%+.1f%%) [%s]"
                  % (rows[-1]["model"], device, tp, isl, osl, measured, pred, 100 * rows[-1]["err"], model),
                  flush=True)
    return rows


def section(rows):
    models = sorted({r["time_model"] for r in rows})
    errs = [abs(r["err"]) for r in rows]
    L = ["## Serving: predicted vs published throughput (TensorRT-LLM)", "",
         "Generated by `bench/serving_validation.py` (%s); rerun it when the time model changes."
         % datetime.date.today().isoformat(), "",
         "Measured: %s. Offline throughput: requests of fixed input/output length (ISL/OSL) queued at an "
         "infinite rate, ModelOpt FP8 checkpoints, PyTorch backend; \"Total Output Throughput\" of the "
         "TP group, in tokens/s." % SOURCE, "",
         "Predicted: `tfperf-opt G --compute-dtype=fp8 --weight-dtype=fp8 --serve=isl=I,osl=O,"
         "concurrency=C,max-seqs=C,requests=N,budget=%d,mem-util=%g,block=32,tp=T` on a graph of the model's shape "
         "(bench/make_scaled_graph.py from the corpus's llama2.c export: %s; graph only, weights absent), with "
         "the request counts trtllm-bench used. An infinite queue is modelled as a closed loop at the "
         "largest batch that TensorRT-LLM's default scheduler (GUARANTEED_NO_EVICT: a request is admitted "
         "only when the KV blocks of its whole prompt and output are free) would run: min(2048, KV blocks / "
         "blocks per request), with 32-token blocks, so nothing is preempted; KV cache in fp8 (the compute "
         "dtype). Time model of the step costs: **%s**."
         % (BUDGET, MEM_UTIL,
            "; ".join("%s: %d layers, d_model %d, %d heads (%d KV), d_ff %d, vocab %d"
                      % (m["title"], m["layers"], m["dim"], m["heads"], m["kv_heads"], m["ffn"], m["vocab"])
                      for m in MODELS.values()),
            ", ".join(models)), "",
         "| model | GPU | TP | ISL/OSL | measured tok/s | predicted tok/s | error | C | mean batch | mean TPOT | preemptions |",
         "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        L.append("| %s | %s | %d | %d/%d | %s | %s | %+.1f%% | %d | %.0f | %.1f ms | %d |"
                 % (r["model"], r["device"], r["tp"], r["isl"], r["osl"], format(r["measured"], ",.0f"),
                    format(r["predicted"], ",.0f"), 100 * r["err"], r["concurrency"], r["batch"],
                    1e3 * r["tpot"], r["preempt"]))
    L.append("")
    groups = {}
    for r in rows:
        groups.setdefault("%s on %s (TP %d)" % (r["model"], r["device"], r["tp"]), []).append(abs(r["err"]))
    L.append("| points | median \\|error\\| | mean \\|error\\| | n |")
    L.append("|---|---|---|---|")
    for g, e in groups.items():
        L.append("| %s | %.1f%% | %.1f%% | %d |" % (g, 100 * statistics.median(e), 100 * statistics.mean(e), len(e)))
    L.append("| **all** | **%.1f%%** | **%.1f%%** | **%d** |"
             % (100 * statistics.median(errs), 100 * statistics.mean(errs), len(errs)))
    L.append("")
    under = sum(1 for r in rows if r["err"] < 0)
    if all(r["time_model"].startswith("roofline (every op") for r in rows):
        L.append("Reading: %d of %d points are predicted below the measurement (too slow). The step costs are "
                 "the %s of the graph as exported: every ONNX op a kernel. In the llama2.c export the attention "
                 "of a decode step materialises what an engine's paged/flash attention never writes: the GQA "
                 "repeat_kv expands the KV cache to all query heads (4x for 8B, 8x for 70B), K is transposed, "
                 "the scores are cast to fp32 and softmaxed in memory; at the batches of these runs (one decode "
                 "step of Llama-3.1-8B at batch 448, KV 1,100 on h100-sxm: 137.75 GiB moved, 89%% of the time "
                 "in the attention-scores block) this is several times the KV-cache bytes read, so the "
                 "decode-heavy points (long outputs, long prompts) come out 45-70%% slow. The prefill-heavy "
                 "short points (128/128, 2048/128) land within 35%% (+22%% to -35%%), where the roofline's missing overheads "
                 "and the export's extra traffic partly cancel: that agreement is not evidence that either is "
                 "right. The fused kernel view and the calibrated time model (docs/Kernels.md, "
                 "docs/TimeModel.md) address exactly this; rerun the script when the serving step cost uses "
                 "them. Not compared: the B200/GB200 rows (FP4, which --compute-dtype does not offer), latency "
                 "figures (these tables publish throughput only)."
                 % (under, len(rows), ", ".join(models)))

    else:
        def span(sel):
            e = [100 * r["err"] for r in rows if sel(r)]
            return "%+.0f%% to %+.0f%%" % (min(e), max(e)) if e else "none"
        prefill_heavy = lambda r: r["osl"] <= 500
        L.append("Reading: %d of %d points are predicted below the measurement (too slow), %d above. The "
                 "step costs are the %s: the graph's ops grouped into the kernels an engine runs (the "
                 "attention as one flash kernel reading the KV cache once, GQA's repeated KV heads read "
                 "once; docs/Serving.md) and each kernel priced by the calibrated model at the step's "
                 "token count, bytes and KV length. With the per-op roofline of the graph as exported "
                 "(the previous run of this script: the llama2.c export materialises the repeated KV heads "
                 "and the scores of every decode step) the median |error| was 53%%; it is %.1f%% here. "
                 "What is left has a pattern: the prefill-heavy points (ISL/OSL 128/128, 2048/128, "
                 "5000/500) come out %s, i.e. too fast, and the Llama-3.3-70B decode-heavy points "
                 "(OSL >= 2000) %s. The model has no per-step engine overhead (scheduling, sampling, "
                 "host work between steps), and H100 and H200 are priced by the uncalibrated rule "
                 "(A100-fitted efficiencies on their own datasheets, docs/TimeModel.md): both are "
                 "candidates for these errors, not measured causes. Not compared: the B200/GB200 rows "
                 "(FP4, which --compute-dtype does not offer), latency figures (these tables publish "
                 "throughput only)."
                 % (under, len(rows), len(rows) - under, ", ".join(models),
                    100 * statistics.median(errs), span(prefill_heavy),
                    span(lambda r: r["model"] == "Llama-3.3-70B" and r["osl"] >= 2000)))
    L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--out", help="write the section into this Markdown file (docs/Validation.md)")
    ap.add_argument("--only", choices=sorted(MODELS), help="one model only")
    ap.add_argument("--keep-graphs", metavar="DIR", help="build (or reuse) the graphs in DIR")
    ap.add_argument("--limit", type=int, help="the first N points only (a smoke test)")
    ap.add_argument("--kernels", default="fused", choices=["exported", "fused"])
    ap.add_argument("--time-model", default="calibrated", choices=["roofline", "calibrated"])
    ap.add_argument("--rows", metavar="FILE.json",
                    help="keep the predictions in FILE (read back instead of rerunning when it exists)")
    args = ap.parse_args()
    TIMING[:] = ["--kernels=" + args.kernels, "--time-model=" + args.time_model]
    if args.rows and os.path.exists(args.rows):
        rows = json.load(open(args.rows))
    else:
        rows = run(args)
        if args.rows:
            json.dump(rows, open(args.rows, "w"), indent=1)
    body = section(rows)
    if args.out:
        replace_section(args.out, "serving", body)
        print("wrote", args.out)
    else:
        print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
