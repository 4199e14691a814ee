#!/usr/bin/python3
"""Kernel times measured on a lent GPU against tfperf's predictions
(issue 15, item 6: a third validation set, independent of the published
measurements the time model is fitted on).

Three steps, so that the GPU time (scarce, lent by chance) is spent on
measuring only:

  plan      (here)   tfperf runs each graph on the device it will be
                     measured on and writes its JSON report; the ops it
                     prices (not views, not shape computations) and the
                     fused attention kernels become a list of torch-runnable
                     configurations: op type, input shapes and dtypes,
                     attributes, read from the graph's inferred shapes
                     (never its weights). Identical configurations are
                     measured once.
  measure   (GPU)    needs torch only: times each configuration with CUDA
                     events, warm (a back-to-back loop: the L2 keeps small
                     inputs, launch gaps included, as an eager engine sees
                     them) and cold (each launch alone after a write that
                     evicts the L2; the median), in fp16 and fp32 (TF32 off);
                     attention kernels as torch's scaled_dot_product_attention
                     (flash where torch has it), causal and not. Writes a CSV.
  compare   (here)   per op and per op class: tfperf's calibrated time and
                     roofline bound (exported view, --compute-dtype of the
                     measurement) and the fused attention kernel's time
                     against the measured ones; median and mean |error|.

  /usr/bin/python3 bench/gpu_kernels.py plan --hw h100-sxm --out bench/out/gpu-plan.json
  python3 bench/gpu_kernels.py measure --plan bench/out/gpu-plan.json --out $OUT/kernels.csv
  /usr/bin/python3 bench/gpu_kernels.py compare --plan bench/out/gpu-plan.json --measured DIR/kernels.csv

`measure --device cpu` runs the same code on the CPU (a check of the
script, not a measurement to compare with anything).

Graphs (--graph, repeatable; default): the statically shaped corpus exports
of ../shared/corpus and two Llama-2-7B-shaped layers written by
utils/gen_transformer.py (prefill of 512 tokens; one decode step after 511).
"""
import argparse
import csv
import json
import math
import re
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "models")
DEFAULT_GRAPHS = [
    "gpt2_124m_nanogpt_b1_s1024.onnx",
    "llama2c_stories15M_b1_s256.onnx",
    "bert_base_shaped_nn_transformer_b1_s128.onnx",
    "vit_b_16_torchvision_b1_224.onnx",
    "megatron_mlp_h1536_b1_s2048.onnx",
    "mlp3_relu_b32_1024_4096_4096_1024.onnx",
    "whisper_tiny_encoder_b1_mel3000.onnx",
]
# Llama-2-7B shapes (d 4096, 32 heads, d_ff 11008, gated), one layer.
GENERATED = {
    "llama7b_layer_prefill512": ["--layers", "1", "--d", "4096", "--heads", "32",
                                 "--ffn", "11008", "--vocab", "64", "--batch", "1",
                                 "--seq", "512", "--max-pos", "4096", "--gated",
                                 "--causal"],
    "llama7b_layer_decode512": ["--layers", "1", "--d", "4096", "--heads", "32",
                                "--ffn", "11008", "--vocab", "64", "--batch", "1",
                                "--seq", "512", "--max-pos", "4096", "--gated",
                                "--causal", "--past"],
}
# Dims a generated graph leaves symbolic, fixed in its inputs before the
# graph is planned (one decode step: 1 new token after 511 cached).
FIXED_DIMS = {"llama7b_layer_decode512": {"seq": 1, "past": 511}}
# Ops a PyTorch eager engine runs as one kernel each, with their attributes.
MEASURED_OPS = {
    "MatMul": [], "Gemm": ["transA", "transB", "alpha", "beta"],
    "Add": [], "Sub": [], "Mul": [], "Div": [], "Pow": [], "Where": [],
    "Sqrt": [], "Reciprocal": [], "Tanh": [], "Erf": [], "Relu": [],
    "Sigmoid": [], "Exp": [], "Neg": [], "Gelu": ["approximate"],
    "Softmax": ["axis"], "LayerNormalization": ["axis", "epsilon"],
    "ReduceMean": ["axes", "keepdims"], "Gather": ["axis"], "Concat": ["axis"],
    "Cast": ["to"],
}
DTYPES = ("fp16", "fp32")
FLOAT_ELEM_TYPES = {"f16", "bf16", "f32", "f64"}


