#!/usr/bin/python3
"""Structure-aware mutation run of the whole `tfperf` command line.

The libFuzzer targets run the pipeline in one process with fixed options;
this runs the real binary, with the flags users pass, on mutated graphs:

  * seeds: fuzz/make_seeds.py's binary models (test/ fixtures, examples,
    the graphs of --corpus whole and as prefix slices);
  * each case: one seed, one to three semantic mutations (a dim or
    dim_param, an INT/INTS/FLOAT attribute, an initializer's dims or dtype,
    an op type, a domain, an opset version, an edge, a duplicated node, two
    nodes swapped), in the main graph or a subgraph, then `tfperf
    --analyze-roofline` with one of several flag sets (phases on two
    devices, training with TP degrees, symbolic with --kv-len/--batch, a
    sweep, serving, the fused kernels and calibrated times, expert
    parallelism) writing a JSON
    report (and the sweep or serving JSON);
  * a finding: a signal or an exit status other than 0 and 1 (crash), no
    exit within --timeout seconds (hang, retried once to rule out load),
    "internal error" on stderr (the report invariants caught a bad figure),
    or an exit 0 whose JSON holds a negative, NaN or infinite number, or
    whose text has `nan`/`inf`. Each is kept in OUT/findings/ with its
    command line.

Deterministic for a given --seed and seed set: case i uses Random(seed, i).

Usage: mutation_run.py [--tfperf build/bin/tfperf] [--corpus DIR]
                       [--seconds 900] [--seed N] [--timeout 10] [--out DIR]
(Debian python3: it needs the onnx module.)
"""
import argparse
import glob
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import time

import onnx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DIM_VALUES = [0, 1, 2, 3, 7, 64, 4096, -1, -7, 2**31 - 1, 2**40]
DIM_PARAMS = ["batch", "seq", "past_seq", "seq - 3", "2*seq", "seq + past",
              "n", "", "floordiv(seq, 2)"]
INT_VALUES = [0, 1, -1, 2, -2, 3, 7, 64, -64, 2**31 - 1, -2**31, 2**62]
FLOAT_VALUES = [0.0, -1.0, 1e-30, 1e30, float("nan"), float("inf")]
OP_TYPES = ["MatMul", "Gemm", "Add", "Mul", "Softmax", "Transpose", "Reshape",
            "Slice", "Gather", "Concat", "LayerNormalization", "Attention",
            "Conv", "Expand", "Split", "ReduceMean", "Where", "Identity",
            "GroupQueryAttention", "MatMulNBits", "RotaryEmbedding", "Loop"]
DOMAINS = ["", "ai.onnx", "com.microsoft", "org.pytorch.aten", "bogus"]
OPSETS = [1, 7, 11, 13, 17, 18, 21, 23, 24, 100]
DTYPES = [1, 2, 3, 6, 7, 9, 10, 11, 16, 17, 21, 22, 0, 99]

# (name, flags); {kv} {batch} are filled per case.
FLAG_SETS = [
    ("phases", ["--phase=both", "--hw=h100-sxm,a100-sxm-40gb"]),
    ("train-tp", ["--tp=1,2,4", "--mode=train"]),
    ("symbolic", ["--symbolic", "--kv-len={kv}", "--batch={batch}"]),
    ("sweep", ["--sweep=batch=1,4;seq=1,7,64", "--sweep-out={side}"]),
    ("serve", ["--serve=isl=16,osl=4,concurrency=1,2", "--serve-out={side}"]),
    ("fused", ["--kernels=fused", "--time-model=calibrated", "--phase=both",
               "--tp=1,2"]),
    ("expert-parallel", ["--tp=1,2", "--ep=1,2", "--phase=both"]),
]


def graphs_of(graph):
    """The graph and every subgraph under its nodes' attributes."""
    out = [graph]
    for n in graph.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.GRAPH:
                out.extend(graphs_of(a.g))
            for g in a.graphs:
                out.extend(graphs_of(g))
    return out


def shaped_values(g):
    return [v for v in list(g.input) + list(g.output) + list(g.value_info)
            if v.type.HasField("tensor_type") and
            v.type.tensor_type.HasField("shape") and
            len(v.type.tensor_type.shape.dim)]


