#!/usr/bin/python3
"""Writes the malformed-input suite: bad ONNX files, each with the error
tfperf-opt must give, into OUT_DIR, plus OUT_DIR/expected.tsv in the table
format of utils/check_errors.py (a few positive controls must import).

Sources: a small fixture built here and a real export, BIG (the repo keeps
examples/nanogpt_tiny_L2_d64_inline.onnx), so the suite is self-contained.
Each case below is one line of CASES' output: (file, exit, node, substring).

Usage: gen_malformed.py OUT_DIR --big examples/nanogpt_tiny_L2_d64_inline.onnx
(Debian python3, which has python3-onnx.)
"""
import argparse
import os

import onnx
import onnx.parser
from onnx import helper, TensorProto

from protowire import field  # utils/, next to this file

OPSET = '<ir_version: 8, opset_import: ["" : 17]>\n'


def parse(text, opset=OPSET):
    return onnx.parser.parse_model(opset + text)


def ser(model):
    return model.SerializeToString()


def small():
    """x: float[n, 16] -> MatMul(W: 16x8, external data) -> Relu -> y."""
    m = parse("small (float[n, 16] x, float[16, 8] W) => (float[n, 8] y) {\n"
              "  h = MatMul(x, W)\n  y = Relu(h)\n}")
    g = m.graph
    vi = [i for i in g.input if i.name == "W"][0]
    g.input.remove(vi)
    t = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[16, 8])
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "weights.absent"), ("offset", "0"),
                 ("length", "512")):
        e = t.external_data.add()
        e.key, e.value = k, v
    g.initializer.append(t)
    return m


def copy(m):
    c = onnx.ModelProto()
    c.CopyFrom(m)
    return c


def graph_field_span(data):
    """(payload start, payload end) of the top-level graph field (7)."""
    i = 0
    while i < len(data):
        tag, i = read_varint(data, i)
        num, wire = tag >> 3, tag & 7
        if wire == 0:
            _, i = read_varint(data, i)
        elif wire == 2:
            n, i = read_varint(data, i)
            if num == 7:
                return i, i + n
            i += n
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
    raise ValueError("no graph field")


