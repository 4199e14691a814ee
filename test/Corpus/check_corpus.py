#!/usr/bin/python3
"""Imports every model of the shared corpus and checks the foundation's
promises: import succeeds (the deliberately invalid DiT is rejected with a
message about LayerNormalization's empty scale input), the module verifies
and round-trips, the op count equals the ONNX node count (subgraphs
included) plus initializers, and no value has an unknown or symbolic dim
(dynamic graphs after binding their dims, taken from ref/*.json). For the
onnxruntime test models every inferred shape is compared with the runtime
shape the corpus recorded by executing the graph (peer/*.numpy_shapes.json).

Usage: check_corpus.py CORPUS_DIR TFPERF_BIN_DIR [--table OUT.md]
"""
import json
import os
import re
import subprocess
import sys
import time

import onnx

# Dims the corpus's reference runs used, beyond those in ref/*.json: the
# BeamSearch decoder subgraph's per-step dims and its scalar inputs.
EXTRA_BINDINGS = {
    "ort_tiny_gpt2_beamsearch": {
        "seq_len": 1, "past_seq_len": 7, "total_seq_len": 8,
        "max_length": 16, "min_length": 1, "num_beams": 4,
        "num_return_sequences": 1,
    },
}
INVALID = {
    "dit_s_2_b1_latent32_opset17_INVALID":
        r"LayerNormalization input 1 \('Scale'\) is required but empty",
}

UNSHAPED = re.compile(r"tensor<(\*|[^>]*\?)")
OP = re.compile(r"^\s*(%[^=]+=\s*)?\"?(tfperf\.[a-z_.]+)")


def count_onnx(graph):
    nodes, inits = len(graph.node), len(graph.initializer)
    for n in graph.node:
        for a in n.attribute:
            subs = [a.g] if a.HasField("g") else list(a.graphs)
            for g in subs:
                sn, si = count_onnx(g)
                nodes += sn
                inits += si
    return nodes, inits


def bindings_for(name, ref):
    b = {}
    if "profile_input_dims" in ref:
        b.update({k: v for k, v in ref["profile_input_dims"].items()
                  if re.fullmatch(r"\w+", k)})
    axes = ref.get("dynamic_axes") or {}
    shapes = ref.get("exported_input_shapes") or {}
    for inp, dims in axes.items():
        for idx, sym in dims.items():
            if inp in shapes:
                b[sym] = shapes[inp][int(idx)]
    b.update(EXTRA_BINDINGS.get(name, {}))
    return b


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True)


def bind_args(bindings):
    """--bind-dims for `bindings` ({} gives no flag)."""
    if not bindings:
        return []
    return ["--bind-dims=" + ",".join("%s=%d" % kv for kv in bindings.items())]


def valid_models(corpus):
    """(name, path, ref, bindings) of every corpus model but the invalid
    ones, by name."""
    for f in sorted(os.listdir(os.path.join(corpus, "models"))):
        if not f.endswith(".onnx") or f[:-5] in INVALID:
            continue
        name = f[:-5]
        ref = json.load(open(os.path.join(corpus, "ref", name + ".json")))
        yield name, os.path.join(corpus, "models", f), ref, bindings_for(name, ref)


def report(opt, path, bindings, args, out):
    """Runs `opt path args --report=out` at `bindings`: (the JSON report,
    None), or (None, its stderr) when it fails."""
    r = run([opt, path] + args + ["--report=" + out] + bind_args(bindings))
    if r.returncode != 0:
        return None, r.stderr.strip()
    return json.load(open(out)), None