def mutate_dim(rng, m, g):
    vals = shaped_values(g)
    if not vals:
        return False
    d = rng.choice(rng.choice(vals).type.tensor_type.shape.dim)
    if rng.random() < 0.6:
        d.dim_value = rng.choice(DIM_VALUES)
    else:
        d.dim_param = rng.choice(DIM_PARAMS)
    return True


def mutate_attribute(rng, m, g):
    attrs = [a for n in g.node for a in n.attribute
             if a.type in (onnx.AttributeProto.INT, onnx.AttributeProto.INTS,
                           onnx.AttributeProto.FLOAT)]
    if not attrs:
        return False
    a = rng.choice(attrs)
    if a.type == onnx.AttributeProto.INT:
        a.i = rng.choice(INT_VALUES)
    elif a.type == onnx.AttributeProto.FLOAT:
        a.f = rng.choice(FLOAT_VALUES)
    elif len(a.ints) and rng.random() < 0.7:
        a.ints[rng.randrange(len(a.ints))] = rng.choice(INT_VALUES)
    elif len(a.ints) and rng.random() < 0.5:
        del a.ints[rng.randrange(len(a.ints))]
    else:
        a.ints.append(rng.choice(INT_VALUES))
    return True


def mutate_initializer_dims(rng, m, g):
    inits = [t for t in g.initializer if len(t.dims)]
    if not inits:
        return False
    t = rng.choice(inits)
    t.dims[rng.randrange(len(t.dims))] = rng.choice(DIM_VALUES)
    return True


def set_one(rng, items, field, values):
    """Sets `field` of one of `items` to one of `values`."""
    if not len(items):
        return False
    setattr(rng.choice(items), field, rng.choice(values))
    return True


def mutate_initializer_dtype(rng, m, g):
    return set_one(rng, g.initializer, "data_type", DTYPES)


def mutate_op_type(rng, m, g):
    return set_one(rng, g.node, "op_type",
                   sorted({n.op_type for n in g.node}) + OP_TYPES)


def mutate_domain(rng, m, g):
    return set_one(rng, g.node, "domain", DOMAINS)


def mutate_opset(rng, m, g):
    return set_one(rng, m.opset_import, "version", OPSETS)


def mutate_edge(rng, m, g):
    nodes = [n for n in g.node if len(n.input)]
    if not nodes:
        return False
    names = ([v.name for v in g.input] + [t.name for t in g.initializer] +
             [o for n in g.node for o in n.output] + [""])
    n = rng.choice(nodes)
    n.input[rng.randrange(len(n.input))] = rng.choice(names)
    return True


def mutate_duplicate_node(rng, m, g):
    if not len(g.node):
        return False
    i = rng.randrange(len(g.node))
    copy = onnx.NodeProto()
    copy.CopyFrom(g.node[i])
    if rng.random() < 0.5:  # a second producer of the same names otherwise
        for k in range(len(copy.output)):
            copy.output[k] = copy.output[k] + "_dup"
        copy.name = copy.name + "_dup"
    g.node.insert(i + 1, copy)
    return True


def mutate_node_order(rng, m, g):
    if len(g.node) < 2:
        return False
    i, j = rng.sample(range(len(g.node)), 2)
    a, b = onnx.NodeProto(), onnx.NodeProto()
    a.CopyFrom(g.node[i])
    b.CopyFrom(g.node[j])
    g.node[i].CopyFrom(b)
    g.node[j].CopyFrom(a)
    return True


MUTATIONS = [mutate_dim, mutate_dim, mutate_attribute, mutate_attribute,
             mutate_initializer_dims, mutate_initializer_dtype,
             mutate_op_type, mutate_domain, mutate_opset, mutate_edge,
             mutate_duplicate_node, mutate_node_order]


def mutate(rng, model):
    """Applies one to three mutations; returns their names."""
    done = []
    for _ in range(rng.randint(1, 3)):
        for _attempt in range(8):
            f = rng.choice(MUTATIONS)
            if f(rng, model, rng.choice(graphs_of(model.graph))):
                done.append(f.__name__[len("mutate_"):])
                break
    return done


