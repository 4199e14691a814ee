#!/usr/bin/python3
"""Writes the seed corpus of tfperf-import-fuzzer into OUT_DIR.

Seeds are valid models, so that mutations start deep inside the importer:
  * every ONNX text fixture under test/ (including split-file sections),
    as binary, plus a protobuf-text and a JSON rendering of a few of them;
  * the repo's examples and the shared corpus graphs, whole when they fit
    in MAX_LEN bytes, and always as small prefix slices (the first 8, 24
    and 64 nodes, tensors above 64 elements stored externally) so that the
    real exporters' op mixes are cheap to execute.

Usage: make_seeds.py OUT_DIR [--corpus DIR] [--max-len N]   (Debian python3)
"""
import argparse
import glob
import os
import re
import subprocess
import sys

import onnx
from google.protobuf import json_format, text_format

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fixtures(tmp):
    """Yields (name, path of an .onnxtxt file) for every text fixture."""
    for f in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.onnxtxt"),
                              recursive=True)):
        yield os.path.basename(f), f
    for t in sorted(glob.glob(os.path.join(ROOT, "test", "**", "*.test"),
                              recursive=True)):
        parts = re.split(r"^#--- (\S+)\n", open(t).read(), flags=re.M)
        for name, body in zip(parts[1::2], parts[2::2]):
            if name.endswith(".onnxtxt"):
                p = os.path.join(tmp, name)
                open(p, "w").write(body)
                yield name, p


def externalize(graph):
    """Moves tensor data above 64 elements out of the file."""
    for t in graph.initializer:
        n = 1
        for d in t.dims:
            n *= d
        if n > 64 and t.data_location != onnx.TensorProto.EXTERNAL:
            t.ClearField("raw_data")
            for f in ("float_data", "int32_data", "int64_data", "double_data"):
                t.ClearField(f)
            t.data_location = onnx.TensorProto.EXTERNAL
            e = t.external_data.add()
            e.key, e.value = "location", "weights.absent"


def prefix_slice(model, k):
    """The model cut after its first k nodes; every value nobody in the
    slice reads becomes a graph output."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    g = m.graph
    nodes = list(g.node)[:k]
    del g.node[:]
    g.node.extend(nodes)
    used = {i for n in nodes for i in n.input}
    produced = [o for n in nodes for o in n.output if o]
    keep = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    inits = {t.name for t in keep}
    ins = [i for i in g.input if i.name in used and i.name not in inits]
    del g.input[:]
    g.input.extend(ins)
    vi = {v.name: v for v in list(g.value_info) + list(g.output)}
    del g.output[:]
    for o in produced:
        if o not in used:
            g.output.append(vi[o] if o in vi else onnx.ValueInfoProto(name=o))
    keepvi = [v for v in g.value_info if v.name in set(produced)]
    del g.value_info[:]
    g.value_info.extend(keepvi)
    externalize(g)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared",
                                                     "corpus", "models"))
    ap.add_argument("--max-len", type=int, default=65536)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    tmp = os.path.join(args.out, ".tmp")
    os.makedirs(tmp, exist_ok=True)
    onnxtxt = os.path.join(ROOT, "utils", "onnxtxt.py")
    n = 0
    texts = 0
    for name, path in fixtures(tmp):
        out = os.path.join(args.out, "fixture-" + name[:-len(".onnxtxt")])
        r = subprocess.run([sys.executable, onnxtxt, path, "-o", out + ".onnx"],
                           capture_output=True)
        if r.returncode:
            continue  # fixtures of parse errors
        n += 1
        if texts < 4:
            m = onnx.load(out + ".onnx", load_external_data=False)
            open(out + ".pbtxt", "w").write(text_format.MessageToString(m))
            open(out + ".json", "w").write(json_format.MessageToJson(m))
            texts += 1
    models = sorted(glob.glob(os.path.join(ROOT, "examples", "*.onnx")) +
                    glob.glob(os.path.join(args.corpus, "*.onnx")))
    for f in models:
        base = os.path.basename(f)[:-len(".onnx")]
        if os.path.getsize(f) <= args.max_len:
            open(os.path.join(args.out, base + ".onnx"), "wb").write(
                open(f, "rb").read())
            n += 1
        model = onnx.load(f, load_external_data=False)
        for k in (8, 24, 64):
            if k >= len(model.graph.node) and k != 8:
                break
            data = prefix_slice(model, k).SerializeToString()
            if len(data) <= args.max_len:
                open(os.path.join(args.out, "%s-first%d.onnx" % (base, k)),
                     "wb").write(data)
                n += 1
    for p in glob.glob(os.path.join(tmp, "*")):
        os.remove(p)
    os.rmdir(tmp)
    print("make_seeds.py: %d seeds (+%d text/JSON) in %s" % (n, 2 * texts,
                                                            args.out))


if __name__ == "__main__":
    main()