def check_runtime_shapes(mlir, shapes_file):
    """Compares shapes of ops with tfperf.onnx_outputs to recorded ones."""
    recorded = json.load(open(shapes_file))
    mismatches, compared = [], 0
    for line in mlir.splitlines():
        m = re.search(r'tfperf.onnx_outputs = \[([^\]]*)\]', line)
        if not m:
            continue
        names = re.findall(r'"([^"]*)"', m.group(1))
        rhs = line.rsplit("->", 1)[-1] if "->" in line else line.rsplit(":", 1)[-1]
        types = re.findall(r"tensor<([^,>]*?)x?[a-z]+[0-9]*(?:,[^>]*)?>", rhs)
        types = [t.strip() for t in re.findall(r"tensor<([0-9x]*)[a-z]", rhs)]
        if len(types) != len(names):
            continue
        for n, t in zip(names, types):
            if not n or n not in recorded:
                continue
            got = [int(d) for d in t.split("x") if d != ""]
            want = list(recorded[n])
            compared += 1
            if got != want:
                mismatches.append("%s: inferred %s, runtime %s" % (n, got, want))
    return compared, mismatches


def main():
    corpus, bindir = sys.argv[1], sys.argv[2]
    table = sys.argv[sys.argv.index("--table") + 1] if "--table" in sys.argv else None
    opt = os.path.join(bindir, "tfperf-opt")
    models = sorted(f for f in os.listdir(os.path.join(corpus, "models"))
                    if f.endswith(".onnx"))
    if not models:
        sys.exit("no models in " + corpus)
    failures, rows = [], []
    for f in models:
        name = f[:-5]
        path = os.path.join(corpus, "models", f)
        ref = json.load(open(os.path.join(corpus, "ref", name + ".json")))
        if name in INVALID:
            r = run([opt, path])
            if r.returncode == 0 or not re.search(INVALID[name], r.stderr):
                failures.append("%s: expected rejection, got rc=%d: %s"
                                % (name, r.returncode, r.stderr.strip()))
            else:
                rows.append((name, "-", "rejected (empty LayerNorm scale)", "-", "-"))
            continue
        b = bindings_for(name, ref)
        cmd = [opt, path, "--onnx-value-names", "--verify-roundtrip"] + bind_args(b)
        t0 = time.perf_counter()
        r = run(cmd)
        elapsed = time.perf_counter() - t0
        if r.returncode != 0:
            failures.append("%s: import failed: %s" % (name, r.stderr.strip()))
            continue
        mlir = r.stdout
        ops = sum(1 for line in mlir.splitlines()
                  if OP.match(line) and "tfperf.yield" not in line)
        m = onnx.load(path, load_external_data=False)
        nodes, inits = count_onnx(m.graph)
        if ops != nodes + inits:
            failures.append("%s: %d ops but %d nodes + %d initializers"
                            % (name, ops, nodes, inits))
        unshaped = len(UNSHAPED.findall(mlir))
        if unshaped:
            failures.append("%s: %d types with unknown or symbolic dims"
                            % (name, unshaped))
        # Verification: the printed module parses and verifies again.
        v = subprocess.run([opt, "--verify-each"], input=mlir,
                           capture_output=True, text=True)
        if v.returncode != 0:
            failures.append("%s: printed module does not verify: %s"
                            % (name, v.stderr.strip()[:300]))
        note = ""
        shapes_file = os.path.join(corpus, "peer", name + ".numpy_shapes.json")
        if os.path.exists(shapes_file):
            compared, bad = check_runtime_shapes(mlir, shapes_file)
            if bad:
                failures.append("%s: %d shapes differ from the runtime: %s"
                                % (name, len(bad), "; ".join(bad[:5])))
            if compared == 0:
                failures.append("%s: no shape compared with the runtime" % name)
            note = "%d/%d runtime shapes match" % (compared - len(bad), compared)
        binds = ",".join("%s=%d" % kv for kv in b.items()) if b else "static"
        rows.append((name, nodes, "%d ops, %d unshaped; %s" % (ops, unshaped, note),
                     binds, "%.3f s" % elapsed))
        print("ok   %-45s %5d nodes %5d ops  %s" % (name, nodes, ops, note))
    if table:
        with open(table, "w") as out:
            out.write("| model | ONNX nodes | imported | dims bound | time |\n")
            out.write("|---|---|---|---|---|\n")
            for row in rows:
                out.write("| `%s` | %s | %s | %s | %s |\n" % row)
    for fmsg in failures:
        print("FAIL " + fmsg)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