def read_varint(data, i):
    v = shift = 0
    while True:
        b = data[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def cases(big_bytes, out):
    """Yields (file name, bytes, exit, node, expected error substring)."""
    T = "extends past the end of the data (truncated file?)"
    # Truncations of a real export at 15 offsets spread over its graph.
    b0, b1 = graph_field_span(big_bytes)
    for k in range(15):
        off = b0 + 1 + (b1 - b0 - 2) * k // 14
        yield ("trunc-big-%07d.onnx" % off, big_bytes[:off], 1, "-", T)
    s = ser(small())
    yield ("trunc-small-1.onnx", s[:1], 1, "-",
           "truncated varint in ModelProto at byte 1")
    sb0, sb1 = graph_field_span(s)
    yield ("trunc-small-mid.onnx", s[:(sb0 + sb1) // 2], 1, "-", T)
    yield ("trunc-small-last-byte.onnx", s[:-1], 1, "-", "truncated")

    # Not ONNX at all.
    yield ("zero-length.onnx", b"", 1, "-", "the file is empty")
    yield ("page.onnx", b"<!DOCTYPE html>\n<html><head><title>404 Not Found"
           b"</title></head><body>Not Found</body></html>\n", 1, "-",
           "(not an ONNX protobuf?)")
    yield ("lfs-pointer.onnx", b"version https://git-lfs.github.com/spec/v1\n"
           b"oid sha256:0123\nsize 1234\n", 1, "-", "(not an ONNX protobuf?)")
    yield ("garbage.onnxtxt", b"ir_version: 8\ngraph { node { op_type: ",
           1, "-", "not a valid ONNX model in protobuf text format")
    yield ("garbage.json", b'{"irVersion": "8", "graph": {"node": [}',
           1, "-", "not a valid ONNX model in protobuf JSON")

    # Wire-level damage.
    yield ("wire-type-7.onnx", bytes([(s[0] & ~7) | 7]) + s[1:], 1, "-",
           "invalid wire type 7 in ModelProto at byte 0")
    # The graph field as a varint: protobuf keeps it as an unknown field,
    # so the model has no graph.
    yield ("graph-as-varint.onnx", field(1, 0, 8) + field(7, 0, 300), 1, "-",
           "the model has no graph")
    yield ("field-number-0.onnx", b"\x02\x00" + s, 1, "-",
           "invalid field number in ModelProto at byte 0")
    # A node whose op_type (string) is sent as a varint.
    g = small().graph
    node = field(1, 2, b"x") + field(2, 2, b"y") + field(4, 0, 7)
    yield ("op-type-as-varint.onnx",
           field(1, 0, 8) + field(8, 2, field(2, 0, 17)) +
           field(7, 2, field(1, 2, node) + b"".join(
               field(11, 2, i.SerializeToString()) for i in g.input[:1]) +
               field(12, 2, onnx.ValueInfoProto(name="y").SerializeToString())),
           1, "node_0", "has no op_type")
    # A dims entry sent as a 64-bit fixed field.
    t = field(1, 1, b"\x10\x00\x00\x00\x00\x00\x00\x00") + field(2, 0, 1) + \
        field(8, 2, b"c")
    yield ("dims-as-fixed64.onnx",
           field(1, 0, 8) + field(8, 2, field(2, 0, 17)) +
           field(7, 2, field(5, 2, t) + field(12, 2, onnx.ValueInfoProto(
               name="c").SerializeToString())),
           1, "-", "TensorProto")

    # Model level.
    yield ("no-graph.onnx", ser(onnx.ModelProto(ir_version=8,
                                                producer_name="x")),
           1, "-", "the model has no graph")
    empty = onnx.ModelProto(ir_version=8)
    empty.graph.name = "g"
    empty.opset_import.add().version = 17
    yield ("empty-graph.onnx", ser(empty), 1, "-", "the graph has no outputs")
    m = small()
    m.opset_import[0].version = 5
    yield ("opset-5.onnx", ser(m), 1, "-",
           "opset 5 of the default ONNX domain is older than tfperf supports")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = acme.ops.Thing(x)\n}")
    yield ("unknown-domain.onnx", ser(m), 1, "Thing_0",
           "uses domain 'acme.ops', which the model does not import")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Relu(x)\n}",
              '<ir_version: 8, opset_import: ["" : 17, "acme" : 1]>\n')
    m.graph.node[0].domain = "acme"
    m.graph.node[0].op_type = "Frobnicate"
    yield ("custom-op-ok.onnx", ser(m), 0, "-", "-")

    # Graph structure.
    yield ("cycle.onnx", ser(parse(
        "g (float[4] x) => (float[4] z) {\n  a = Relu(b)\n  b = Neg(a)\n"
        "  z = Add(a, x)\n}")), 1, "Relu_0", "the graph has a cycle")
    yield ("self-loop.onnx", ser(parse(
        "g (float[4] x) => (float[4] a) {\n  a = Add(a, x)\n}")), 1, "Add_0",
        "the graph has a cycle")
    yield ("unsorted-ok.onnx", ser(parse(
        "g (float[4] x) => (float[4] z) {\n  z = Relu(y)\n  y = Neg(x)\n}")),
        0, "-", "-")
    yield ("dangling-input.onnx", ser(parse(
        "g (float[4] x) => (float[4] z) {\n  y = Neg(x)\n  z = Relu(nowhere)\n}"
    )), 1, "Relu_1", "input 'nowhere' is not produced by any node")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.output[0].name = "nowhere"
    yield ("dangling-output.onnx", ser(m), 1, "-",
           "graph output 'nowhere' is not produced")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.node[0].output.append("y")
    yield ("node-output-twice.onnx", ser(m), 1, "Neg_0",
           "lists output 'y' twice")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.output.append(m.graph.output[0])
    yield ("graph-output-twice.onnx", ser(m), 1, "-",
           "graph output 'y' is listed twice")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.input.append(m.graph.input[0])
    yield ("graph-input-twice.onnx", ser(m), 1, "-",
           "graph input 'x' is listed twice")
    # Two nodes producing one value: accepted with a warning (onnxruntime's
    # own test models patch constants this way).
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n  z = Relu(x)\n}")
    m.graph.node[1].output[0] = "y"
    yield ("two-producers-ok.onnx", ser(m), 0, "-", "-")
    yield ("output-shadows-input.onnx", ser(parse(
        "g (float[4] x) => (float[4] x2) {\n  x = Neg(x)\n  x2 = Relu(x)\n}"
    )), 1, "Neg_0", "redefines a graph input or initializer")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.node[0].op_type = ""
    yield ("no-op-type.onnx", ser(m), 1, "node_0", "has no op_type")
    # A node name that would forge a second diagnostic line.
    m = parse("g (float[4, 16] x, float[32, 8] w) => (float[4, 8] y) {\n"
              "  y = MatMul(x, w)\n}")
    m.graph.node[0].name = "evil\nfake.onnx: error: forged"
    yield ("node-name-newline.onnx", ser(m), 1,
           "evil\\nfake.onnx: error: forged",
           "contraction dims differ")

    # Names that are not UTF-8: protobuf must not log about them.
    m = parse("g (float[4, 16] x, float[32, 8] w) => (float[4, 8] y) {\n"
              "  y = MatMul(x, w)\n}")
    m.graph.node[0].name = "NODENAME"
    yield ("node-name-not-utf8.onnx",
           ser(m).replace(b"NODENAME", b"\xff\xfeNAME\xc3("), 1, "-",
           "contraction dims differ: 16 vs 32")

    # Dims.
    for name, value, exit_code, msg in (
            ("dim-negative", -3, 1, "has negative dim -3 at index 0"),
            ("dim-2pow62-plus-1", (1 << 62) + 1, 1,
             "has absurd dim 4611686018427387905 at index 0 (more than 2^62)"),
            ("dim-int64-max", (1 << 63) - 1, 1, "has absurd dim"),
            ("dim-2pow62", 1 << 62, 1, "has more than 2^62 elements"),
            ("dim-zero-ok", 0, 0, "-")):
        m = small()
        m.graph.input[0].type.tensor_type.shape.dim[0].dim_value = value
        m.graph.output[0].type.tensor_type.ClearField("shape")
        yield (name + ".onnx", ser(m), exit_code, "-",
               "graph input 'x' " + msg if exit_code else "-")
    m = small()
    m.graph.input[0].type.tensor_type.shape.dim[0].dim_value = 1 << 33
    m.graph.input[0].type.tensor_type.shape.dim[1].dim_value = 1 << 33
    yield ("elements-2pow66.onnx", ser(m), 1, "-",
           "graph input 'x' has more than 2^62 elements")
    m = parse("g (float[N] x) => (float[N] y) {\n  y = Relu(x)\n}")
    for v in (m.graph.input[0], m.graph.output[0]):
        v.type.tensor_type.shape.dim[0].dim_value = 1 << 62
    yield ("dim-2pow62-rank1-ok.onnx", ser(m), 0, "-", "-")
    m = small()
    m.graph.initializer[0].dims[0] = -16
    yield ("init-dim-negative.onnx", ser(m), 1, "-",
           "initializer 'W' has negative dim -16")
    m = small()
    m.graph.initializer[0].dims[0] = (1 << 62) + 1
    yield ("init-dim-absurd.onnx", ser(m), 1, "-",
           "initializer 'W' has absurd dim")
    m = small()
    t = m.graph.initializer[0]
    t.data_location = TensorProto.DEFAULT
    del t.external_data[:]
    t.raw_data = bytes(100)
    yield ("init-raw-size.onnx", ser(m), 1, "-",
           "initializer 'W' has 100 bytes of raw data but its dims need 512")
    m = small()
    m.graph.input[0].type.tensor_type.elem_type = 0
    yield ("elem-type-undefined.onnx", ser(m), 1, "-",
           "graph input 'x' has unsupported element type")

    m = small()
    vi = m.graph.value_info.add()
    vi.CopyFrom(m.graph.output[0])
    vi.name = "h"
    vi.type.tensor_type.shape.dim[1].dim_value = -5
    yield ("value-info-negative-dim.onnx", ser(m), 1, "MatMul_0",
           "value 'h' is declared with dim 1 = -5 but inferred as 8")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Gather<axis = 0>(x, x)\n}")
    m.graph.node[0].attribute[0].CopyFrom(helper.make_attribute("axis", "0"))
    yield ("attribute-wrong-type.onnx", ser(m), 1, "Gather_0",
           "attribute 'axis' has the wrong type for Gather")
    m = parse("g (float[4, N] x) => (float[4, N] y) {\n  y = Relu(x)\n}")
    for v in (m.graph.input[0], m.graph.output[0]):
        v.type.tensor_type.shape.dim[1].dim_param = "ceildiv"
    yield ("dim-param-keyword-ok.onnx", ser(m), 0, "-", "-")
    # A dim_param whose expansion has billions of terms: one opaque symbol.
    m = parse("g (float[4, N] x) => (float[4, N] y) {\n  y = Relu(x)\n}")
    for v in (m.graph.input[0], m.graph.output[0]):
        v.type.tensor_type.shape.dim[1].dim_param = "(a+b+c+d+e+f+g+h)^12"
    yield ("dim-param-polynomial-bomb-ok.onnx", ser(m), 0, "-", "-")

    # Rank and shape mismatches of MatMul, Gemm, Conv.
    for name, text, node, msg in (
            ("matmul-scalar", "g (float x, float[4, 5] w) => (float[5] y) "
             "{\n  y = MatMul(x, w)\n}", "MatMul_0",
             "operands must have rank >= 1"),
            ("matmul-k", "g (float[4, 16] x, float[32, 8] w) => (float[4, 8] y)"
             " {\n  y = MatMul(x, w)\n}", "MatMul_0",
             "contraction dims differ: 16 vs 32"),
            ("gemm-rank3", "g (float[2, 4, 8] a, float[8, 3] b) => (float[2, 3]"
             " y) {\n  y = Gemm(a, b)\n}", "Gemm_0",
             "A and B must be rank 2 (got 3 and 2)"),
            ("gemm-rank1", "g (float[8] a, float[8, 3] b) => (float[3] y) {\n"
             "  y = Gemm(a, b)\n}", "Gemm_0", "A and B must be rank 2"),
            ("conv-rank2", "g (float[6, 8] x, float[4, 6] w) => (float[4] y) "
             "{\n  y = Conv(x, w)\n}", "Conv_0", "X must have rank >= 3"),
            ("conv-ranks-differ", "g (float[1, 6, 8, 8] x, float[4, 6, 3] w) => "
             "(float[1, 4, 6, 6] y) {\n  y = Conv(x, w)\n}", "Conv_0",
             "X and W ranks differ: 4 vs 3"),
            ("conv-channels", "g (float[1, 6, 8, 8] x, float[4, 4, 3, 3] w) => "
             "(float[1, 4, 6, 6] y) {\n  y = Conv(x, w)\n}", "Conv_0",
             "input channels 6 != 4 x group 1"),
            ("declared-shape", "g (float[4, 16] x, float[16, 8] w) => "
             "(float[4, 5] y) {\n  y = MatMul(x, w)\n}", "MatMul_0",
             "is declared with dim 1 = 5 but inferred as 8")):
        yield (name + ".onnx", ser(parse(text)), 1, node, msg)

    # Missing required attributes and inputs.
    m = parse("g (float[2, 4] a, float[2, 4] b) => (float[2, 8] y) {\n"
              "  y = Concat<axis = 1>(a, b)\n}")
    del m.graph.node[0].attribute[:]
    yield ("concat-no-axis.onnx", ser(m), 1, "Concat_0",
           "requires attribute 'axis'")
    m = parse("g (float[4] x) => (int64[4] y) {\n  y = Cast<to = 7>(x)\n}")
    del m.graph.node[0].attribute[:]
    yield ("cast-no-to.onnx", ser(m), 1, "Cast_0", "requires attribute 'to'")
    m = parse("g (float[2, 3] a, float[3, 4] b) => (float[2, 4] y) {\n"
              '  y = Einsum<equation = "ij,jk->ik">(a, b)\n}')
    del m.graph.node[0].attribute[:]
    yield ("einsum-no-equation.onnx", ser(m), 1, "Einsum_0",
           "requires attribute 'equation'")
    m = parse("g (float[4] x) => (float[4] y) {\n"
              "  c = Constant<value_float = 1.0>()\n  y = Add(x, c)\n}")
    del m.graph.node[0].attribute[:]
    yield ("constant-no-value.onnx", ser(m), 1, "Constant_0",
           "Constant has no value")
    m = parse("g (float[4] x) => (float[4] y) {\n  y = Relu(x)\n}")
    a = m.graph.node[0].attribute.add()
    a.i = 3
    yield ("attribute-no-name.onnx", ser(m), 1, "Relu_0",
           "has an attribute without a name")
    yield ("gemm-empty-input.onnx", ser(parse(
        "g (float[2, 4] a, float[4, 3] b) => (float[2, 3] y) {\n"
        "  y = Gemm(a, , b)\n}")), 1, "Gemm_0",
        "Gemm input 1 ('B') is required but empty")

    # Huge repeated fields: rejected fast, without allocating for them.
    base = ser(small())
    dims = b"\x01" * 10_000_000
    tensor = field(1, 2, dims) + field(2, 0, 1) + field(8, 2, b"huge")
    # A second graph field merges into the first: the tensor is an extra
    # initializer of the small model.
    yield ("tensor-1e7-dims.onnx", base + field(7, 2, field(5, 2, tensor)),
           1, "-", "initializer 'huge' has rank 10000000, more than tfperf accepts (64)")
    # A graph input whose shape lists 10^6 dims (5 MB on the wire).
    dim = field(1, 2, field(1, 0, 1))
    tensor_type = field(1, 0, 1) + field(2, 2, dim * 1_000_000)
    yield ("shape-1e6-dims.onnx",
           base + field(7, 2, field(11, 2, field(1, 2, b"wide") +
                                    field(2, 2, field(1, 2, tensor_type)))),
           1, "-", "graph input 'wide' has rank 1000000, more than tfperf accepts (64)")
    node = field(1, 2, b"x") * 1_000_000 + field(2, 2, b"s") + \
        field(4, 2, b"Sum")
    yield ("node-1e6-inputs.onnx", base + field(7, 2, field(1, 2, node)),
           1, "Sum_2", "has 1000000 inputs, more than tfperf accepts (65536)")

    # A shape operand's length is data: it must not size an allocation.
    for op, text in (("Reshape", "Reshape(x, s)"), ("Expand", "Expand(x, s)"),
                     ("ConstantOfShape", "ConstantOfShape(s)")):
        m = parse("g (float[4] x, int64[1000000000] s) => (float y) {\n"
                  "  y = %s\n}" % text)
        yield ("%s-rank-1e9.onnx" % op.lower(), ser(m), 1, op + "_0",
               "result rank 1000000000 is more than tfperf accepts (64)")

    # External data outside the model's folder.
    for name, loc, msg in (
            ("external-dotdot", "../../etc/passwd",
             "has external data location '../../etc/passwd' that escapes the "
             "model's folder"),
            ("external-absolute", "/etc/passwd",
             "has an absolute external data location '/etc/passwd'"),
            ("external-symlink", "link-out.bin",
             "has external data location 'link-out.bin' that resolves (through "
             "a link) outside the model's folder"),
            ("external-no-location", None, "is stored externally but names "
             "no location")):
        m = small()
        t = m.graph.initializer[0]
        if loc is None:
            del t.external_data[:]
        else:
            t.external_data[0].value = loc
        yield (name + ".onnx", ser(m), 1, "-", "initializer 'W' " + msg)
    link = os.path.join(out, "link-out.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink("/etc/hostname", link)

    # Subgraphs nested deeper than tfperf accepts.
    inner = helper.make_graph([helper.make_node("Neg", ["x"], ["y"])], "b",
                              [], [helper.make_value_info("y", onnx.TypeProto())])
    for _ in range(70):
        node = helper.make_node("If", ["c"], ["y"], then_branch=inner)
        inner = helper.make_graph([node], "b", [], [helper.make_value_info(
            "y", onnx.TypeProto())])
    m = parse("g (bool c, float[4] x) => (float[4] y) {\n  y = Neg(x)\n}")
    m.graph.node[0].CopyFrom(node)
    yield ("subgraphs-70-deep.onnx", ser(m), 1, "-",
           "subgraphs are nested more than 64 levels deep")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out")
    ap.add_argument("--big", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    big = open(args.big, "rb").read()
    rows = []
    for name, data, exit_code, node, msg in cases(big, args.out):
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        rows.append("\t".join([name, str(exit_code), node, msg]))
    with open(os.path.join(args.out, "expected.tsv"), "w") as f:
        f.write("# FILE\tEXIT\tNODE\tSUBSTRING (utils/check_errors.py)\n")
        f.write("\n".join(rows) + "\n")
    print("gen_malformed.py: %d files in %s" % (len(rows), args.out))


if __name__ == "__main__":
    main()