# ---------------------------------------------------------------- plan ----

def tfperf_report(tfperf, graph, hw, dtype, work):
    report = os.path.join(work, "r_%s_%s.json" % (os.path.basename(graph), dtype))
    cmd = [tfperf, graph, "--hw=%s" % hw, "--kernels=exported",
           "--compute-dtype=%s" % dtype, "--report=%s" % report]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(report) as f:
        return json.load(f)


OP_LINE = re.compile(r' : \((.*)\) -> .* loc\("([^"]+)"')
TENSOR = re.compile(r'tensor<([^>]*)>')


def operand_types(translate, path):
    """ONNX node name -> [(dims, element type)] of its operands, as tfperf
    imported and shape-inferred them (so the configurations are the shapes
    tfperf priced), from `tfperf-translate --import-onnx` with locations."""
    ir = subprocess.run([translate, "--import-onnx", path, "--mlir-print-debuginfo",
                         "--mlir-print-local-scope"], check=True,
                        capture_output=True, text=True).stdout
    types = {}
    for line in ir.splitlines():
        m = OP_LINE.search(line)
        if not m:
            continue
        operands = []
        for t in TENSOR.findall(m.group(1)):
            *dims, elem = t.split("x")
            operands.append(([None if d == "?" else int(d) for d in dims], elem))
        types.setdefault(m.group(2), operands)
    return types


def fix_input_dims(onnx, path, values):
    """Gives the graph's symbolic input dims the values named (graph only:
    the weights are external data that is never written)."""
    model = onnx.load(path, load_external_data=False)
    for vi in model.graph.input:
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_param") and d.dim_param in values:
                d.dim_value = values[d.dim_param]
    onnx.save(model, path)


def attribute_value(onnx, attr):
    v = onnx.helper.get_attribute_value(attr)
    return v.decode() if isinstance(v, bytes) else v


def plan_graph(onnx, model, types, label, report):
    nodes = {n.name: n for n in model.graph.node}
    configs = []
    for name, op in report["ops"].items():
        node = nodes.get(name)
        if node is None or op["op"] not in MEASURED_OPS or op["shape_computation"]:
            continue
        if not isinstance(op["time_s"], (int, float)) or op["time_s"] <= 0:
            continue
        # ReduceMean-18 takes its axes as an input: not planned (the torch
        # call needs them as values).
        if node.op_type == "ReduceMean" and len(node.input) > 1:
            continue
        operands = types.get(name)
        if not operands or any(None in dims for dims, _ in operands):
            continue
        attrs = {a.name: attribute_value(onnx, a) for a in node.attribute
                 if a.name in MEASURED_OPS[node.op_type]}
        configs.append({"graph": label, "node": name, "op": node.op_type,
                        "inputs": [{"dims": d, "elem_type": e} for d, e in operands],
                        "attrs": attrs})
    for kname, k in report["kernels"].items():
        if k["class"] != "attention":
            continue
        mm = [n for n in k["ops"] if n in nodes and nodes[n].op_type == "MatMul"]
        if len(mm) != 2 or len(types.get(mm[0], [])) != 2 or len(types.get(mm[1], [])) != 2:
            continue
        (q, _), (kt, _) = types[mm[0]]
        v = types[mm[1]][1][0]
        if None in q + kt + v:
            continue
        masked = any(nodes[n].op_type in ("Where", "Add") for n in k["ops"] if n in nodes)
        configs.append({"graph": label, "node": kname, "op": "Attention",
                        "kernel_ops": k["ops"],
                        "inputs": [{"dims": q, "elem_type": "f32"},
                                   {"dims": kt[:-2] + [kt[-1], kt[-2]], "elem_type": "f32"},
                                   {"dims": v, "elem_type": "f32"}],
                        "attrs": {"masked": masked}})
    return configs


