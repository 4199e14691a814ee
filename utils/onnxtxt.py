#!/usr/bin/python3
"""Converts an ONNX textual-syntax model (onnx.parser) into a binary .onnx.

Test fixtures are written in ONNX's text syntax. Lines starting with '#'
(lit RUN/CHECK lines) are dropped before parsing. Directives in comments:

  # initializers: W, B     graph inputs that become initializers; their data
                           is stored externally in a file that is never made
                           (tfperf must not need weight bytes)
  # inline-initializers: C inputs that become initializers with zero bytes
                           stored inline
  # dim-alias: P = past+seq  renames dim_param P (the text syntax allows
                           only identifiers) to an expression string
  # node-name: 3 any text    names node 3 (the text syntax has no node
                           names); the name is the rest of the line

Usage: onnxtxt.py fixture.onnxtxt -o out.onnx
"""
import argparse
import re
import sys

import onnx
import onnx.parser
from onnx import helper, numpy_helper  # noqa: F401


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("input")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    text = open(args.input).read()
    external, inline, aliases, node_names = [], [], {}, {}
    body = []
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"#\s*(initializers|inline-initializers):\s*(.*)", s)
        a = re.match(r"#\s*dim-alias:\s*(\w+)\s*=\s*(.*)", s)
        if a:
            aliases[a.group(1)] = a.group(2).strip()
            continue
        n = re.match(r"\s*#\s*node-name:\s*(\d+) (.*)$", line)
        if n:
            node_names[int(n.group(1))] = n.group(2)
            continue
        if m:
            names = [n.strip() for n in m.group(2).split(",") if n.strip()]
            (external if m.group(1) == "initializers" else inline).extend(names)
            continue
        if s.startswith("#"):
            continue
        body.append(line)
    model = onnx.parser.parse_model("\n".join(body))
    g = model.graph
    for index, name in node_names.items():
        g.node[index].name = name
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        for d in vi.type.tensor_type.shape.dim:
            if d.dim_param in aliases:
                d.dim_param = aliases[d.dim_param]
    for name in external + inline:
        vi = next((i for i in g.input if i.name == name), None)
        if vi is None:
            sys.exit("onnxtxt.py: no graph input named %r" % name)
        tt = vi.type.tensor_type
        dims = [d.dim_value for d in tt.shape.dim]
        t = onnx.TensorProto()
        t.name = name
        t.data_type = tt.elem_type
        t.dims.extend(dims)
        if name in external:
            t.data_location = onnx.TensorProto.EXTERNAL
            for k, v in (("location", "weights.absent"), ("offset", "0"),
                         ("length", "0")):
                e = t.external_data.add()
                e.key, e.value = k, v
        else:
            n = 1
            for d in dims:
                n *= d
            size = {1: 4, 6: 4, 7: 8, 10: 2, 11: 8, 16: 2, 9: 1, 3: 1, 2: 1}
            t.raw_data = bytes(n * size.get(tt.elem_type, 4))
        g.initializer.append(t)
        g.input.remove(vi)
    with open(args.output, "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    main()
