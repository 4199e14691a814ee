#!/usr/bin/python3
"""Turns a graph-only ONNX export into one with real-size inline weights.

Every initializer gets a `raw_data` payload of its full size (dims x dtype
size): random bytes by default, zeros, or holes of a sparse file
(--fill sparse: no disk space, any size, e.g. a 4.4 GB TinyLlama to test
protobuf's 2 GB limit). Integer initializers that had no inline data are
zero-filled so that any shape values they hold stay valid.

The file is written as a stream at the protobuf wire level, in the field
order protobuf itself serializes (graph nodes, then initializers, then
inputs/outputs), so memory stays at one chunk (16 MiB) whatever the size;
only the graph without payloads is ever held as a message. Files above 2 GB
are fine for this writer (protobuf's limit is on parsing one message).

Outputs are large: write them under bench/out/ (gitignored) or /tmp.

Needs Debian's python3-onnx (run it with /usr/bin/python3).

Example (GPT-2 124M, ~650 MB):
  bench/make_inline_weights.py \\
      /work/shared/corpus/models/gpt2_124m_nanogpt_b1_s1024.onnx \\
      -o bench/out/gpt2_124m_inline.onnx
"""

import argparse
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "utils"))
from protowire import len_field, varint  # noqa: E402

CHUNK = 16 << 20
INT_TYPES = {onnx.TensorProto.INT8, onnx.TensorProto.INT16,
             onnx.TensorProto.INT32, onnx.TensorProto.INT64,
             onnx.TensorProto.UINT8, onnx.TensorProto.UINT16,
             onnx.TensorProto.UINT32, onnx.TensorProto.UINT64,
             onnx.TensorProto.BOOL}
DATA_FIELDS = ("raw_data", "float_data", "int32_data", "int64_data",
               "double_data", "uint64_data", "string_data")


def only_fields(msg, keep):
    """A copy of `msg` with only the fields numbered in `keep`."""
    c = type(msg)()
    c.CopyFrom(msg)
    for f in c.DESCRIPTOR.fields:
        if f.number not in keep:
            c.ClearField(f.name)
    return c


def tensor_plan(t):
    """Header bytes (the tensor without data) and payload size."""
    itemsize = np.dtype(onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[t.data_type]).itemsize
    nbytes = int(np.prod(t.dims, dtype=np.int64)) * itemsize
    inline = None
    if t.data_location != onnx.TensorProto.EXTERNAL and any(
            t.HasField(f) if f == "raw_data" else len(getattr(t, f))
            for f in DATA_FIELDS):
        inline = onnx.numpy_helper.to_array(t).tobytes()  # keep real values
    h = onnx.TensorProto()
    h.CopyFrom(t)
    for f in DATA_FIELDS + ("external_data", "data_location"):
        h.ClearField(f)
    header = h.SerializeToString()
    body = len(header) + len(len_field(9, nbytes)) + nbytes
    return header, nbytes, inline, body


def write_payload(f, nbytes, fill, rng):
    if fill == "sparse":
        f.seek(nbytes, os.SEEK_CUR)
        return
    zeros = None
    while nbytes:
        n = min(nbytes, CHUNK)
        if fill == "random":
            f.write(rng.bytes(n))
        else:
            if zeros is None or len(zeros) < n:
                zeros = bytes(n)
            f.write(zeros[:n])
        nbytes -= n


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src", help="graph-only (or any) ONNX model")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--fill", choices=("random", "zero", "sparse"),
                    default="random")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    model = onnx.load(args.src, load_external_data=False)
    g = model.graph
    plans = [tensor_plan(t) for t in g.initializer]
    # GraphProto: node(1), name(2) | initializer(5) | the rest (10..15).
    g_head = only_fields(g, {1, 2}).SerializeToString()
    g_tail = only_fields(g, {f.number for f in g.DESCRIPTOR.fields} -
                         {1, 2, 5}).SerializeToString()
    graph_len = len(g_head) + len(g_tail) + sum(
        len(len_field(5, body)) + body for _, _, _, body in plans)
    # ModelProto: fields before graph(7) | graph | fields after.
    all_m = {f.number for f in model.DESCRIPTOR.fields}
    m_head = only_fields(model, {n for n in all_m if n < 7}).SerializeToString()
    m_tail = only_fields(model, {n for n in all_m if n > 7}).SerializeToString()

    rng = np.random.default_rng(args.seed)
    total = 0
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "wb") as f:
        f.write(m_head)
        f.write(len_field(7, graph_len))
        f.write(g_head)
        for t, (header, nbytes, inline, body) in zip(g.initializer, plans):
            f.write(len_field(5, body))
            f.write(header)
            f.write(len_field(9, nbytes))
            if inline is not None and len(inline) == nbytes:
                f.write(inline)
            else:
                fill = args.fill
                if t.data_type in INT_TYPES and fill == "random":
                    fill = "zero"  # shape values must stay plausible
                write_payload(f, nbytes, fill, rng)
            total += nbytes
        f.write(g_tail)
        f.write(m_tail)
        f.truncate()  # materializes a trailing hole of a sparse file
        size = f.tell()
    print("%s: %d initializers, %.1f MB of inline payload, file %.1f MB%s" %
          (args.output, len(plans), total / 1e6, size / 1e6,
           " (sparse)" if args.fill == "sparse" else ""))
    if size > (2 << 30) - 1:
        print("  note: above 2 GB, python onnx.load cannot parse this file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