def config_key(c):
    return json.dumps([c["op"], c["inputs"], c["attrs"]], sort_keys=True)


def cmd_plan(args):
    import onnx
    graphs = []
    with tempfile.TemporaryDirectory() as work:
        for g in args.graph or DEFAULT_GRAPHS:
            path = g if os.path.exists(g) else os.path.join(CORPUS, g)
            graphs.append((os.path.basename(path).rsplit(".onnx", 1)[0], path))
        if not args.graph:
            for label, gen_args in GENERATED.items():
                path = os.path.join(work, label + ".onnx")
                subprocess.run([sys.executable, os.path.join(ROOT, "utils", "gen_transformer.py"),
                                "-o", path] + gen_args, check=True)
                if label in FIXED_DIMS:
                    fix_input_dims(onnx, path, FIXED_DIMS[label])
                graphs.append((label, path))
        configs, reports = [], {}
        for label, path in graphs:
            model = onnx.load(path, load_external_data=False)
            types = operand_types(args.translate, path)
            for dtype in DTYPES:
                report = tfperf_report(args.tfperf, path, args.hw, dtype, work)
                reports[(label, dtype)] = {
                    "ops": {o["name"]: {"op": o["op"], "time_s": o["time_s"],
                                        "flops": o["flops"], "bytes": o["bytes"],
                                        "shape_computation": o["shape_computation"]}
                            for o in report["ops"]},
                    "kernels": {k["name"]: {"time_s": k["time_s"][args.hw],
                                            "roofline_s": k["roofline_s"][args.hw],
                                            "class": k["class"],
                                            "ops": k["ops"]}
                                for k in report.get("kernels", [])},
                }
            configs += plan_graph(onnx, model, types, label, reports[(label, "fp16")])
    unique = {}
    for c in configs:
        unique.setdefault(config_key(c), {"op": c["op"], "inputs": c["inputs"],
                                          "attrs": c["attrs"], "uses": []})
        unique[config_key(c)]["uses"].append([c["graph"], c["node"]])
    plan = {"hw": args.hw, "tfperf": args.tfperf,
            "configs": [dict(id=i, **u) for i, u in enumerate(unique.values())],
            "predicted": {"%s|%s" % k: v for k, v in reports.items()}}
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(plan, f)
    print("plan: %d ops of %d graphs, %d distinct configurations -> %s"
          % (len(configs), len(graphs), len(unique), args.out))


# ------------------------------------------------------------- measure ----

def build_inputs(torch, c, dtype, device):
    out = []
    for i, inp in enumerate(c["inputs"]):
        dims = inp["dims"]
        if c["op"] == "Gather" and i == 1:
            rows = c["inputs"][0]["dims"][c["attrs"].get("axis", 0)]
            out.append(torch.randint(0, max(rows, 1), dims, device=device))
        elif c["op"] == "Where" and i == 0:
            out.append(torch.rand(dims, device=device) > 0.5)
        elif inp["elem_type"] in FLOAT_ELEM_TYPES:
            out.append(torch.randn(dims, device=device, dtype=dtype))
        else:
            out.append(torch.randint(0, 8, dims, device=device))
    return out


