#!/usr/bin/python3
"""Parses an ONNX text model whose values carry element types newer than
Debian's onnx 1.12 parser (int4, float8, int2, float8e8m0, ...), written as
`int8` placeholders, and rewrites them to their ONNX numbers.

Usage: newer_types.py IN.onnxtxt OUT.onnx NAME=TYPE...
  NAME is a graph input/output or a Constant's output; TYPE an ONNX
  data-type number (17 float8e4m3fn ... 22 int4, 24 float8e8m0, 26 int2).
"""
import sys

import onnx
import onnx.parser


def main(argv):
    src, dst, pairs = argv[1], argv[2], argv[3:]
    text = "\n".join(l for l in open(src) if not l.startswith("#"))
    model = onnx.parser.parse_model(text)
    g = model.graph
    for pair in pairs:
        name, t = pair.split("=")
        t = int(t)
        found = False
        for vi in list(g.input) + list(g.output):
            if vi.name == name:
                vi.type.tensor_type.elem_type = t
                found = True
        for n in g.node:
            if n.op_type == "Constant" and name in n.output:
                n.attribute[0].t.data_type = t
                found = True
        if not found:
            sys.exit("no value " + name)
    open(dst, "wb").write(model.SerializeToString())


if __name__ == "__main__":
    main(sys.argv)