def bad_numbers(value, path="$"):
    """Yields (json path, number) for every negative, NaN or inf number."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from bad_numbers(v, path + "." + k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from bad_numbers(v, "%s[%d]" % (path, i))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value) or value < 0:
            yield path, value


NAN_INF_TEXT = re.compile(r"(?<![\w.])-?(nan|inf|infinity)(?![\w])", re.I)


def run_case(args, model_path, flags, work):
    """Runs tfperf once; returns (verdict, detail). verdict: ok, error,
    crash, hang, internal, bad-number."""
    report = os.path.join(work, "report.json")
    side = os.path.join(work, "side.json")
    for p in (report, side):
        if os.path.exists(p):
            os.remove(p)
    cmd = ([args.tfperf, model_path, "--analyze-roofline",
            "--report=" + report] + [f.format(side=side) for f in flags])
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return "hang", " ".join(cmd)
    err = r.stderr.decode("utf-8", "replace")
    out = r.stdout.decode("utf-8", "replace")
    if r.returncode not in (0, 1):
        return "crash", "exit %d: %s" % (r.returncode, err[-2000:])
    if "internal error" in err:
        return "internal", err[-2000:]
    if r.returncode == 1:
        return "error", ""
    bad = []
    for p in (report, side):
        if not os.path.exists(p):
            continue
        try:
            doc = json.load(open(p))
        except ValueError as e:
            return "bad-number", "%s does not parse: %s" % (p, e)
        bad += ["%s %s = %r" % (os.path.basename(p), k, v)
                for k, v in bad_numbers(doc)]
    m = NAN_INF_TEXT.search(out)
    if m:
        bad.append("stdout: ..." + out[max(0, m.start() - 80):m.end() + 20])
    if bad:
        return "bad-number", "\n".join(bad[:20])
    return "ok", ""


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--tfperf", default=os.path.join(ROOT, "build", "bin",
                                                     "tfperf"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus2026", "models"))
    ap.add_argument("--seconds", type=float, default=900)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--timeout", type=float, default=10)
    ap.add_argument("--mutations", type=int, default=1,
                    help="0: run the seeds unmutated (a check of the checks)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build-fuzz", "fuzz",
                                                  "mutation-run"))
    args = ap.parse_args()
    seeds_dir = os.path.join(args.out, "seeds")
    findings_dir = os.path.join(args.out, "findings")
    work = os.path.join(args.out, "work")
    shutil.rmtree(seeds_dir, ignore_errors=True)
    for d in (findings_dir, work):
        os.makedirs(d, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "fuzz", "make_seeds.py"),
                    seeds_dir, "--corpus", args.corpus], check=True)
    seeds = sorted(glob.glob(os.path.join(seeds_dir, "*.onnx")))
    models = [onnx.load(s, load_external_data=False) for s in seeds]
    counts = {}
    findings = 0
    started = time.time()
    case = 0
    while time.time() - started < args.seconds:
        rng = random.Random("%d/%d" % (args.seed, case))
        k = rng.randrange(len(seeds))
        model = onnx.ModelProto()
        model.CopyFrom(models[k])
        applied = mutate(rng, model) if args.mutations else []
        name, flags = rng.choice(FLAG_SETS)
        flags = [f.format(kv=rng.choice([1, 5, 100, 2**31 - 1]),
                          batch=rng.choice([1, 3, 2**20]), side="{side}")
                 for f in flags]
        path = os.path.join(work, "case.onnx")
        open(path, "wb").write(model.SerializeToString())
        verdict, detail = run_case(args, path, flags, work)
        if verdict == "hang":  # the machine's load, or a real hang?
            verdict, detail = run_case(args, path, flags, work)
            if verdict != "hang":
                counts["hang-not-reproduced"] = counts.get(
                    "hang-not-reproduced", 0) + 1
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict not in ("ok", "error"):
            findings += 1
            stem = os.path.join(findings_dir, "%s-%d" % (verdict, case))
            shutil.copy(path, stem + ".onnx")
            open(stem + ".txt", "w").write(
                "seed graph: %s\nmutations: %s\nflags (%s): %s\n%s\n" % (
                    os.path.basename(seeds[k]), ", ".join(applied), name,
                    " ".join(flags), detail))
            print("finding: %s (%s; %s; %s)" % (stem, os.path.basename(
                seeds[k]), ", ".join(applied), name), flush=True)
        case += 1
        if case % 200 == 0:
            print("%d cases in %.0f s: %s" % (case, time.time() - started,
                                              json.dumps(counts)), flush=True)
    elapsed = time.time() - started
    print("mutation_run.py: %d cases over %d seeds in %.0f s (seed %d): %s; "
          "%d findings in %s" % (case, len(seeds), elapsed, args.seed,
                                 json.dumps(counts, sort_keys=True), findings,
                                 findings_dir))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