def op_callable(torch, c, x, dtype):
    F = torch.nn.functional
    op, a = c["op"], c["attrs"]
    binary = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div,
              "Pow": torch.pow}
    unary = {"Sqrt": torch.sqrt, "Reciprocal": torch.reciprocal, "Tanh": torch.tanh,
             "Erf": torch.erf, "Relu": torch.relu, "Sigmoid": torch.sigmoid,
             "Exp": torch.exp, "Neg": torch.neg}
    if op == "MatMul":
        return lambda: torch.matmul(x[0], x[1])
    if op == "Gemm":
        A = x[0].t() if a.get("transA", 0) else x[0]
        B = x[1].t() if a.get("transB", 0) else x[1]
        if len(x) > 2:
            return lambda: torch.addmm(x[2], A, B, beta=a.get("beta", 1.0), alpha=a.get("alpha", 1.0))
        return lambda: torch.mm(A, B)
    if op in binary:
        return lambda: binary[op](x[0], x[1])
    if op in unary:
        return lambda: unary[op](x[0])
    if op == "Where":
        return lambda: torch.where(x[0], x[1], x[2])
    if op == "Gelu":
        approx = a.get("approximate", "none")
        return lambda: F.gelu(x[0], approximate=approx)
    if op == "Softmax":
        return lambda: torch.softmax(x[0], a.get("axis", -1))
    if op == "LayerNormalization":
        axis = a.get("axis", -1) % x[0].dim()
        shape = list(x[0].shape[axis:])
        w = x[1] if len(x) > 1 else None
        b = x[2] if len(x) > 2 else None
        return lambda: F.layer_norm(x[0], shape, w, b, a.get("epsilon", 1e-5))
    if op == "ReduceMean":
        axes = a.get("axes") or list(range(x[0].dim()))
        return lambda: x[0].mean(dim=axes, keepdim=bool(a.get("keepdims", 1)))
    if op == "Gather":
        axis = a.get("axis", 0)
        if axis == 0 and x[0].dim() == 2:
            return lambda: F.embedding(x[1], x[0])
        return lambda: torch.index_select(x[0], axis, x[1].flatten())
    if op == "Concat":
        return lambda: torch.cat(x, a.get("axis", 0))
    if op == "Cast":
        return lambda: x[0].to(dtype)
    if op == "Attention":
        q, k, v = x
        causal = a["masked"] and q.shape[-2] == k.shape[-2]

        if hasattr(F, "scaled_dot_product_attention"):
            def attention(is_causal):
                return lambda: F.scaled_dot_product_attention(q, k, v, is_causal=is_causal)
            return {"dense": attention(False), "causal": attention(causal)}
        # torch < 2.0 (no fused attention): the unfused chain, so that the
        # script can be checked on an old CPU build; never compared.
        scale = 1 / math.sqrt(q.shape[-1])
        return {"unfused": lambda: torch.softmax(q @ k.transpose(-1, -2) * scale, -1) @ v}
    raise ValueError("no torch equivalent for " + op)


def time_warm(torch, fn, reps):
    for _ in range(3):
        fn()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(reps):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / 1e3 / reps


def time_cold(torch, fn, reps, flush):
    times = []
    for _ in range(reps):
        flush.zero_()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    return statistics.median(times)


def time_cpu(fn, reps):
    import time
    fn()
    t0 = time.perf_counter()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - t0) / reps


