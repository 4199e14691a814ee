#!/usr/bin/python3
"""Writes a damaged copy of an ONNX model, for tests of bad input.

  onnx_mutate.py IN OUT set-dim VALUE_NAME INDEX VALUE
      Sets a dim of a graph input/output (any int, e.g. -3 or 2**62+1).
  onnx_mutate.py IN OUT truncate NBYTES
      Keeps only the first NBYTES bytes (negative: drop that many at the end).
  onnx_mutate.py IN OUT bad-wire-type
      Rewrites the first tag to wire type 7, which protobuf does not have.
  onnx_mutate.py IN OUT external-location NAME LOCATION
      Points initializer NAME's external data at LOCATION.
  onnx_mutate.py IN OUT drop-opset DOMAIN
      Removes the opset import of DOMAIN ("" is the default domain).
  onnx_mutate.py IN OUT set-opset DOMAIN VERSION
      Sets (or adds) the opset import of DOMAIN.
  onnx_mutate.py IN OUT drop-attr NODE_INDEX ATTR
      Removes an attribute from a node.
  onnx_mutate.py IN OUT dup-graph-output
      Lists the first graph output twice.
  onnx_mutate.py IN OUT declare-scalar VALUE_NAME
      Declares VALUE_NAME in value_info with an empty shape (rank 0), as
      onnxruntime-genai's builder does for every constant.
"""
import sys

import onnx


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    src, dst, op, args = argv[1], argv[2], argv[3], argv[4:]
    raw = open(src, "rb").read()
    if op == "truncate":
        n = int(args[0])
        open(dst, "wb").write(raw[:n] if n >= 0 else raw[:n])
        return
    if op == "bad-wire-type":
        b = bytearray(raw)
        b[0] = (b[0] & ~7) | 7
        open(dst, "wb").write(bytes(b))
        return
    m = onnx.ModelProto()
    m.ParseFromString(raw)
    g = m.graph
    if op == "set-dim":
        name, idx, value = args[0], int(args[1]), int(args[2])
        for vi in list(g.input) + list(g.output):
            if vi.name == name:
                vi.type.tensor_type.shape.dim[idx].dim_value = value
                break
        else:
            sys.exit("no input/output " + name)
    elif op == "external-location":
        name, loc = args
        for t in g.initializer:
            if t.name == name:
                for kv in t.external_data:
                    if kv.key == "location":
                        kv.value = loc
    elif op == "drop-opset":
        keep = [o for o in m.opset_import if o.domain != args[0]]
        del m.opset_import[:]
        m.opset_import.extend(keep)
    elif op == "set-opset":
        for o in m.opset_import:
            if o.domain == args[0]:
                o.version = int(args[1])
                break
        else:
            o = m.opset_import.add()
            o.domain, o.version = args[0], int(args[1])
    elif op == "drop-attr":
        node = g.node[int(args[0])]
        keep = [a for a in node.attribute if a.name != args[1]]
        del node.attribute[:]
        node.attribute.extend(keep)
    elif op == "dup-graph-output":
        g.output.append(g.output[0])
    elif op == "declare-scalar":
        vi = g.value_info.add()
        vi.name = args[0]
        vi.type.tensor_type.elem_type = onnx.TensorProto.INT64
        vi.type.tensor_type.shape.SetInParent()
    else:
        sys.exit("unknown mutation " + op)
    open(dst, "wb").write(m.SerializeToString())


if __name__ == "__main__":
    main(sys.argv)