def cmd_measure(args):
    import torch
    with open(args.plan) as f:
        plan = json.load(f)
    device = args.device
    if device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        flush = torch.empty(256 << 20, dtype=torch.uint8, device="cuda")
    rows = []
    for c in plan["configs"]:
        for dname in DTYPES:
            dtype = torch.float16 if dname == "fp16" else torch.float32
            try:
                x = build_inputs(torch, c, dtype, device)
                fns = op_callable(torch, c, x, dtype)
            except (RuntimeError, ValueError) as e:
                rows.append({"id": c["id"], "dtype": dname, "variant": "", "warm_s": "",
                             "cold_s": "", "error": str(e).splitlines()[0][:200]})
                continue
            if not isinstance(fns, dict):
                fns = {"": fns}
            for variant, fn in fns.items():
                row = {"id": c["id"], "dtype": dname, "variant": variant, "error": ""}
                try:
                    if device == "cuda":
                        row["warm_s"] = time_warm(torch, fn, args.reps)
                        row["cold_s"] = time_cold(torch, fn, max(5, args.reps // 4), flush)
                    else:
                        row["warm_s"] = time_cpu(fn, 2)
                        row["cold_s"] = ""
                except RuntimeError as e:
                    row.update(warm_s="", cold_s="", error=str(e).splitlines()[0][:200])
                rows.append(row)
            del x
    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["id", "dtype", "variant", "warm_s", "cold_s", "error"])
        w.writeheader()
        w.writerows(rows)
    meta = {"device": device, "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
            "configs": len(plan["configs"]), "rows": len(rows), "reps": args.reps}
    with open(os.path.splitext(args.out)[0] + ".meta.json", "w") as f:
        json.dump(meta, f, indent=1)
    print("measure: %s" % json.dumps(meta))


# ------------------------------------------------------------- compare ----

OP_CLASS = {"MatMul": "GEMM", "Gemm": "GEMM", "Softmax": "softmax",
            "LayerNormalization": "norm", "ReduceMean": "norm", "Gather": "embedding",
            "Attention": "attention (fused)"}


def cmd_compare(args):
    with open(args.plan) as f:
        plan = json.load(f)
    measured = {}
    with open(args.measured) as f:
        for r in csv.DictReader(f):
            if r["warm_s"] and not r["error"]:
                measured[(int(r["id"]), r["dtype"], r["variant"])] = (
                    float(r["warm_s"]), float(r["cold_s"]) if r["cold_s"] else None)
    rows = []
    for c in plan["configs"]:
        for dname in DTYPES:
            for graph, node in c["uses"][:1]:
                pred = plan["predicted"]["%s|%s" % (graph, dname)]
                if c["op"] == "Attention":
                    k = pred["kernels"].get(node)
                    variant = "causal" if c["attrs"]["masked"] else "dense"
                    if not k:
                        continue
                    t, roof = k["time_s"], k["roofline_s"]
                else:
                    o = pred["ops"].get(node)
                    variant = ""
                    if not o or not isinstance(o["time_s"], (int, float)):
                        continue
                    t, roof = o["time_s"], None
                m = measured.get((c["id"], dname, variant))
                if not m:
                    continue
                meas = m[1] if args.cold and m[1] else m[0]
                rows.append({"op": c["op"], "class": OP_CLASS.get(c["op"], "elementwise"),
                             "dtype": dname, "graph": graph, "node": node, "uses": len(c["uses"]),
                             "predicted_s": t, "measured_s": meas,
                             "error": t / meas - 1 if meas > 0 else math.inf})
    by = {}
    for r in rows:
        by.setdefault((r["class"], r["dtype"]), []).append(abs(r["error"]))
    print("%-22s %-5s %6s %14s %12s" % ("class", "dtype", "n", "median |err|", "mean |err|"))
    for (cls, dname), errs in sorted(by.items()):
        print("%-22s %-5s %6d %13.1f%% %11.1f%%" % (cls, dname, len(errs),
              100 * statistics.median(errs), 100 * statistics.mean(errs)))
    if args.csv:
        with open(args.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["op"])
            w.writeheader()
            w.writerows(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--tfperf", default=os.path.join(ROOT, "build", "bin", "tfperf"))
    p.add_argument("--translate", default=os.path.join(ROOT, "build", "bin", "tfperf-translate"))
    p.add_argument("--hw", default="h100-sxm")
    p.add_argument("--graph", action="append")
    p.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "gpu-plan.json"))
    m = sub.add_parser("measure")
    m.add_argument("--plan", default=os.path.join(ROOT, "bench", "out", "gpu-plan.json"))
    m.add_argument("--out", required=True)
    m.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    m.add_argument("--reps", type=int, default=50)
    c = sub.add_parser("compare")
    c.add_argument("--plan", default=os.path.join(ROOT, "bench", "out", "gpu-plan.json"))
    c.add_argument("--measured", required=True)
    c.add_argument("--cold", action="store_true",
                   help="compare with the cold (L2-evicted) times, not the warm loop")
    c.add_argument("--csv", help="write the per-op comparison here")
    args = ap.parse_args()
    {"plan": cmd_plan, "measure": cmd_measure, "compare": cmd_compare}[args.cmd](args)


if __name__ == "__main__":
    main()
